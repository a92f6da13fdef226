using Interactions.Resilience.Options.Internal;

namespace Interactions.Resilience;

/// <summary>
/// The circuit breaker over the <see cref="InteractionsPolicy.Retry"/> codes and transport failures. While
/// open, requests fail locally as 060002 with <c>RetryAfter</c> = the break left and <c>Attempts</c> = 0.
/// </summary>
public sealed class InteractionsCircuitBreakerOptions
{
    /// <summary>Gets or sets whether the breaker applies.</summary>
    /// <remarks>The default value is <see langword="true"/>.</remarks>
    public bool Enabled { get; set; } = InteractionsResilienceDefaults.BreakerEnabled;

    /// <summary>Gets or sets the share of attempts failing with a Retry code that opens the circuit.</summary>
    /// <remarks>The default value is 0.5. Range: greater than 0, at most 1.</remarks>
    public double FailureRatio { get; set; } = InteractionsResilienceDefaults.BreakerFailureRatio;

    /// <summary>Gets or sets how many attempts the sampling window must hold before the circuit can open.</summary>
    /// <remarks>The default value is 20. Range: 2 to 100000.</remarks>
    public int MinimumThroughput { get; set; } = InteractionsResilienceDefaults.BreakerMinimumThroughput;

    /// <summary>Gets or sets the sampling window, in whole seconds.</summary>
    /// <remarks>The default value is 30 seconds. Range: 1 to 30 seconds.</remarks>
    public TimeSpan SamplingDuration { get; set; } = InteractionsResilienceDefaults.BreakerSamplingDuration;

    /// <summary>Gets or sets how long the circuit stays open; the server's <c>Retry-After</c>, when longer, replaces it.</summary>
    /// <remarks>The default value is 5 seconds.</remarks>
    public TimeSpan BreakDuration { get; set; } = InteractionsResilienceDefaults.BreakerBreakDuration;

    /// <summary>Gets or sets whether each authority (host and port) of the client has a circuit of its own.</summary>
    /// <remarks>The default value is <see langword="false"/>: one circuit per client.</remarks>
    public bool PerAuthority { get; set; } = InteractionsResilienceDefaults.BreakerPerAuthority;
}

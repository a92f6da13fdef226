using Interactions.Resilience.Options.Internal;

namespace Interactions.Resilience;

/// <summary>Options of the <see cref="InteractionsPolicy.Retry"/> policy: exponential backoff with jitter.</summary>
public sealed class InteractionsRetryOptions
{
    /// <summary>Gets or sets how many times a request is retried at most.</summary>
    /// <remarks>The default value is 3. Range: 0 to 100.</remarks>
    public int MaxRetryAttempts { get; set; } = InteractionsResilienceDefaults.RetryMaxRetryAttempts;

    /// <summary>Gets or sets the delay before the first retry; each later retry doubles it.</summary>
    /// <remarks>The default value is 1 second.</remarks>
    public TimeSpan BaseDelay { get; set; } = InteractionsResilienceDefaults.RetryBaseDelay;

    /// <summary>Gets or sets the longest computed delay. A server's <c>Retry-After</c> replaces the computed delay.</summary>
    /// <remarks>The default value is 30 seconds. Must be at least <see cref="BaseDelay"/>.</remarks>
    public TimeSpan MaxDelay { get; set; } = InteractionsResilienceDefaults.RetryMaxDelay;

    /// <summary>Gets or sets whether each delay is spread by ±25 % so that clients do not retry in lockstep.</summary>
    /// <remarks>The default value is <see langword="true"/>.</remarks>
    public bool UseJitter { get; set; } = InteractionsResilienceDefaults.RetryUseJitter;
}

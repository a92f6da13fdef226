using Interactions.Resilience.Options.Internal;

namespace Interactions.Resilience;

/// <summary>Options of the <see cref="InteractionsPolicy.WaitAndRetry"/> policy for 030003 Rate Limit Exceeded.</summary>
public sealed class InteractionsRateLimitOptions
{
    /// <summary>Gets or sets how many times one request is retried after a rate limit.</summary>
    /// <remarks>The default value is 5. Range: 0 to 100.</remarks>
    public int MaxRetryAttempts { get; set; } = InteractionsResilienceDefaults.RateLimitMaxRetryAttempts;

    /// <summary>Gets or sets how long to wait when a rate limit comes without <c>Retry-After</c>.</summary>
    /// <remarks>The default value is 1 second.</remarks>
    public TimeSpan DefaultDelay { get; set; } = InteractionsResilienceDefaults.RateLimitDefaultDelay;

    /// <summary>
    /// Gets or sets what a rate limit pauses: the scope of a request (e.g. its sender number, or sender and
    /// recipient), so that a 030003 on one scope pauses only that scope's requests. A request whose scope is
    /// <see langword="null"/> belongs to the whole client. Halts stay client-wide.
    /// </summary>
    /// <remarks>The default value is <see langword="null"/>: one wait for the whole client.</remarks>
    public Func<HttpRequestMessage, string?>? ScopeSelector { get; set; }

    /// <summary>
    /// Gets or sets a known vendor throughput never to exceed: every attempt takes a permit from a token bucket
    /// refilled at this rate. <see langword="null"/> turns the proactive limiter off.
    /// </summary>
    /// <remarks>The default value is <see langword="null"/>. Range: 1 to 100000.</remarks>
    public int? PermitsPerSecond { get; set; }

    /// <summary>
    /// Gets or sets how many requests may queue for a permit of <see cref="PermitsPerSecond"/>; past it a request
    /// fails locally with <see cref="InteractionsRateLimitException"/> and <c>Attempts</c> = 0.
    /// </summary>
    /// <remarks>The default value is 1000. Range: 0 to 1000000.</remarks>
    public int QueueLimit { get; set; } = InteractionsResilienceDefaults.RateLimitQueueLimit;
}

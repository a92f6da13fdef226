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
}

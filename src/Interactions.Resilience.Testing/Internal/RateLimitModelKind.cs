namespace Interactions.Resilience.Testing.Internal;

/// <summary>How an <see cref="InteractionsRateLimitModel"/> decides which requests it rejects.</summary>
internal enum RateLimitModelKind
{
    FixedWindow,
    SlidingWindow,
    TokenBucket,
    Sporadic,
}

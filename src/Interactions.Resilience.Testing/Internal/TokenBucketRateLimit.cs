namespace Interactions.Resilience.Testing.Internal;

/// <summary>
/// A token bucket: starts full with <c>capacity</c> tokens, refills continuously at the rate, and each accepted
/// request takes one token. Not thread-safe on its own: <see cref="SimulatorState"/> calls it under its lock.
/// </summary>
internal sealed class TokenBucketRateLimit : IServerQuota
{
    private readonly int _capacity;
    private double _tokensPerSecond;
    private double _tokens;
    private DateTimeOffset? _refilledAt;

    public TokenBucketRateLimit(int tokensPerSecond, int capacity)
    {
        _tokensPerSecond = tokensPerSecond;
        _capacity = capacity;
        _tokens = capacity;
    }

    public bool TryAcquire(DateTimeOffset now, out TimeSpan retryAfter)
    {
        Refill(now);
        if (_tokens >= 1)
        {
            _tokens--;
            retryAfter = TimeSpan.Zero;
            return true;
        }

        retryAfter = TimeSpan.FromSeconds((1 - _tokens) / _tokensPerSecond);
        return false;
    }

    /// <summary>Changes the refill rate; the tokens earned so far at the old rate are kept, the capacity is unchanged.</summary>
    public void ChangeRate(int requestsPerSecond, DateTimeOffset now)
    {
        Refill(now);
        _tokensPerSecond = requestsPerSecond;
    }

    private void Refill(DateTimeOffset now)
    {
        if (_refilledAt is { } last && now > last)
        {
            _tokens = Math.Min(_capacity, _tokens + ((now - last).TotalSeconds * _tokensPerSecond));
        }

        if (_refilledAt is null || now > _refilledAt)
        {
            _refilledAt = now;
        }
    }
}

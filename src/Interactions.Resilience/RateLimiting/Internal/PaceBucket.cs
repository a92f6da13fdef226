namespace Interactions.Resilience.RateLimiting.Internal;

/// <summary>
/// A token bucket on <see cref="TimeProvider"/> timestamps whose fill rate the caller gives at each call (the pace
/// changes as it grows back). Not thread-safe: the owner holds its lock.
/// </summary>
/// <remarks>
/// System.Threading.RateLimiting's limiters measure refills with <c>Stopwatch</c>, not a <see cref="TimeProvider"/>,
/// and take a fixed rate; this one follows a fake clock in tests and a rate that moves.
/// </remarks>
internal sealed class PaceBucket
{
    private readonly long _frequency;
    private double _tokens;
    private long _last = long.MinValue;

    public PaceBucket(long frequency) => _frequency = frequency;

    /// <summary>Takes a token at <paramref name="now"/> if there is one.</summary>
    public bool TryTake(long now, double rate, double capacity)
    {
        Refill(now, rate, capacity);
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }

    /// <summary>
    /// Holds <paramref name="tokens"/> now, and refills only from <paramref name="refillFrom"/> on: a burst sent at once,
    /// paid for by a pause of the refill.
    /// </summary>
    public void Grant(long now, double tokens, long refillFrom)
    {
        _tokens = tokens;
        _last = Math.Max(now, refillFrom);
    }

    /// <summary>When the next token is there, at <paramref name="rate"/>: <paramref name="now"/> when one is there now.</summary>
    public long NextAt(long now, double rate, double capacity)
    {
        Refill(now, rate, capacity);
        // Stryker disable once Equality : at exactly one token the formula below gives now as well
        if (_tokens >= 1)
        {
            return now;
        }

        return Math.Max(now, _last) + (long)Math.Ceiling((1 - _tokens) / rate * _frequency);
    }

    private void Refill(long now, double rate, double capacity)
    {
        if (_last == long.MinValue)
        {
            _tokens = capacity;
        }
        // Stryker disable once Equality : at now == _last the refill adds nothing
        else if (now > _last)
        {
            _tokens = Math.Min(capacity, _tokens + ((now - _last) * rate / _frequency));
        }

        _last = Math.Max(_last, now);
    }
}

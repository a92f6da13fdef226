namespace Interactions.Resilience.RateLimiting.Internal;

/// <summary>
/// A token bucket on the injected clock that hands out release times instead of rejections: each refill
/// period holds <c>tokens</c> permits; a request that finds the current period spent gets the start of the
/// next one. Not thread-safe: the owner holds its lock.
/// </summary>
/// <remarks>
/// System.Threading.RateLimiting's limiters measure refills with <c>Stopwatch</c>, not a
/// <see cref="TimeProvider"/>, so they cannot follow a fake clock in tests; this keeps the library on the
/// injected clock.
/// </remarks>
internal sealed class TokenBucketSchedule
{
    private long _periodStart = long.MinValue;
    private int _used;

    /// <summary>When a request that may go at <paramref name="earliest"/> gets its permit.</summary>
    /// <param name="earliest">The earliest timestamp the request may go.</param>
    /// <param name="tokens">Permits per period.</param>
    /// <param name="period">The refill period, in timestamp ticks.</param>
    /// <param name="reserve">Whether to take the permit, or only to look.</param>
    public long Next(long earliest, int tokens, long period, bool reserve)
    {
        var start = _periodStart;
        var used = _used;
        if (start == long.MinValue || earliest >= start + period)
        {
            start = earliest; // the bucket refilled while nobody asked
            used = 0;
        }
        else if (used >= tokens)
        {
            start += period; // spent: the next refill
            used = 0;
        }

        if (reserve)
        {
            _periodStart = start;
            _used = used + 1;
        }

        return Math.Max(earliest, start);
    }
}

using Interactions.Resilience.Internal;
namespace Interactions.Resilience.RateLimiting.Internal;

/// <summary>
/// Keeps the client under a known vendor throughput (<c>RateLimit.PermitsPerSecond</c>): a token bucket on
/// the injected clock, refilled in small steps so that no one-second window holds more than the rate.
/// Requests wait in a bounded queue; beyond it they fail locally.
/// </summary>
internal sealed class ProactiveLimiter
{
    private readonly TimeProvider _time;
    private readonly int _tokens;
    private readonly long _period;
    private readonly int _queueLimit;
    private readonly TokenBucketSchedule _bucket = new();
    private readonly object _lock = new();
    private int _waiting;

    public ProactiveLimiter(int permitsPerSecond, int queueLimit, TimeProvider time)
    {
        // At most a tenth of the rate at once, refilled every tokens/rate seconds.
        _time = time;
        _tokens = Math.Max(1, permitsPerSecond / 10);
        Period = TimeSpan.FromSeconds((double)_tokens / permitsPerSecond);
        _period = TimeMath.ToTimestampTicks(Period, time);
        _queueLimit = queueLimit;
    }

    /// <summary>Gets how often the bucket refills.</summary>
    public TimeSpan Period { get; }

    /// <summary>Takes a permit if one is free now, without waiting or allocating.</summary>
    public bool TryAcquireNow()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            if (_waiting > 0 || _bucket.Next(now, _tokens, _period, reserve: false) > now)
            {
                return false;
            }

            _bucket.Next(now, _tokens, _period, reserve: true);
            return true;
        }
    }

    /// <summary>Waits in the queue for a permit; <see langword="false"/> when the queue is full.</summary>
    public async ValueTask<bool> AcquireAsync(CancellationToken cancellationToken)
    {
        var queued = false;
        while (true)
        {
            long now;
            long releaseAt;
            lock (_lock)
            {
                now = _time.GetTimestamp();
                releaseAt = _bucket.Next(now, _tokens, _period, reserve: false);
                if (releaseAt > now && !queued && _waiting >= _queueLimit)
                {
                    return false;
                }

                _bucket.Next(now, _tokens, _period, reserve: true);
                if (releaseAt <= now)
                {
                    return true;
                }

                _waiting++;
            }

            try
            {
                await Task.Delay(_time.GetElapsedTime(now, releaseAt), _time, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                lock (_lock)
                {
                    _waiting--;
                }
            }

            // Woken more than a refill late (a starved thread pool): the permit's moment has passed, and going now
            // with the others who woke late would burst past the rate. Take a fresh permit instead.
            if (_time.GetTimestamp() - releaseAt <= _period)
            {
                return true;
            }

            queued = true;
        }
    }
}

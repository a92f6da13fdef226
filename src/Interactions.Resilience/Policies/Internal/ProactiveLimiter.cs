using System.Threading.RateLimiting;

namespace Interactions.Resilience.Policies.Internal;

/// <summary>
/// Keeps the client under a known vendor throughput (<c>RateLimit.PermitsPerSecond</c>): a token bucket from
/// System.Threading.RateLimiting, refilled by a timer of the injected clock in small steps, so no one-second
/// window ever holds more than the rate. Requests beyond the queue fail locally.
/// </summary>
internal sealed class ProactiveLimiter : IDisposable
{
    private readonly TokenBucketRateLimiter _limiter;
    private readonly ITimer _refill;

    public ProactiveLimiter(int permitsPerSecond, int queueLimit, TimeProvider time)
    {
        // At most a tenth of the rate at once, refilled every tokens/rate seconds.
        var tokens = Math.Max(1, permitsPerSecond / 10);
        Period = TimeSpan.FromSeconds((double)tokens / permitsPerSecond);
        _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = tokens,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = Period,
            AutoReplenishment = false,
            QueueLimit = queueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _refill = time.CreateTimer(static state => ((TokenBucketRateLimiter)state!).TryReplenish(), _limiter, Period, Period);
    }

    /// <summary>Gets how often the bucket refills.</summary>
    public TimeSpan Period { get; }

    /// <summary>Takes a permit if one is free now, without waiting or allocating.</summary>
    public bool TryAcquireNow()
    {
        using var lease = _limiter.AttemptAcquire();
        return lease.IsAcquired;
    }

    /// <summary>Waits in the queue for a permit; <see langword="false"/> when the queue is full.</summary>
    public async ValueTask<bool> AcquireAsync(CancellationToken cancellationToken)
    {
        using var lease = await _limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        _refill.Dispose();
        _limiter.Dispose();
    }
}

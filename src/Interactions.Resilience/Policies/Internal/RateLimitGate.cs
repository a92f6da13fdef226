namespace Interactions.Resilience.Policies.Internal;

/// <summary>
/// The one wait that a rate limit (030003) imposes on every request of a client (or of one scope).
/// </summary>
/// <remarks>
/// A rate limit pauses the gate until the server's <c>Retry-After</c>. While the gate is active, every request
/// passes it: during the pause they wait; after it they are released by an adaptive token bucket that holds
/// as many tokens as the server accepted in the second before the limit and refills them each second from
/// the end of the pause, so each second gets what the server's window takes instead of everybody at once.
/// A limit that arrives while pacing lowers the rate to what was accepted; each quiet second raises it by a
/// tenth. After <see cref="QuietPeriod"/> without a limit and nobody waiting, the gate steps aside.
/// </remarks>
internal sealed class RateLimitGate
{
    /// <summary>How long without a rate limit before the gate stops pacing.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(5);

    private const double MaxGrowth = 4.0;

    // Each refill comes a little after a full second: a burst released on the dot can reach a server whose window
    // started a few milliseconds later, before that window ends, and be limited for a whole window.
    private const double PeriodSeconds = 1.025;
    private static readonly TimeSpan RefillPeriod = TimeSpan.FromSeconds(PeriodSeconds);

    private readonly TimeProvider _time;
    private readonly HealthWindow _health;
    private readonly object _lock = new();
    private readonly long _quietTicks;
    private volatile bool _active;
    private long _pausedUntil;
    private long _lastLimitAt;
    private double _rate = 1;
    private readonly TokenBucketSchedule _bucket = new();
    private int _waiting;

    public RateLimitGate(TimeProvider time, HealthWindow health)
    {
        _time = time;
        _health = health;
        _quietTicks = TimeMath.ToTimestampTicks(QuietPeriod, time);
    }

    /// <summary>Gets whether requests must pass the gate; one volatile read for the request path.</summary>
    public bool IsActive => _active;

    /// <summary>Gets how many requests are waiting at the gate.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Gets the pace, in requests per second, at which the gate releases requests now.</summary>
    public double CurrentRate
    {
        get
        {
            lock (_lock)
            {
                return _active ? EffectiveRate(_time.GetTimestamp()) : 0;
            }
        }
    }

    /// <summary>Gets how long the pause in force has left; zero when none.</summary>
    public TimeSpan PauseRemaining
    {
        get
        {
            lock (_lock)
            {
                var now = _time.GetTimestamp();
                return _active && now < _pausedUntil ? _time.GetElapsedTime(now, _pausedUntil) : TimeSpan.Zero;
            }
        }
    }

    /// <summary>The server answered 030003: pause everybody until <paramref name="retryAfter"/> has passed.</summary>
    public void OnRateLimited(TimeSpan retryAfter)
    {
        var accepted = _health.AcceptedPerSecond();
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            var wasPaused = _active && now < _pausedUntil;
            if (!_active)
            {
                _rate = Math.Max(1, accepted);
            }
            else if (wasPaused)
            {
                _rate = Math.Max(_rate, accepted); // the same burst of answers; successes may still be arriving
            }
            else
            {
                // We overshot while pacing: fall back to what the server accepted when that is clearly less; a limit
                // while the server still takes (nearly) all we send says nothing about the pace, so keep it.
                var effective = EffectiveRate(now);
                _rate = accepted < 0.95 * effective ? Math.Max(1, accepted) : effective;
            }

            // While pacing, a limit that asks for no more than one refill period is the server's window ending a
            // little later than ours: the request takes the next permit, and everybody else keeps their slots.
            var pacing = _active && !wasPaused && _rate >= 2; // at one a second there is no burst to protect
            var until = now + TimeMath.ToTimestampTicks(retryAfter, _time);
            if (until > _pausedUntil && !(pacing && retryAfter <= RefillPeriod))
            {
                _pausedUntil = until;
                _bucket.DelayTo(until); // a full bucket when the pause ends
            }

            _lastLimitAt = now;
            _active = true;
        }
    }

    /// <summary>
    /// Waits for the gate's release. Returns <see langword="null"/> when the request may go, or the wait it
    /// would need when that exceeds <paramref name="maxWait"/> (the request then fails without waiting).
    /// </summary>
    public async ValueTask<TimeSpan?> WaitAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        while (true)
        {
            long now;
            long releaseAt;
            lock (_lock)
            {
                now = _time.GetTimestamp();
                if (!_active)
                {
                    return null;
                }

                if (now >= _pausedUntil && now - _lastLimitAt > _quietTicks && _waiting == 0)
                {
                    _active = false;
                    return null;
                }

                var tokens = Math.Max(1, (int)EffectiveRate(now));
                var earliest = Math.Max(now, _pausedUntil);
                var period = (long)(_time.TimestampFrequency * PeriodSeconds);
                releaseAt = _bucket.Next(earliest, tokens, period, reserve: false);
                var wait = _time.GetElapsedTime(now, releaseAt);
                if (wait > maxWait)
                {
                    return wait;
                }

                _bucket.Next(earliest, tokens, period, reserve: true);
                _waiting++;
            }

            try
            {
                await SleepUntilAsync(now, releaseAt, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                lock (_lock)
                {
                    _waiting--;
                }
            }

            bool stands;
            lock (_lock)
            {
                // Our permit stands unless a new limit voided it or moved the pause past it.
                stands = releaseAt >= _bucket.VoidBefore && _pausedUntil <= releaseAt;
            }

            if (stands)
            {
                // A timer may fire a little early (TimeProvider.System rounds a delay down to whole milliseconds);
                // a request sent just before the server's window ends would be limited again for a whole window.
                var early = _time.GetTimestamp();
                if (early < releaseAt)
                {
                    await SleepUntilAsync(early, releaseAt, cancellationToken).ConfigureAwait(false);
                }

                return null;
            }

            // Another rate limit paused the gate while we slept, and voided our permit: queue again.
        }
    }

    private async Task SleepUntilAsync(long now, long until, CancellationToken cancellationToken)
    {
        if (until > now)
        {
            var delay = _time.GetElapsedTime(now, until);
            await Task.Delay(delay < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private double EffectiveRate(long now)
    {
        var quietSeconds = Math.Floor((now - _lastLimitAt) / (double)_time.TimestampFrequency);
        return _rate * Math.Min(MaxGrowth, 1 + (0.1 * Math.Max(0, quietSeconds - 1)));
    }
}

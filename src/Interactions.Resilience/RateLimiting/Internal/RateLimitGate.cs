using Interactions.Resilience.Health.Internal;
using Interactions.Resilience.Internal;
namespace Interactions.Resilience.RateLimiting.Internal;

/// <summary>
/// The one wait that a rate limit (030003) imposes on every request of a client (or of one scope).
/// </summary>
/// <remarks>
/// A rate limit pauses the gate until the server's <c>Retry-After</c>. While the gate is active, every request
/// passes it: during the pause they wait; after it they are released in bursts (<see cref="BurstSchedule"/>)
/// of as many as the server accepted in the second before the limit, one burst per server window: a second
/// after the previous burst's first success came back, or a fixed period after the previous burst when none
/// did. So each window gets what it takes instead of everybody at once. A limit that arrives while pacing
/// lowers the rate to what was accepted; each quiet second raises it by a tenth, after one quiet second at
/// first and twice as many after each raise the server refused. After <see cref="QuietPeriod"/> without a
/// limit and nobody waiting, the gate steps aside.
/// </remarks>
internal sealed class RateLimitGate
{
    /// <summary>How long without a rate limit before the gate stops pacing.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(5);

    private const double MaxGrowth = 4.0;
    private const int MaxGrowthAfterSeconds = 16;

    // Each refill comes a little after a full second: a burst released on the dot can reach a server whose window
    // started a few milliseconds later, before that window ends, and be limited for a whole window. A refill comes
    // sooner when a success shows when the server's window began (see OnAccepted).
    private const double PeriodSeconds = 1.025;
    private static readonly TimeSpan RefillPeriod = TimeSpan.FromSeconds(PeriodSeconds);

    // The server's window began before it answered: a second after the first success of a burst came back, that
    // window has ended, and the next burst still has the way to the server to go.
    private static readonly TimeSpan ServerWindow = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly HealthWindow _health;
    private readonly object _lock = new();
    private readonly long _quietTicks;
    private volatile bool _active;
    private long _pausedUntil;
    private long _lastLimitAt;
    private double _rate = 1;
    private int _growthAfterSeconds = 1;
    private readonly BurstSchedule _bursts;
    private int _waiting;

    public RateLimitGate(TimeProvider time, HealthWindow health)
    {
        _time = time;
        _health = health;
        _quietTicks = TimeMath.ToTimestampTicks(QuietPeriod, time);
        _bursts = new BurstSchedule(TimeMath.ToTimestampTicks(RefillPeriod, time), TimeMath.ToTimestampTicks(ServerWindow, time));
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

    /// <summary>
    /// Gets whether the gate paces requests now: past its pause, and either a limit came within the quiet period
    /// or requests wait. An active gate that nobody passed since it went quiet is not pacing anybody.
    /// </summary>
    public bool IsPacing
    {
        get
        {
            lock (_lock)
            {
                var now = _time.GetTimestamp();
                return _active && now >= _pausedUntil && (now - _lastLimitAt <= _quietTicks || _waiting > 0);
            }
        }
    }

    /// <summary>
    /// Ends the pause and the pacing at once (an operator lifted them): the next request goes straight through.
    /// Requests already waiting finish the wait they were given. <see langword="true"/> when the gate was active.
    /// </summary>
    public bool Lift()
    {
        lock (_lock)
        {
            var wasActive = _active;
            _active = false;
            _pausedUntil = 0;
            _rate = 1;
            _growthAfterSeconds = 1;
            return wasActive;
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
                _growthAfterSeconds = 1;
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
                var overshot = accepted < 0.95 * effective;
                if (overshot && effective > _rate)
                {
                    // A faster pace was tried and refused: wait twice as long before the next try.
                    _growthAfterSeconds = Math.Min(MaxGrowthAfterSeconds, _growthAfterSeconds * 2);
                }

                _rate = overshot ? Math.Max(1, accepted) : effective;
            }

            // While pacing, a limit that asks for no more than one refill period is the server's window ending a
            // little later than ours: the request takes the next permit, and everybody else keeps their slots.
            var pacing = _active && !wasPaused && _rate >= 2; // at one a second there is no burst to protect
            var until = now + TimeMath.ToTimestampTicks(retryAfter, _time);

            // During a pause, the answers of requests that were in flight name the window's end in whole seconds,
            // each rounded up from its own moment: "1" at 5 ms and "1" at 80 ms can be the same end, which the earlier
            // bounds more tightly. So a limit whose end, less the rounding, falls before the pause's does not extend
            // it; the limited request still waits its own Retry-After before it queues here.
            var rounding = retryAfter.Ticks % TimeSpan.TicksPerSecond == 0 ? _time.TimestampFrequency : 0;
            var sameWindow = wasPaused && until - rounding < _pausedUntil;
            if (until > _pausedUntil && !(pacing && retryAfter <= RefillPeriod) && !sameWindow)
            {
                _pausedUntil = until;
                _bursts.DelayTo(until); // a full burst when the pause ends
            }

            _lastLimitAt = now;
            _active = true;
        }
    }

    /// <summary>
    /// A request sent through the gate at <paramref name="sentAt"/> was accepted, its answer back at
    /// <paramref name="acceptedAt"/>. The server's window that took it began by then, so the next burst may go
    /// a second later instead of waiting out the fixed refill period, which guesses that start.
    /// </summary>
    public void OnAccepted(long sentAt, long acceptedAt)
    {
        if (!_active)
        {
            return;
        }

        lock (_lock)
        {
            _bursts.OnAccepted(sentAt, acceptedAt);
        }
    }

    /// <summary>
    /// Waits for the gate's release. Returns <see langword="null"/> when the request may go, or the wait it
    /// would need when that exceeds <paramref name="maxWait"/> (the request then fails without waiting).
    /// </summary>
    public ValueTask<TimeSpan?> WaitAsync(TimeSpan maxWait, CancellationToken cancellationToken) => WaitAsync(0, maxWait, cancellationToken);

    /// <summary>
    /// Waits until <paramref name="notBefore"/> (a timestamp: the end of the request's own Retry-After), then
    /// for the gate's release; counted as waiting at the gate throughout.
    /// </summary>
    public async ValueTask<TimeSpan?> WaitAsync(long notBefore, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _waiting++; // counted from here on, and keeps the gate active while we wait
        }

        try
        {
            var start = _time.GetTimestamp();
            if (notBefore > start)
            {
                await SleepUntilAsync(start, notBefore, cancellationToken).ConfigureAwait(false);
            }

            long ticket;
            lock (_lock)
            {
                var now = _time.GetTimestamp();
                if (!_active)
                {
                    return null;
                }

                if (now >= _pausedUntil && now - _lastLimitAt > _quietTicks && _waiting == 1)
                {
                    _active = false; // quiet, and nobody else waits: step aside
                    return null;
                }

                if (TryTicket(now, maxWait, out ticket) is { } refused)
                {
                    return refused;
                }
            }

            while (true)
            {
                long now;
                long releaseAt;
                lock (_lock)
                {
                    now = _time.GetTimestamp();
                    releaseAt = _bursts.ReleaseAt(ticket, now);
                    if (releaseAt == BurstSchedule.Expired)
                    {
                        // Another rate limit voided the ticket, or we woke after our burst was over: queue again.
                        if (TryTicket(now, maxWait, out ticket) is { } refused)
                        {
                            return refused;
                        }

                        releaseAt = _bursts.ReleaseAt(ticket, now);
                    }

                    releaseAt = Math.Max(releaseAt, _pausedUntil);
                    if (releaseAt <= now)
                    {
                        return null;
                    }
                }

                // A ticket for a burst not yet settled gives its earliest start: the loop asks again then.
                await SleepUntilAsync(now, releaseAt, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            lock (_lock)
            {
                _waiting--;
            }
        }
    }

    /// <summary>Takes a ticket, unless the wait exceeds <paramref name="maxWait"/>: then returns that wait. Under the lock.</summary>
    private TimeSpan? TryTicket(long now, TimeSpan maxWait, out long ticket)
    {
        ticket = 0;
        var tokens = Math.Max(1, (int)EffectiveRate(now));
        var earliest = Math.Max(now, _pausedUntil);
        var wait = _time.GetElapsedTime(now, _bursts.Estimate(earliest, tokens));
        if (wait > maxWait)
        {
            return wait;
        }

        ticket = _bursts.Reserve(earliest, tokens);
        return null;
    }

    private async Task SleepUntilAsync(long now, long until, CancellationToken cancellationToken)
    {
        if (until > now)
        {
            // Whole milliseconds, rounded up: timers count those, and one that fires early costs a second sleep.
            var delay = TimeSpan.FromMilliseconds(Math.Ceiling(_time.GetElapsedTime(now, until).TotalMilliseconds));
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private double EffectiveRate(long now)
    {
        var quietSeconds = Math.Floor((now - _lastLimitAt) / (double)_time.TimestampFrequency);
        return _rate * Math.Min(MaxGrowth, 1 + (0.1 * Math.Max(0, quietSeconds - _growthAfterSeconds)));
    }
}

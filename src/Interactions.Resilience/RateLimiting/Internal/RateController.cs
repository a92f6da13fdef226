namespace Interactions.Resilience.RateLimiting.Internal;

/// <summary>
/// Rate control of one scope (the whole client, or one sender): what a 030003 does to the requests that did not get it.
/// See docs/rate-control.md for the algorithm, its parameters and the figures behind them.
/// </summary>
/// <remarks>
/// Three things are kept apart. (a) The limited request waits its own <c>Retry-After</c> (the caller passes its end
/// as <c>notBefore</c>); that happens whatever the evidence. (b) The whole scope is paused until that end only when
/// the evidence of the last second says the quota is spent: at least <see cref="PauseMinLimits"/> limits, and at least
/// <see cref="PauseShare"/> of the answers. A sporadic limit (one recipient of Meta's pair limit) pauses nobody else.
/// (c) From that evidence on, requests are released at a pace (a token bucket on <see cref="TimeProvider"/>) that
/// starts at Beta × the rate the server accepted, grows back along a cubic curve past it, and is decreased again, at
/// most once per window, when limits show it overshot. After <see cref="QuietPeriod"/> without a limit and nobody
/// waiting, the controller steps aside and the request path reads only <see cref="IsActive"/>.
/// </remarks>
internal sealed class RateController
{
    /// <summary>How long without a rate limit before the controller steps aside.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(5);

    /// <summary>The pace's parameters (also sent to a shared pace, so that the fleet follows the same law).</summary>
    public static readonly PaceParameters Defaults = new(
        Beta: 0.7,
        Growth: 0.4,
        MinRate: 0.5,
        MaxRate: 100_000,
        Burst: 2,
        Window: TimeSpan.FromSeconds(1),
        Idle: TimeSpan.FromSeconds(30));

    /// <summary>Limits in the last window that, with <see cref="PauseShare"/>, show the quota is spent.</summary>
    public const int PauseMinLimits = 3;

    /// <summary>The share of the last window's answers that were limits, from which the quota is spent.</summary>
    public const double PauseShare = 0.25;

    /// <summary>
    /// While paced, the share of the last window's answers that were limits, from which the quota is spent. The pace
    /// is below what the server took a moment ago: limits are mostly its overshoot, which a decrease answers without
    /// idling everybody until a <c>Retry-After</c> rounded up to whole seconds.
    /// </summary>
    public const double PacedPauseShare = 0.5;

    /// <summary>While paced: limits in the last window that, with <see cref="OvershootShare"/>, show the pace overshot.</summary>
    public const int OvershootMinLimits = 2;

    /// <summary>While paced: the share of the last window's answers that were limits, from which the pace overshot.</summary>
    public const double OvershootShare = 0.05;

    /// <summary>How long a call to the shared pace may take before this instance uses its own bucket.</summary>
    public static readonly TimeSpan SharedTimeout = TimeSpan.FromMilliseconds(250);

    /// <summary>After a shared-pace call failed or was slow, how long this instance paces alone before it asks again.</summary>
    public static readonly TimeSpan SharedRetryAfter = TimeSpan.FromSeconds(1);

    // The bucket holds a twentieth of a second's pace, at least Burst but never more than half a second's (at 2 a
    // second, a bucket of 2 would double what a window gets): enough that a timer that fires late loses no slot, too
    // little to put a fixed window over its quota when the pace is at the quota.
    private const double BurstSeconds = 0.05;

    private readonly TimeProvider _time;
    private readonly long _frequency;
    private readonly long _window;
    private readonly long _quiet;
    private readonly PaceParameters _p;
    private readonly Func<int>? _acceptedElsewhere;
    private readonly string _clientName;
    private readonly string? _scope;
    private readonly ISharedPace? _shared;
    private readonly TaskCreationOptions _slotOptions;
    private readonly object _lock = new();
    private readonly LimitEvidence _evidence;
    private readonly Queue<TaskCompletionSource> _queue = new();
    private readonly HashSet<ITimer> _sleeps = [];
    private volatile bool _active;
    private PaceBucket _bucket;
    private ITimer? _timer;
    private long _armedFor = long.MaxValue;
    private long _activatedAt;
    private long _pausedUntil;
    private long _lastLimitAt;
    private long _lastDecreaseAt;
    private long _restartAt;
    private double _rateInForceAtDecrease;
    private CubicRate? _cubic;
    private bool _settlePending;
    private long _sharedDownUntil;
    private int _waiting;

    /// <param name="time">The clock.</param>
    /// <param name="clientName">The named client, for a shared pace.</param>
    /// <param name="scope">The scope; <see langword="null"/> for the whole client.</param>
    /// <param name="acceptedElsewhere">
    /// The requests accepted in the last second as the client counts them on its fast path. Requests in flight when
    /// the first limit arrives were not sent through the controller, so for its first window it counts these too.
    /// </param>
    /// <param name="shared">A release pace shared with other instances, or <see langword="null"/>.</param>
    /// <param name="parameters">The pace's parameters; <see cref="Defaults"/> unless a test says otherwise.</param>
    /// <param name="releaseInline">
    /// Whether a released waiter continues on the timer's thread. Only for simulations on a fake clock, where that makes
    /// every step run inside <c>Advance</c>; requests must not run on the timer, so the library leaves it off.
    /// </param>
    public RateController(
        TimeProvider time,
        string clientName,
        string? scope,
        Func<int>? acceptedElsewhere = null,
        ISharedPace? shared = null,
        PaceParameters? parameters = null,
        bool releaseInline = false)
    {
        _slotOptions = releaseInline ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously;
        _time = time;
        _frequency = time.TimestampFrequency;
        _p = parameters ?? Defaults;
        _window = Ticks(_p.Window);
        _quiet = Ticks(QuietPeriod);
        _clientName = clientName;
        _scope = scope;
        _acceptedElsewhere = acceptedElsewhere;
        _shared = shared;
        _evidence = new LimitEvidence(_window);
        _bucket = new PaceBucket(_frequency);
    }

    /// <summary>Gets whether requests must pass the controller; one volatile read for the request path.</summary>
    public bool IsActive => _active;

    /// <summary>Gets how many requests are waiting: their own <c>Retry-After</c>, a pause, or a release slot.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Gets the pace, in requests per second, at which requests are released now; 0 when not pacing.</summary>
    public double CurrentRate
    {
        get
        {
            lock (_lock)
            {
                return _active && _cubic is not null ? Rate(_time.GetTimestamp()) : 0;
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
                return _active && now < _pausedUntil ? Duration(_pausedUntil - now) : TimeSpan.Zero;
            }
        }
    }

    /// <summary>Gets whether requests are released at a pace (the evidence showed a quota).</summary>
    public bool IsPacing
    {
        get
        {
            lock (_lock)
            {
                return _active && _cubic is not null;
            }
        }
    }

    /// <summary>
    /// The server answered 030003 asking for <paramref name="retryAfter"/> (its <c>Retry-After</c>, or the default delay).
    /// Counts it as evidence; pauses the scope until then when the evidence says the quota is spent, and decreases the
    /// pace when it says so or that the pace overshot. Returns how long the scope is now paused, or <see langword="null"/>
    /// when this limit paused nobody but the request that got it.
    /// </summary>
    public TimeSpan? OnRateLimited(TimeSpan retryAfter)
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            if (!_active)
            {
                Activate(now);
            }

            _evidence.RecordLimit(now);
            _lastLimitAt = now;
            var (limits, others) = Answers(now);
            var total = limits + others;
            var spent = limits >= PauseMinLimits && limits >= (_cubic is null ? PauseShare : PacedPauseShare) * total;
            var overshot = _cubic is not null && limits >= OvershootMinLimits && limits >= OvershootShare * total;
            TimeSpan? paused = null;
            if (spent)
            {
                paused = ExtendPause(now, retryAfter, wholeSecondsRounded: true);
            }

            if (spent || overshot)
            {
                Decrease(now);
            }
            else
            {
                RaiseWithinPause(now);
            }

            Arm(now);
            return paused;
        }
    }

    /// <summary>
    /// Another instance paused this scope (it saw the quota spent) for <paramref name="duration"/>, already bounded by the
    /// caller: pause until then and pace afterwards, as if this instance had seen it.
    /// </summary>
    public void Pause(TimeSpan duration)
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            if (!_active)
            {
                Activate(now);
            }

            _lastLimitAt = now;
            ExtendPause(now, duration, wholeSecondsRounded: false);
            Decrease(now);
            Arm(now);
        }
    }

    /// <summary>
    /// A request that passed the controller, sent at <paramref name="sentAt"/>, was accepted; its answer came back at
    /// <paramref name="acceptedAt"/>. Counts as evidence that the quota is not spent, and as what the server takes.
    /// </summary>
    public void OnAccepted(long sentAt, long acceptedAt)
    {
        _ = sentAt;
        if (!_active)
        {
            return;
        }

        lock (_lock)
        {
            _evidence.RecordAccepted(acceptedAt);
            RaiseWithinPause(acceptedAt);
        }
    }

    /// <summary>A request that passed the controller was answered with another failure than a rate limit: the server took it.</summary>
    public void OnAnswered()
    {
        if (!_active)
        {
            return;
        }

        lock (_lock)
        {
            _evidence.RecordAnswered(_time.GetTimestamp());
        }
    }

    /// <summary>
    /// Waits until <paramref name="notBefore"/> (a timestamp: the end of the request's own Retry-After; 0 for none), then,
    /// while the scope is paused or paced, for its release. Returns <see langword="null"/> when the request may go, or the
    /// wait it would need when that exceeds <paramref name="maxWait"/> (the request then fails without waiting).
    /// </summary>
    public async ValueTask<TimeSpan?> WaitAsync(long notBefore, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _waiting++; // counted from here on, and keeps the controller active while we wait
        }

        try
        {
            var start = _time.GetTimestamp();
            if (notBefore > start)
            {
                await SleepAsync(notBefore - start, cancellationToken).ConfigureAwait(false);
            }

            while (true)
            {
                TaskCompletionSource? slot = null;
                double rate;
                long pausedUntil;
                lock (_lock)
                {
                    var now = _time.GetTimestamp();
                    if (!_active)
                    {
                        return null;
                    }

                    if (now >= _pausedUntil && now - _lastLimitAt > _quiet && _waiting == 1 && _queue.Count == 0)
                    {
                        Deactivate(); // quiet, and nobody else waits: step aside
                        return null;
                    }

                    if (_cubic is null)
                    {
                        return null; // sporadic limits: nobody but the limited request waits
                    }

                    rate = Rate(now);
                    pausedUntil = _pausedUntil;
                    if (_shared is null || now < _sharedDownUntil)
                    {
                        // Ahead of this request: the waiters queued, each a slot at the pace, after the pause.
                        var release = Math.Max(_pausedUntil, _bucket.NextAt(now, rate, Capacity(rate))) + (long)(_queue.Count / rate * _frequency);
                        if (release - now > Ticks(maxWait))
                        {
                            return Duration(release - now);
                        }

                        if (_queue.Count == 0 && now >= _pausedUntil && _bucket.TryTake(now, rate, Capacity(rate)))
                        {
                            return null;
                        }

                        slot = new TaskCompletionSource(_slotOptions);
                        _queue.Enqueue(slot);
                        Arm(now);
                    }
                }

                if (slot is not null)
                {
                    using (cancellationToken.UnsafeRegister(static (s, ct) => ((TaskCompletionSource)s!).TrySetCanceled(ct), slot))
                    {
                        await slot.Task.ConfigureAwait(false);
                    }

                    return null;
                }

                var (reserved, refused) = await ReserveSharedAsync(rate, pausedUntil, maxWait, cancellationToken).ConfigureAwait(false);
                if (reserved)
                {
                    return refused;
                }

                // The shared pace did not answer in time: this instance paces alone for a while (next turn of the loop).
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

    /// <summary>
    /// Takes the next slot of the shared pace and waits for it (and for the local pause); <c>Refused</c> is the wait when
    /// it exceeds <paramref name="maxWait"/>. <c>Reserved</c> is false when the shared pace failed, answered null or was
    /// slow: the caller then uses the local bucket.
    /// </summary>
    private async ValueTask<(bool Reserved, TimeSpan? Refused)> ReserveSharedAsync(double rate, long pausedUntil, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        TimeSpan? delay;
        try
        {
            var reserve = _shared!.ReserveAsync(_clientName, _scope, Parameters(rate), cancellationToken).AsTask();
            if (!reserve.IsCompleted)
            {
                using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var timeout = SleepAsync(Ticks(SharedTimeout), bound.Token);
                await Task.WhenAny(reserve, timeout).ConfigureAwait(false);
                await bound.CancelAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }

            delay = reserve.IsCompletedSuccessfully ? reserve.Result : null; // failed or slow: the local controller takes over
            Observe(reserve);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception)
        {
            delay = null; // the shared pace threw at once
        }

        var now = _time.GetTimestamp();
        if (delay is not { } reserved)
        {
            lock (_lock)
            {
                _sharedDownUntil = now + Ticks(SharedRetryAfter);
            }

            return (false, null);
        }

        var until = Math.Max(pausedUntil, now + Math.Max(0, Ticks(reserved)));
        if (until - now > Ticks(maxWait))
        {
            return (true, Duration(until - now));
        }

        await SleepAsync(until - now, cancellationToken).ConfigureAwait(false);
        return (true, null);
    }

    /// <summary>Releases the waiters whose slot has come; called by the timer.</summary>
    private void Pump()
    {
        List<TaskCompletionSource>? released = null;
        lock (_lock)
        {
            _armedFor = long.MaxValue;
            var now = _time.GetTimestamp();
            while (_queue.TryPeek(out var head))
            {
                if (head.Task.IsCompleted)
                {
                    _queue.Dequeue(); // cancelled while waiting
                    continue;
                }

                var rate = Rate(now);
                if (now < _pausedUntil || !_bucket.TryTake(now, rate, Capacity(rate)))
                {
                    break;
                }

                (released ??= []).Add(_queue.Dequeue());
            }

            Arm(now);
        }

        if (released is not null)
        {
            foreach (var slot in released)
            {
                slot.TrySetResult();
            }
        }
    }

    /// <summary>Sets the timer for the head of the queue's slot. Under the lock.</summary>
    private void Arm(long now)
    {
        if (_queue.Count == 0 || _cubic is null)
        {
            return;
        }

        var rate = Rate(now);
        var due = Math.Max(_pausedUntil, _bucket.NextAt(now, rate, Capacity(rate)));
        if (due == _armedFor)
        {
            return;
        }

        _armedFor = due;

        // Whole milliseconds, rounded up, at least one (a timer due at once may fire inside this call, under the lock):
        // timers count those, and one that fires early only re-arms.
        var delay = TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling((due - now) * 1000.0 / _frequency)));
        if (_timer is null)
        {
            _timer = _time.CreateTimer(static self => ((RateController)self!).Pump(), this, delay, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Activate(long now)
    {
        _active = true;
        _activatedAt = now;
        _evidence.Clear();
        _pausedUntil = now - _window;
        _lastDecreaseAt = long.MinValue;
        _cubic = null;
        _bucket = new PaceBucket(_frequency);
    }

    private void Deactivate()
    {
        _active = false;
        _cubic = null;
    }

    /// <summary>Pauses until <paramref name="wait"/> from now, unless a pause in force already ends as late. Under the lock.</summary>
    private TimeSpan? ExtendPause(long now, TimeSpan wait, bool wholeSecondsRounded)
    {
        var until = now + Ticks(wait);

        // During a pause, the answers of requests that were in flight name the window's end in whole seconds, each
        // rounded up from its own moment: "1" at 5 ms and "1" at 80 ms can be the same end, which the earlier bounds
        // more tightly. Only an end that is later even less the rounding extends the pause.
        var rounding = wholeSecondsRounded && wait.Ticks % TimeSpan.TicksPerSecond == 0 ? _frequency : 0;
        if (until <= now || (now < _pausedUntil && until - rounding < _pausedUntil) || until <= _pausedUntil)
        {
            return null;
        }

        _pausedUntil = until;
        if (_cubic is not null && _restartAt < until)
        {
            _restartAt = until; // the pace grows from the pause's end, not during it
            _settlePending = true;
        }

        return Duration(until - now);
    }

    /// <summary>
    /// Decreases the pace to Beta × the lower of the rate in force and the rate the server accepted; once per window,
    /// since the limits of one burst are one piece of evidence. Under the lock.
    /// </summary>
    private void Decrease(long now)
    {
        if (_lastDecreaseAt != long.MinValue && now - _lastDecreaseAt < _window)
        {
            return;
        }

        var inForce = _cubic is not null ? Rate(now) : double.PositiveInfinity;
        var rateMax = Math.Clamp(Math.Min(inForce, MeasuredAccepted(now)), _p.MinRate, _p.MaxRate);
        _cubic = new CubicRate(rateMax, _p.Beta, _p.Growth, _p.MinRate, _p.MaxRate);
        _rateInForceAtDecrease = inForce;
        _restartAt = Math.Max(now, _pausedUntil);
        _settlePending = _restartAt > now;
        _lastDecreaseAt = now;
        if (_shared is not null)
        {
            _ = ReportQuotaSpentAsync(rateMax);
        }
    }

    /// <summary>
    /// During the pause that followed a decrease, answers of requests sent before it still arrive: acceptances among
    /// them show the server took more than was counted at the decrease. Under the lock.
    /// </summary>
    private void RaiseWithinPause(long now)
    {
        if (_cubic is not { } cubic || now >= _pausedUntil || now - _lastDecreaseAt >= _window)
        {
            return;
        }

        var rateMax = Math.Min(_rateInForceAtDecrease, Math.Min(MeasuredAccepted(now), _p.MaxRate));
        if (rateMax > cubic.RateMax)
        {
            _cubic = cubic with { RateMax = rateMax };
        }
    }

    private async Task ReportQuotaSpentAsync(double localRate)
    {
        try
        {
            var report = _shared!.OnQuotaSpentAsync(_clientName, _scope, localRate, Parameters(localRate)).AsTask();
            Observe(report);
            await report.WaitAsync(SharedTimeout, _time).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Best effort: the shared pace learns of the spent quota from the next report, or from another instance.
        }
    }

    /// <summary>A shared-pace call that fails after we stopped waiting for it is not an unobserved exception.</summary>
    private static void Observe(Task task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>The limits, and the other answers, of the last window. Under the lock.</summary>
    private (int Limits, int Others) Answers(long now)
    {
        var (limits, accepted, answered) = _evidence.Sum(now);
        return (limits, Math.Max(accepted, AcceptedElsewhere(now)) + answered);
    }

    /// <summary>
    /// What the server accepted per second over the last window. Never over a shorter span: a fixed window lets a
    /// full quota through at its start, which over half a second would read as twice the quota. Under the lock.
    /// </summary>
    private double MeasuredAccepted(long now)
        => Math.Max(_evidence.Sum(now).Accepted, AcceptedElsewhere(now)) * (double)_frequency / _window;

    // Until a pause of the first burst has surely ended (two windows), the requests in flight at activation went
    // out on the fast path, uncounted here; the client's count of the last (whole) second stands in for them.
    private int AcceptedElsewhere(long now) => _acceptedElsewhere is not null && now - _activatedAt < 2 * _window ? _acceptedElsewhere() : 0;

    /// <summary>The pace at <paramref name="now"/>. Under the lock.</summary>
    private double Rate(long now)
    {
        if (_cubic is not { } cubic)
        {
            return double.PositiveInfinity;
        }

        if (_settlePending && now >= _restartAt)
        {
            // The pause that followed the decrease is over: every answer of the burst it covered is in, so what the
            // server took then is known better than when the first limits came back.
            _settlePending = false;
            if (now - _restartAt < _window / 2)
            {
                var accepted = Math.Max(_evidence.Sum(now).Accepted, AcceptedElsewhere(now));
                var rateMax = Math.Min(_rateInForceAtDecrease, Math.Min(accepted * (double)_frequency / _window, _p.MaxRate));
                if (rateMax > cubic.RateMax)
                {
                    _cubic = cubic = cubic with { RateMax = rateMax };
                }
            }
        }

        return cubic.At((now - _restartAt) / (double)_frequency);
    }

    private double Capacity(double rate) => Math.Max(1, Math.Max(Math.Min(_p.Burst, rate / 2), rate * BurstSeconds));

    private PaceParameters Parameters(double rate) => _p with { Burst = Capacity(rate) };

    /// <summary>
    /// Sleeps on the clock. Task.Delay on a <see cref="TimeProvider"/> always continues on the thread pool; this one
    /// continues as the controller's slots do, so that a simulation on a fake clock runs every step inside its advance.
    /// </summary>
    private async Task SleepAsync(long ticks, CancellationToken cancellationToken)
    {
        // Whole milliseconds, rounded up: timers count those, and one that fires early costs a second sleep.
        var delay = TimeSpan.FromMilliseconds(Math.Ceiling(ticks * 1000.0 / _frequency));
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var done = new TaskCompletionSource(_slotOptions);
        var timer = _time.CreateTimer(static s => ((TaskCompletionSource)s!).TrySetResult(), done, delay, Timeout.InfiniteTimeSpan);
        lock (_lock)
        {
            _sleeps.Add(timer); // a timer nothing references may be collected before it fires
        }

        try
        {
            using var registration = cancellationToken.UnsafeRegister(static (s, ct) => ((TaskCompletionSource)s!).TrySetCanceled(ct), done);
            await done.Task.ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                _sleeps.Remove(timer);
            }

            timer.Dispose();
        }
    }

    private long Ticks(TimeSpan duration) => (long)(duration.TotalSeconds * _frequency);

    private TimeSpan Duration(long ticks) => TimeSpan.FromSeconds(ticks / (double)_frequency);
}

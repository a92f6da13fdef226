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
internal sealed partial class RateController
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

    /// <summary>
    /// Gets whether the controller holds nothing a request needs: nobody waiting, and not active or quiet for
    /// <see cref="QuietPeriod"/> with no pause in force. Such a scope's controller may be dropped; a new one starts the same.
    /// </summary>
    public bool IsIdle
    {
        get
        {
            lock (_lock)
            {
                var now = _time.GetTimestamp();
                return _waiting == 0 && _queue.Count == 0 && (!_active || (now >= _pausedUntil && now - _lastLimitAt > _quiet));
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
                // A pace that has been quiet for QuietPeriod with nobody waiting is over, though the controller steps
                // aside only when the next request passes.
                var now = _time.GetTimestamp();
                var over = now >= _pausedUntil && now - _lastLimitAt > _quiet && _waiting == 0 && _queue.Count == 0;
                return _active && _cubic is not null && !over;
            }
        }
    }

    /// <summary>
    /// The server answered 030003 asking for <paramref name="retryAfter"/> (its <c>Retry-After</c>, or the default delay).
    /// Counts it as evidence; pauses the scope until then when it says the quota is spent; decreases the pace then or when
    /// the pace overshot (else the shared pace counts it). Returns the pause, or null when it paused nobody else.
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
                ReportLimitToSharedPace(now);
            }

            Arm(now);
            return paused;
        }
    }

    /// <summary>
    /// Another instance paused this scope (it saw the quota spent) for <paramref name="duration"/>, already bounded by the
    /// caller: pause until then and pace afterwards, as if this instance had seen it (when it sent nothing in the last
    /// window, there is no rate of its own to pace by, and it only waits the pause out).
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
            if (_cubic is not null || MeasuredAccepted(now) > 0)
            {
                Decrease(now); // paced by what this instance sent; one that sent nothing only waits the pause out
            }

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

    /// <summary>
    /// An operator lifted this scope's pause and pace (the vendor confirmed the account is fine): the requests queued for
    /// a slot go at once, and the controller steps aside. Returns whether a pause or a pace was in force.
    /// </summary>
    public bool Lift()
    {
        List<TaskCompletionSource> released = [];
        bool inForce;
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            inForce = _active && (now < _pausedUntil || _cubic is not null);
            _pausedUntil = now - _window;
            while (_queue.TryDequeue(out var slot))
            {
                released.Add(slot);
            }

            Deactivate();
        }

        foreach (var slot in released)
        {
            slot.TrySetResult();
        }

        return inForce;
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

    private long Ticks(TimeSpan duration) => (long)(duration.TotalSeconds * _frequency);

    private TimeSpan Duration(long ticks) => TimeSpan.FromSeconds(ticks / (double)_frequency);
}

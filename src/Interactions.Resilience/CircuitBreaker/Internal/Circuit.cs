using Interactions.Resilience.Health.Internal;
using Interactions.Resilience.Internal;
namespace Interactions.Resilience.CircuitBreaker.Internal;

/// <summary>
/// A circuit over the Retry codes and transport failures: it opens when at least <c>FailureRatio</c> of at least
/// <c>MinimumThroughput</c> attempts in the sampling window failed with a Retry code, stays open for the break
/// (or the server's longer <c>Retry-After</c>), then lets one trial through: its success closes the circuit,
/// its failure opens it again. It counts every attempt, those of the fast path too.
/// </summary>
internal sealed class Circuit
{
    private const int Closed = 0;
    private const int Open = 1;
    private const int HalfOpen = 2;

    private readonly InteractionsCircuitBreakerOptions _options;
    private readonly TimeProvider _time;
    private readonly HealthWindow _health;
    private readonly int _samplingSeconds;
    private readonly object _lock = new();
    private int _state;
    private long _openUntil;
    private long _trialStartedAt;

    public Circuit(InteractionsCircuitBreakerOptions options, TimeProvider time, HealthWindow health)
    {
        _options = options;
        _time = time;
        _health = health;
        _samplingSeconds = (int)options.SamplingDuration.TotalSeconds;
    }

    /// <summary>Gets whether the circuit is closed; one volatile read for the request path.</summary>
    public bool IsClosed => Volatile.Read(ref _state) == Closed;

    /// <summary>Whether a request may call the server now; when not, how long the break has left.</summary>
    public bool TryEnter(out TimeSpan breakLeft)
    {
        breakLeft = TimeSpan.Zero;
        if (IsClosed)
        {
            return true;
        }

        lock (_lock)
        {
            var now = _time.GetTimestamp();
            switch (_state)
            {
                case Closed:
                    // Stryker disable once Boolean : reached only when another thread closed the circuit between IsClosed and the lock; a unit test cannot order that race
                    return true;
                case Open when now < _openUntil:
                    breakLeft = _time.GetElapsedTime(now, _openUntil);
                    return false;
                case Open:
                    _state = HalfOpen;
                    _trialStartedAt = now;
                    return true; // the trial
                default:
                    // One trial at a time; a trial that never reported (cancelled) is replaced after a break.
                    if (_time.GetElapsedTime(_trialStartedAt, now) >= _options.BreakDuration)
                    {
                        _trialStartedAt = now;
                        return true;
                    }

                    return false;
            }
        }
    }

    /// <summary>Whether the circuit is open (or half-open, its trial under way), with the break it has left.</summary>
    public bool IsOpen(out TimeSpan breakLeft)
    {
        breakLeft = TimeSpan.Zero;
        if (IsClosed)
        {
            return false;
        }

        lock (_lock)
        {
            var now = _time.GetTimestamp();
            // Stryker disable once Equality,Logical : at now == _openUntil the break left is zero either way; half-open starts only past _openUntil, so || adds no case
            if (_state == Open && now < _openUntil)
            {
                breakLeft = _time.GetElapsedTime(now, _openUntil);
            }

            return _state != Closed;
        }
    }

    /// <summary>Closes the circuit at once and forgets the failures that opened it (an operator lifted it); <see langword="true"/> when it was not closed.</summary>
    public bool Reset()
    {
        lock (_lock)
        {
            var wasOpen = _state != Closed;
            Volatile.Write(ref _state, Closed);
            _openUntil = 0;
            _health.Clear();
            return wasOpen;
        }
    }

    public bool SharesHealth(HealthWindow health) => ReferenceEquals(health, _health);

    /// <summary>An attempt got an answer that is not a Retry-code failure: the server is up.</summary>
    public void OnSuccess(long second, HealthWindow.Kind kind, bool recordHealth)
    {
        if (recordHealth)
        {
            _health.Record(kind, second);
        }

        if (!IsClosed)
        {
            lock (_lock)
            {
                if (_state == HalfOpen)
                {
                    _state = Closed;
                    _health.Clear();
                }
            }
        }
    }

    /// <summary>An attempt failed with a Retry code or a transport failure.</summary>
    public void OnFailure(TimeSpan? retryAfter)
    {
        _health.Record(HealthWindow.Kind.Failure);
        lock (_lock)
        {
            if (_state == HalfOpen)
            {
                OpenFor(retryAfter);
                // Stryker disable once Statement : OpenFor leaves the circuit Open, so the Closed branch below is skipped without the return too
                return;
            }

            if (_state == Closed)
            {
                var (_, successes, failures, _) = _health.Sum(_samplingSeconds);
                var total = successes + failures;
                if (total >= _options.MinimumThroughput && failures >= _options.FailureRatio * total)
                {
                    OpenFor(retryAfter);
                }
            }
        }
    }

    private void OpenFor(TimeSpan? retryAfter)
    {
        // Stryker disable once Equality : a Retry-After equal to the break opens it for the same duration either way
        var duration = retryAfter is { } server && server > _options.BreakDuration ? server : _options.BreakDuration;
        _openUntil = _time.GetTimestamp() + TimeMath.ToTimestampTicks(duration, _time);
        Volatile.Write(ref _state, Open);
    }
}

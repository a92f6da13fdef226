namespace Interactions.Resilience.Health.Internal;

/// <summary>
/// What a client's calls did over the last seconds, in one-second buckets: requests started, attempts that
/// succeeded, attempts answered with a code that is not a Retry-policy code (the server is up, but did not
/// accept), attempts that failed with a Retry-policy code, and retries made. The rate-limit gate reads the
/// successes of the last second, the retry budget the last 10 s, the circuit breaker the last 30 s. One
/// timestamp read and one interlocked increment per event; an estimate, not an audit.
/// </summary>
internal sealed class HealthWindow
{
    public const int Seconds = 32;

    private readonly TimeProvider _time;
    private readonly long _frequency;
    private readonly Bucket[] _buckets = new Bucket[Seconds];
    private readonly object _lock = new();

    public HealthWindow(TimeProvider time)
    {
        _time = time;
        _frequency = time.TimestampFrequency;
        for (var i = 0; i < Seconds; i++)
        {
            _buckets[i] = new Bucket { Second = -1 };
        }
    }

    public enum Kind
    {
        Request,
        Success,
        Answered,
        Failure,
        Retry,
    }

    public long Now => _time.GetTimestamp() / _frequency;

    public long SecondOf(long timestamp) => timestamp / _frequency;

    public void Record(Kind kind) => Record(kind, Now);

    public void Record(Kind kind, long second)
    {
        var bucket = Current(second);
        switch (kind)
        {
            case Kind.Request:
                Interlocked.Increment(ref bucket.Requests);
                break;
            case Kind.Success:
                Interlocked.Increment(ref bucket.Successes);
                break;
            case Kind.Answered:
                Interlocked.Increment(ref bucket.Answered);
                break;
            case Kind.Failure:
                Interlocked.Increment(ref bucket.Failures);
                break;
            default:
                Interlocked.Increment(ref bucket.Retries);
                break;
        }
    }

    /// <summary>Sums the last <paramref name="seconds"/> seconds, the current one included; answered attempts count as successes.</summary>
    public (long Requests, long Successes, long Failures, long Retries) Sum(int seconds)
    {
        var now = Now;
        long requests = 0, successes = 0, failures = 0, retries = 0;
        foreach (var bucket in _buckets)
        {
            var age = now - Volatile.Read(ref bucket.Second);
            if (age >= 0 && age < seconds)
            {
                requests += Volatile.Read(ref bucket.Requests);
                successes += Volatile.Read(ref bucket.Successes) + Volatile.Read(ref bucket.Answered);
                failures += Volatile.Read(ref bucket.Failures);
                retries += Volatile.Read(ref bucket.Retries);
            }
        }

        return (requests, successes, failures, retries);
    }

    /// <summary>The successes (not mere answers) of the current second or of the one before, whichever is more.</summary>
    public int AcceptedPerSecond()
    {
        var now = Now;
        var current = _buckets[now % Seconds];
        var previous = _buckets[(now + Seconds - 1) % Seconds];
        var a = Volatile.Read(ref current.Second) == now ? Volatile.Read(ref current.Successes) : 0;
        var b = Volatile.Read(ref previous.Second) == now - 1 ? Volatile.Read(ref previous.Successes) : 0;
        return Math.Max(a, b);
    }

    /// <summary>Forgets everything: a circuit that closes starts counting afresh.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            foreach (var bucket in _buckets)
            {
                bucket.Clear(-1);
            }
        }
    }

    private Bucket Current(long second)
    {
        var bucket = _buckets[second % Seconds];
        if (Volatile.Read(ref bucket.Second) != second)
        {
            lock (_lock)
            {
                if (bucket.Second != second)
                {
                    bucket.Clear(second);
                }
            }
        }

        return bucket;
    }

    private sealed class Bucket
    {
        public long Second;
        public int Requests;
        public int Successes;
        public int Answered;
        public int Failures;
        public int Retries;

        public void Clear(long second)
        {
            Volatile.Write(ref Requests, 0);
            Volatile.Write(ref Successes, 0);
            Volatile.Write(ref Answered, 0);
            Volatile.Write(ref Failures, 0);
            Volatile.Write(ref Retries, 0);
            Volatile.Write(ref Second, second);
        }
    }
}

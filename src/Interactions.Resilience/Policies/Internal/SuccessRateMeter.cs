namespace Interactions.Resilience.Policies.Internal;

/// <summary>
/// Counts the client's successful calls per second, so that after a rate limit the waiting requests are
/// released at the pace the server accepted before it. Two one-second buckets; an estimate, not an audit.
/// </summary>
internal sealed class SuccessRateMeter
{
    private readonly TimeProvider _time;
    private readonly long _frequency;
    private readonly object _lock = new();
    private long _second;
    private int _current;
    private int _previous;

    public SuccessRateMeter(TimeProvider time)
    {
        _time = time;
        _frequency = time.TimestampFrequency;
    }

    public void Record()
    {
        var second = _time.GetTimestamp() / _frequency;
        if (second != Volatile.Read(ref _second))
        {
            Rotate(second);
        }

        Interlocked.Increment(ref _current);
    }

    /// <summary>The successes of the last full second or of the current one, whichever is more.</summary>
    public int AcceptedPerSecond()
    {
        var second = _time.GetTimestamp() / _frequency;
        lock (_lock)
        {
            return (second - _second) switch
            {
                0 => Math.Max(_previous, Volatile.Read(ref _current)),
                1 => Volatile.Read(ref _current),
                _ => 0,
            };
        }
    }

    private void Rotate(long second)
    {
        lock (_lock)
        {
            if (second <= _second)
            {
                return;
            }

            _previous = second == _second + 1 ? Volatile.Read(ref _current) : 0;
            Volatile.Write(ref _current, 0);
            Volatile.Write(ref _second, second);
        }
    }
}

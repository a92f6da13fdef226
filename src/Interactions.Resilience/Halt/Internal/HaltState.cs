using Interactions.Resilience.Internal;
namespace Interactions.Resilience.Halt.Internal;

/// <summary>
/// The client's halt after 010002, 010003 or 010006: until it ends, every request fails locally with the
/// same code. Shared by every handler instance of one named client.
/// </summary>
internal sealed class HaltState
{
    private readonly TimeProvider _time;
    private readonly object _lock = new();
    private long _until; // a TimeProvider timestamp; 0 when not halted
    private InteractionsError? _error;

    public HaltState(TimeProvider time) => _time = time;

    /// <summary>Gets whether a halt may be in force; a single volatile read for the request path.</summary>
    public bool MayBeHalted => Volatile.Read(ref _until) != 0;

    public void Trip(InteractionsError error, TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return;
        }

        var until = _time.GetTimestamp() + TimeMath.ToTimestampTicks(duration, _time);
        lock (_lock)
        {
            // Stryker disable once Equality : two halts ending on the same tick: which of the two halt codes is reported is not specified
            if (until > _until)
            {
                _error = error.AsLocal();
                Volatile.Write(ref _until, until);
            }
        }
    }

    /// <summary>Ends the halt at once (an operator lifted it); <see langword="true"/> when one was in force.</summary>
    public bool Lift()
    {
        lock (_lock)
        {
            var wasActive = _until != 0 && _time.GetTimestamp() < _until;
            Volatile.Write(ref _until, 0);
            _error = null;
            return wasActive;
        }
    }

    /// <summary>Whether the halt is in force now, with the code it fails requests with and the time it has left.</summary>
    public bool IsActive(out InteractionsError error, out TimeSpan remaining)
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            if (_until != 0 && now < _until)
            {
                error = _error!;
                remaining = _time.GetElapsedTime(now, _until);
                return true;
            }

            _until = 0;
            _error = null;
        }

        error = null!;
        remaining = TimeSpan.Zero;
        return false;
    }
}

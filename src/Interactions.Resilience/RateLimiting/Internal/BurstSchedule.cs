namespace Interactions.Resilience.RateLimiting.Internal;

/// <summary>
/// The rate-limit gate's release schedule: numbered bursts of permits, one burst per server window. A request
/// takes a ticket (the number of its burst); when a burst starts is settled only when it is due, from what the
/// burst before it showed: a success of that burst proves the server's window had begun when the answer came
/// back, so the next burst may start one window after that answer. Without such an answer the next burst
/// starts a fixed period after the last. Not thread-safe: the owner holds its lock.
/// </summary>
/// <remarks>
/// A fixed period has to guess when the server's window began, and guesses late so that a burst never lands
/// before that window ends; each window then costs the guess's margin. Anchoring on an answer costs one round
/// trip instead. Bursts ahead are numbered, not timed, so that an earlier start moves every later burst too.
/// </remarks>
internal sealed class BurstSchedule
{
    /// <summary>What <see cref="ReleaseAt"/> returns for a ticket that can no longer be used: void, or its burst is over.</summary>
    public const long Expired = long.MinValue;

    private readonly long _period;
    private readonly long _window;
    private long _knownBurst;
    private long _knownStart = long.MinValue;
    private long _anchoredNext = long.MaxValue;
    private long _tailBurst;
    private int _tailUsed;
    private long _voidBefore = long.MinValue;

    /// <param name="period">The interval between bursts when no answer showed the server's window, in timestamp ticks.</param>
    /// <param name="window">The server's window, with its margin, in timestamp ticks: the interval after an answer.</param>
    public BurstSchedule(long period, long window)
    {
        _period = period;
        _window = window;
    }

    /// <summary>
    /// Hands out nothing before <paramref name="start"/>, where a full burst waits. Unless every ticket already
    /// given is for a burst that starts at or after it, they are void: their holders, finding out, take new ones,
    /// so a pause that grows by a few milliseconds never releases a double burst.
    /// </summary>
    public void DelayTo(long start)
    {
        if (_knownStart != long.MinValue && _tailBurst == _knownBurst && start <= _knownStart)
        {
            return;
        }

        Rebase(start);
        _voidBefore = _knownBurst;
    }

    /// <summary>
    /// A request of the burst under way, sent at <paramref name="sentAt"/>, was accepted; its answer came back at
    /// <paramref name="acceptedAt"/>. The next burst may start one window after the earliest such answer.
    /// </summary>
    public void OnAccepted(long sentAt, long acceptedAt)
    {
        if (_knownStart != long.MinValue && sentAt >= _knownStart && acceptedAt + _window < _anchoredNext)
        {
            _anchoredNext = acceptedAt + _window;
        }
    }

    /// <summary>Takes a ticket for a request that may go at <paramref name="earliest"/>; <paramref name="tokens"/> permits per burst.</summary>
    public long Reserve(long earliest, int tokens)
    {
        if (RefilledBy(earliest))
        {
            Rebase(earliest);
        }
        else if (_tailUsed >= tokens)
        {
            _tailBurst++;
            _tailUsed = 0;
        }

        _tailUsed++;
        return _tailBurst;
    }

    /// <summary>When a request that may go at <paramref name="earliest"/> would go, at the latest, if it took a ticket now.</summary>
    public long Estimate(long earliest, int tokens)
    {
        if (RefilledBy(earliest))
        {
            return earliest;
        }

        var burst = _tailUsed >= tokens ? _tailBurst + 1 : _tailBurst;
        return Math.Max(earliest, _knownStart + ((burst - _knownBurst) * _period));
    }

    /// <summary>
    /// When the holder of <paramref name="ticket"/> may go, seen at <paramref name="now"/>: at or before
    /// <paramref name="now"/>, it goes; later, it sleeps until then and asks again (a burst not yet settled
    /// gives its earliest possible start); <see cref="Expired"/>, it takes a new ticket.
    /// </summary>
    public long ReleaseAt(long ticket, long now)
    {
        if (ticket < _voidBefore)
        {
            return Expired;
        }

        while (_knownBurst < ticket && NextStart() <= now)
        {
            Advance();
        }

        if (ticket < _knownBurst)
        {
            return Expired; // woke after its burst was over (a starved thread pool): sending now would crowd the next
        }

        if (ticket == _knownBurst)
        {
            return _knownStart;
        }

        // A burst ahead: not before the shortest intervals allow. The next one, with no answer yet, is not before
        // one window; once that has passed without an answer, the fixed period settles it.
        var next = _anchoredNext != long.MaxValue ? _anchoredNext
            : now < _knownStart + _window ? _knownStart + _window
            : _knownStart + _period;
        return next + ((ticket - _knownBurst - 1) * _window);
    }

    /// <summary>Whether a request at <paramref name="earliest"/> finds a full burst: no ticket is due then or later.</summary>
    private bool RefilledBy(long earliest) => _knownStart == long.MinValue || (_tailBurst == _knownBurst && earliest >= NextStart());

    private long NextStart() => Math.Min(_knownStart + _period, _anchoredNext);

    /// <summary>A new burst after every ticket given, at <paramref name="start"/>.</summary>
    private void Rebase(long start)
    {
        _knownBurst = ++_tailBurst;
        _tailUsed = 0;
        _knownStart = start;
        _anchoredNext = long.MaxValue;
    }

    /// <summary>The burst after the known one has begun.</summary>
    private void Advance()
    {
        _knownStart = NextStart();
        _knownBurst++;
        _anchoredNext = long.MaxValue;
    }
}

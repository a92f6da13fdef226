namespace Interactions.Resilience.RateLimiting.Internal;

/// <summary>
/// The answers a scope received over the last window, in ten slices: limits (030003), acceptances, and other
/// answers (the server took the request and refused it for another reason). The controller reads from it whether
/// the quota is spent — a large share of the recent answers were limits — and how many requests the server took.
/// Not thread-safe: the owner holds its lock. Timestamps are <see cref="TimeProvider"/> ticks.
/// </summary>
internal sealed class LimitEvidence
{
    private const int Slices = 10;

    private readonly long _slice;
    private readonly long[] _index = new long[Slices];
    private readonly int[] _limits = new int[Slices];
    private readonly int[] _accepted = new int[Slices];
    private readonly int[] _answered = new int[Slices];

    /// <param name="window">The window, in timestamp ticks.</param>
    public LimitEvidence(long window)
    {
        _slice = Math.Max(1, window / Slices);
        Clear();
    }

    public void RecordLimit(long at) => _limits[Slot(at)]++;

    public void RecordAccepted(long at) => _accepted[Slot(at)]++;

    public void RecordAnswered(long at) => _answered[Slot(at)]++;

    /// <summary>The limits, acceptances and other answers of the window that ends at <paramref name="now"/>.</summary>
    public (int Limits, int Accepted, int Answered) Sum(long now)
    {
        var current = now / _slice;
        int limits = 0, accepted = 0, answered = 0;
        for (var i = 0; i < Slices; i++)
        {
            var age = current - _index[i];
            if (age >= 0 && age < Slices)
            {
                limits += _limits[i];
                accepted += _accepted[i];
                answered += _answered[i];
            }
        }

        return (limits, accepted, answered);
    }

    public void Clear()
    {
        Array.Fill(_index, long.MinValue / 2);
        Array.Clear(_limits);
        Array.Clear(_accepted);
        Array.Clear(_answered);
    }

    private int Slot(long at)
    {
        var index = at / _slice;
        var slot = (int)(((index % Slices) + Slices) % Slices);
        if (_index[slot] != index)
        {
            _index[slot] = index;
            _limits[slot] = 0;
            _accepted[slot] = 0;
            _answered[slot] = 0;
        }

        return slot;
    }
}

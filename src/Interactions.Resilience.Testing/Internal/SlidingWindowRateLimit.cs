namespace Interactions.Resilience.Testing.Internal;

/// <summary>
/// At most a number of permits in any rolling window: a sliding log of the accepted requests' times. A request
/// is refused while the window ending now already holds the permits; it may retry when the oldest of them leaves.
/// Not thread-safe on its own: <see cref="SimulatorState"/> calls it under its lock.
/// </summary>
internal sealed class SlidingWindowRateLimit : IServerQuota
{
    private readonly TimeSpan _window;
    private readonly Queue<DateTimeOffset> _accepted = new();
    private int _permitsPerWindow;

    public SlidingWindowRateLimit(int permitsPerWindow, TimeSpan window)
    {
        _permitsPerWindow = permitsPerWindow;
        _window = window;
    }

    public bool TryAcquire(DateTimeOffset now, out TimeSpan retryAfter)
    {
        while (_accepted.TryPeek(out var oldest) && oldest + _window <= now)
        {
            _accepted.Dequeue();
        }

        if (_accepted.Count < _permitsPerWindow)
        {
            _accepted.Enqueue(now);
            retryAfter = TimeSpan.Zero;
            return true;
        }

        // After a lowered rate the log can hold more than the permits: a permit is free once all but
        // permits − 1 of them have left.
        retryAfter = _accepted.ElementAt(_accepted.Count - _permitsPerWindow) + _window - now;
        return false;
    }

    public void ChangeRate(int requestsPerSecond, DateTimeOffset now) => _permitsPerWindow = requestsPerSecond;
}

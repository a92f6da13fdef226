namespace Interactions.Resilience.Testing.Internal;

/// <summary>
/// At most a number of permits per fixed window; a window starts at the first request after the previous one ended.
/// A rate change applies to the window in force at once. Not thread-safe on its own: <see cref="SimulatorState"/>
/// calls it under its lock.
/// </summary>
internal sealed class FixedWindowRateLimit : IServerQuota
{
    private readonly TimeSpan _window;
    private int _permitsPerWindow;
    private DateTimeOffset _windowEnd = DateTimeOffset.MinValue;
    private int _used;

    public FixedWindowRateLimit(int permitsPerWindow, TimeSpan window)
    {
        _permitsPerWindow = permitsPerWindow;
        _window = window;
    }

    /// <summary>Takes a permit, or tells how long until the current window ends.</summary>
    public bool TryAcquire(DateTimeOffset now, out TimeSpan retryAfter)
    {
        if (now >= _windowEnd)
        {
            _windowEnd = now + _window;
            _used = 0;
        }

        if (_used < _permitsPerWindow)
        {
            _used++;
            retryAfter = TimeSpan.Zero;
            return true;
        }

        retryAfter = _windowEnd - now;
        return false;
    }

    public void ChangeRate(int requestsPerSecond, DateTimeOffset now) => _permitsPerWindow = requestsPerSecond;
}

namespace Interactions.Resilience.Tests.RateLimiting.Simulation;

/// <summary>
/// At most quota(t) requests per fixed one-second window, which starts at the first request after the previous window
/// ended (as the simulator does); the rest are limited with the whole seconds left in the window, or no Retry-After.
/// </summary>
internal sealed class FixedWindowServer(Func<TimeSpan, int> quota, bool retryAfter = true, bool aligned = false) : IServerModel
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private TimeSpan _start = TimeSpan.MinValue;
    private int _used;

    public FixedWindowServer(int quota, bool retryAfter = true, bool aligned = false)
        : this(_ => quota, retryAfter, aligned)
    {
    }

    public ServerAnswer Receive(TimeSpan at)
    {
        if (_start == TimeSpan.MinValue || at >= _start + Window)
        {
            _start = aligned ? TimeSpan.FromSeconds(Math.Floor(at.TotalSeconds)) : at;
            _used = 0;
        }

        if (_used < quota(at))
        {
            _used++;
            return ServerAnswer.Accept;
        }

        return ServerAnswer.Limit(retryAfter ? ServerAnswer.WholeSeconds(_start + Window - at) : null);
    }
}

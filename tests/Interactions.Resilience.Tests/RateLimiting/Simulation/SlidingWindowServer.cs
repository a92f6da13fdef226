namespace Interactions.Resilience.Tests.RateLimiting.Simulation;

/// <summary>At most quota(t) accepted requests in any one second (a sliding log); Retry-After until the oldest leaves it.</summary>
internal sealed class SlidingWindowServer(Func<TimeSpan, int> quota) : IServerModel
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private readonly Queue<TimeSpan> _accepted = new();

    public SlidingWindowServer(int quota)
        : this(_ => quota)
    {
    }

    public ServerAnswer Receive(TimeSpan at)
    {
        while (_accepted.TryPeek(out var oldest) && oldest <= at - Window)
        {
            _accepted.Dequeue();
        }

        if (_accepted.Count < quota(at))
        {
            _accepted.Enqueue(at);
            return ServerAnswer.Accept;
        }

        return ServerAnswer.Limit(ServerAnswer.WholeSeconds(_accepted.Peek() + Window - at));
    }
}

namespace Interactions.Resilience.Tests.RateLimiting.Simulation;

/// <summary>A token bucket of <c>capacity</c> refilled at rate(t) a second; Retry-After until the next token, in whole seconds.</summary>
internal sealed class TokenBucketServer(Func<TimeSpan, double> rate, double capacity) : IServerModel
{
    private readonly double _capacity = capacity;
    private double _tokens = capacity;
    private TimeSpan _last = TimeSpan.Zero;

    public TokenBucketServer(double rate, double capacity)
        : this(_ => rate, capacity)
    {
    }

    public ServerAnswer Receive(TimeSpan at)
    {
        var r = rate(at);
        _tokens = Math.Min(_capacity, _tokens + ((at - _last).TotalSeconds * r));
        _last = at;
        if (_tokens >= 1)
        {
            _tokens--;
            return ServerAnswer.Accept;
        }

        return ServerAnswer.Limit(ServerAnswer.WholeSeconds(TimeSpan.FromSeconds((1 - _tokens) / r)));
    }
}

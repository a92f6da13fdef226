namespace Interactions.Resilience.Tests.RateLimiting.Simulation;

/// <summary>
/// No quota: a share of single requests is limited (Meta's pair limit: one recipient, not the account), with a fixed
/// Retry-After. A share of zero is a server with no limit.
/// </summary>
internal sealed class SporadicServer(double share, TimeSpan? retryAfter, int seed = 7) : IServerModel
{
    private readonly Random _random = new(seed);

    public ServerAnswer Receive(TimeSpan at) => _random.NextDouble() < share ? ServerAnswer.Limit(retryAfter) : ServerAnswer.Accept;
}

namespace Interactions.Resilience.Tests.RateLimiting.Simulation;

/// <summary>An in-process model of how a server limits: it sees each request arrive and answers it.</summary>
internal interface IServerModel
{
    /// <summary>A request arrived <paramref name="at"/> after the run started.</summary>
    ServerAnswer Receive(TimeSpan at);
}

namespace Interactions.Resilience.Testing.Internal;

/// <summary>
/// One quota the simulator enforces: permits taken by requests, a rate that can change while it runs.
/// Not thread-safe on its own: <see cref="SimulatorState"/> calls it under its lock.
/// </summary>
internal interface IServerQuota
{
    /// <summary>Takes a permit, or tells how long until one is free.</summary>
    bool TryAcquire(DateTimeOffset now, out TimeSpan retryAfter);

    /// <summary>Changes the permits per second from <paramref name="now"/> on.</summary>
    void ChangeRate(int requestsPerSecond, DateTimeOffset now);
}

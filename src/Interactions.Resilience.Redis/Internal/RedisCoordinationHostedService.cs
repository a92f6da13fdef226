using Microsoft.Extensions.Hosting;

namespace Interactions.Resilience.Redis.Internal;

/// <summary>
/// In an app with a host, connects to Redis and reads the pauses in force at start, before the first request
/// (waiting at most <see cref="InteractionsRedisCoordinationOptions.StartupTimeout"/>).
/// </summary>
internal sealed class RedisCoordinationHostedService(RedisPauseCoordinator coordinator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => coordinator.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

namespace Interactions.Resilience.Redis.Tests.TestSupport;

/// <summary>
/// One redis-server per test class, started on first use (so that a class whose tests are all skipped starts
/// none) and stopped when the class is done.
/// </summary>
public sealed class RedisServerFixture : IDisposable
{
    private readonly Lazy<RedisServer> _server = new(() => new RedisServer());

    public RedisServer Server => _server.Value;

    public void Dispose()
    {
        if (_server.IsValueCreated)
        {
            _server.Value.Dispose();
        }
    }
}

using StackExchange.Redis;

namespace Interactions.Resilience.Redis.Internal;

/// <summary>
/// Where the coordinator's Redis connection comes from: its own, made from a connection string, or the app's
/// <see cref="IConnectionMultiplexer"/> from DI.
/// </summary>
internal sealed class RedisConnectionSource : IEquatable<RedisConnectionSource>
{
    public static readonly RedisConnectionSource FromServices = new(null);

    private RedisConnectionSource(string? connectionString) => ConnectionString = connectionString;

    /// <summary>Gets the connection string of an own connection; <see langword="null"/> for the app's.</summary>
    public string? ConnectionString { get; }

    public static RedisConnectionSource FromConnectionString(string connectionString)
    {
        _ = ConfigurationOptions.Parse(connectionString); // a malformed string fails at registration, not at the first request
        return new RedisConnectionSource(connectionString);
    }

    /// <summary>
    /// The configuration of an own connection: never give up connecting (the app works locally meanwhile and
    /// the connection comes back by itself), and fail commands at once while disconnected instead of queueing
    /// them, so that no stale announcement is sent late.
    /// </summary>
    public ConfigurationOptions CreateConfiguration()
    {
        var configuration = ConfigurationOptions.Parse(ConnectionString!);
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        return configuration;
    }

    public bool Equals(RedisConnectionSource? other) => other is not null && string.Equals(ConnectionString, other.ConnectionString, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as RedisConnectionSource);

    public override int GetHashCode() => ConnectionString is null ? 0 : StringComparer.Ordinal.GetHashCode(ConnectionString);
}

using Interactions.Resilience.Redis.Internal;

namespace Interactions.Resilience.Redis;

/// <summary>
/// Options of <c>WithRedisCoordination</c>. One Redis coordinates every client of an app that asks for it,
/// so these options are the app's, not one client's.
/// </summary>
public sealed class InteractionsRedisCoordinationOptions
{
    /// <summary>
    /// Gets or sets the pub/sub channel on which instances announce their pauses. Every instance that shares
    /// a vendor account must use the same one.
    /// </summary>
    /// <remarks>The default value is <c>interactions:resilience:pauses</c>.</remarks>
    public string Channel { get; set; } = InteractionsRedisCoordinationDefaults.Channel;

    /// <summary>
    /// Gets or sets the prefix of the keys that hold the pauses in force, each with the pause's expiry, for
    /// instances that start during a pause. Every instance that shares a vendor account must use the same one.
    /// </summary>
    /// <remarks>The default value is <c>interactions:resilience:pause:</c>.</remarks>
    public string KeyPrefix { get; set; } = InteractionsRedisCoordinationDefaults.KeyPrefix;

    /// <summary>
    /// Gets or sets how long announcing a pause may take before it is given up (and logged). The request that
    /// started the pause never waits for it.
    /// </summary>
    /// <remarks>The default value is 1 second. Range: 1 ms to 1 minute.</remarks>
    public TimeSpan PublishTimeout { get; set; } = InteractionsRedisCoordinationDefaults.PublishTimeout;

    /// <summary>
    /// Gets or sets how long the app's start (or, without a host, the creation of the first client) waits for
    /// Redis to connect and for the pauses in force to be read. When Redis is slower or down, the app starts
    /// anyway and reads them once Redis answers.
    /// </summary>
    /// <remarks>The default value is 2 seconds. Range: 0 to 1 minute.</remarks>
    public TimeSpan StartupTimeout { get; set; } = InteractionsRedisCoordinationDefaults.StartupTimeout;

    /// <summary>
    /// Gets or sets how long one call to the shared release pace may take (one round trip, made only while a
    /// scope is being paced). Past it, the request is paced by this instance's own controller instead.
    /// </summary>
    /// <remarks>The default value is 100 ms. Range: 1 ms to 5 seconds.</remarks>
    public TimeSpan PaceTimeout { get; set; } = InteractionsRedisCoordinationDefaults.PaceTimeout;

    /// <summary>Gets the names of the clients that asked for coordination; pauses of other clients stay local.</summary>
    internal HashSet<string> ClientNames { get; } = new(StringComparer.Ordinal);
}

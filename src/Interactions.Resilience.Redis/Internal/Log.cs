using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Interactions.Resilience.Redis.Internal;

/// <summary>
/// Every log event of the Redis coordination, with fixed ids. Redis trouble is a Warning, never an error of a
/// request: requests go on with the pauses this instance knows. Events carry the client's name and the code;
/// never the scope (it may be a phone number), the connection string or a password.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(101, LogLevel.Information, "Coordinating Interactions pauses through Redis on channel {Channel} as instance {InstanceId}.", EventName = "RedisCoordinationStarted")]
    public static partial void Started(ILogger logger, string channel, string instanceId);

    [LoggerMessage(102, LogLevel.Warning, "Could not start the Redis coordination of Interactions pauses; pauses stay local to this instance.", EventName = "RedisCoordinationStartFailed")]
    public static partial void StartFailed(ILogger logger, Exception exception);

    [LoggerMessage(103, LogLevel.Warning, "Redis did not answer within {TimeoutMs} ms at start; requests go on, and the pauses in force are read when it answers.", EventName = "RedisStartupSlow")]
    public static partial void StartupSlow(ILogger logger, double timeoutMs);

    [LoggerMessage(104, LogLevel.Warning, "Lost the Redis connection ({FailureType}); Interactions pauses stay local to this instance until it is back.", EventName = "RedisConnectionLost")]
    public static partial void ConnectionLost(ILogger logger, ConnectionFailureType failureType);

    [LoggerMessage(105, LogLevel.Information, "The Redis connection is back; reading the Interactions pauses in force and announcing this instance's again.", EventName = "RedisConnectionRestored")]
    public static partial void ConnectionRestored(ILogger logger);

    [LoggerMessage(106, LogLevel.Warning, "Could not announce the {ErrorCode} pause of client {ClientName} through Redis ({Reason}); it holds here and is announced again when Redis is back.", EventName = "RedisPublishFailed")]
    public static partial void PublishFailed(ILogger logger, string errorCode, string clientName, string reason);

    [LoggerMessage(107, LogLevel.Warning, "Could not subscribe to the Redis channel {Channel} ({Reason}); trying again when the connection is back.", EventName = "RedisSubscribeFailed")]
    public static partial void SubscribeFailed(ILogger logger, string channel, string reason);

    [LoggerMessage(108, LogLevel.Warning, "Could not read the Interactions pauses in force from Redis ({Reason}); trying again when the connection is back.", EventName = "RedisReadFailed")]
    public static partial void ReadFailed(ILogger logger, string reason);

    [LoggerMessage(109, LogLevel.Debug, "Read {Count} Interactions pauses in force from Redis.", EventName = "RedisPausesRead")]
    public static partial void PausesRead(ILogger logger, int count);

    [LoggerMessage(110, LogLevel.Warning, "Ignored a message on the Redis channel {Channel} that is not a pause this version reads ({Reason}).", EventName = "RedisMessageIgnored")]
    public static partial void MessageIgnored(ILogger logger, string channel, string reason);

    [LoggerMessage(111, LogLevel.Debug, "Announced the {ErrorCode} pause of client {ClientName} through Redis.", EventName = "RedisPausePublished")]
    public static partial void Published(ILogger logger, string errorCode, string clientName);

    [LoggerMessage(112, LogLevel.Warning, "Ignored a key under the Interactions pause prefix that is not a pause this version reads ({Reason}).", EventName = "RedisKeyIgnored")]
    public static partial void KeyIgnored(ILogger logger, string reason);

    [LoggerMessage(113, LogLevel.Warning, "The shared release pace in Redis is unavailable ({Reason}); each instance paces by its own controller until it answers.", EventName = "RedisPaceUnavailable")]
    public static partial void PaceUnavailable(ILogger logger, string reason);

    [LoggerMessage(114, LogLevel.Information, "The shared release pace in Redis answers again.", EventName = "RedisPaceRestored")]
    public static partial void PaceRestored(ILogger logger);

    [LoggerMessage(115, LogLevel.Warning, "The shared release pace of client {ClientName} in Redis held values this version does not accept; it was reset.", EventName = "RedisPaceReset")]
    public static partial void PaceReset(ILogger logger, string clientName);

    [LoggerMessage(116, LogLevel.Debug, "Announced a lift of the pauses of client {ClientName} through Redis and deleted {Deleted} stored pauses.", EventName = "RedisLiftPublished")]
    public static partial void LiftPublished(ILogger logger, string clientName, long deleted);

    [LoggerMessage(117, LogLevel.Warning, "Could not announce the lift of the pauses of client {ClientName} through Redis ({Reason}); it holds here, and other instances keep their pauses until they end.", EventName = "RedisLiftPublishFailed")]
    public static partial void LiftPublishFailed(ILogger logger, string clientName, string reason);
}

using Microsoft.Extensions.Logging;

namespace Interactions.Resilience.Telemetry.Internal;

/// <summary>
/// Every log event of the library, with fixed ids. Each handled failure is logged once, with its outcome.
/// Events carry the code, category, policy, attempt and delay; never headers, bodies, tokens or PINs.
/// Retries and waits log at Debug so that a healthy service's log stays quiet; final failures at Warning,
/// a halt at Error.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Interactions error {ErrorCode} ({ErrorCategory}) on attempt {Attempt}: {Policy} retries in {DelayMs} ms.", EventName = "Retrying")]
    public static partial void Retrying(ILogger logger, string errorCode, InteractionsErrorCategory errorCategory, int attempt, InteractionsPolicy policy, double delayMs);

    [LoggerMessage(2, LogLevel.Debug, "Interactions error {ErrorCode} ({ErrorCategory}) on attempt {Attempt}: {Policy} waits {DelayMs} ms, then retries.", EventName = "Waiting")]
    public static partial void Waiting(ILogger logger, string errorCode, InteractionsErrorCategory errorCategory, int attempt, InteractionsPolicy policy, double delayMs);

    [LoggerMessage(3, LogLevel.Warning, "Interactions error {ErrorCode} ({ErrorCategory}) after {Attempt} attempts: {Policy} gives up ({Reason}).", EventName = "Failed")]
    public static partial void Failed(ILogger logger, string errorCode, InteractionsErrorCategory errorCategory, int attempt, InteractionsPolicy policy, string reason);

    [LoggerMessage(4, LogLevel.Error, "Interactions error {ErrorCode} ({ErrorCategory}): the client is halted for {DelayMs} ms; its requests fail locally meanwhile.", EventName = "Halted")]
    public static partial void Halted(ILogger logger, string errorCode, InteractionsErrorCategory errorCategory, double delayMs);

    [LoggerMessage(5, LogLevel.Debug, "Interactions request failed locally with {ErrorCode}: the client is halted for {DelayMs} more ms.", EventName = "HaltedLocally")]
    public static partial void HaltedLocally(ILogger logger, string errorCode, double delayMs);

    [LoggerMessage(6, LogLevel.Debug, "Interactions request failed locally with {ErrorCode}: the rate-limit wait of {DelayMs} ms exceeds {LimitMs} ms.", EventName = "RateLimitRefused")]
    public static partial void RateLimitRefused(ILogger logger, string errorCode, double delayMs, double limitMs);

    [LoggerMessage(7, LogLevel.Debug, "Interactions request failed locally with {ErrorCode}: the circuit is open for {DelayMs} more ms.", EventName = "CircuitOpen")]
    public static partial void CircuitOpen(ILogger logger, string errorCode, double delayMs);

    [LoggerMessage(8, LogLevel.Debug, "Interactions error {ErrorCode} paused client {ClientName} (scoped: {Scoped}) for {DelayMs} ms; announced to the other instances.", EventName = "PauseStarted")]
    public static partial void PauseStarted(ILogger logger, string errorCode, string clientName, bool scoped, double delayMs);

    [LoggerMessage(9, LogLevel.Information, "Another instance paused client {ClientName} (scoped: {Scoped}) with {ErrorCode}; pausing here for the {DelayMs} ms left.", EventName = "RemotePauseApplied")]
    public static partial void RemotePauseApplied(ILogger logger, string errorCode, string clientName, bool scoped, double delayMs);

    [LoggerMessage(10, LogLevel.Warning, "A handler of InteractionsPauseBoard.PauseStarted threw on the {ErrorCode} pause of client {ClientName}; the request goes on.", EventName = "PauseListenerFailed")]
    public static partial void PauseListenerFailed(ILogger logger, string errorCode, string clientName, Exception exception);

    [LoggerMessage(11, LogLevel.Warning, "Ignored a pause of client {ClientName} from another instance: {ErrorCode} does not pause here (its policy is {Policy}).", EventName = "RemotePauseIgnored")]
    public static partial void RemotePauseIgnored(ILogger logger, string errorCode, string clientName, InteractionsPolicy policy);

    // Operations: 40 and up, so that events added to the request path keep their own range.
    [LoggerMessage(40, LogLevel.Information, "Lifted the {Kind} of client {ClientName} ({ErrorCode} {ErrorTitle}, scoped: {Scoped}) with {LeftMs} ms left; its requests go to the server again.", EventName = "PauseLifted")]
    public static partial void PauseLifted(ILogger logger, string kind, string clientName, string errorCode, string errorTitle, bool scoped, double leftMs);

    [LoggerMessage(41, LogLevel.Information, "Asked to lift pauses of client {ClientName} (kind: {Kind}, scoped: {Scoped}); none was in force here. Other instances are told too.", EventName = "NothingToLift")]
    public static partial void NothingToLift(ILogger logger, string clientName, string kind, bool scoped);

    [LoggerMessage(42, LogLevel.Information, "Another instance lifted pauses of client {ClientName} (kind: {Kind}, scoped: {Scoped}); {Count} lifted here.", EventName = "RemoteLiftApplied")]
    public static partial void RemoteLiftApplied(ILogger logger, string clientName, string kind, bool scoped, int count);

    [LoggerMessage(43, LogLevel.Warning, "A handler of InteractionsPauseBoard.PausesLifted threw on a lift of client {ClientName}; the lift holds here.", EventName = "LiftListenerFailed")]
    public static partial void LiftListenerFailed(ILogger logger, string clientName, Exception exception);
}

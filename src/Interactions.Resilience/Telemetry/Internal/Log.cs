using Microsoft.Extensions.Logging;

namespace Interactions.Resilience.Telemetry.Internal;

/// <summary>
/// Every log event of the library, with fixed ids. Events carry the code, category, policy, attempt and
/// delay; never headers, bodies, tokens or PINs.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Interactions error {Code} ({Category}) on attempt {Attempt}: {Policy} retries after {DelayMs} ms.", EventName = "Retrying")]
    public static partial void Retrying(ILogger logger, string code, InteractionsErrorCategory category, int attempt, InteractionsPolicy policy, double delayMs);

    [LoggerMessage(2, LogLevel.Information, "Interactions rate limit {Code}: the client pauses for {DelayMs} ms; {Waiting} requests wait, released at {Rate:F1} per second.", EventName = "RateLimitPause")]
    public static partial void RateLimitPause(ILogger logger, string code, double delayMs, int waiting, double rate);

    [LoggerMessage(3, LogLevel.Warning, "Interactions error {Code} ({Category}) after {Attempts} attempts: {Policy} gives up ({Reason}).", EventName = "Failed")]
    public static partial void Failed(ILogger logger, string code, InteractionsErrorCategory category, int attempts, InteractionsPolicy policy, string reason);

    [LoggerMessage(4, LogLevel.Error, "Interactions error {Code} ({Category}): the client is halted for {HaltMs} ms; requests fail locally meanwhile.", EventName = "Halted")]
    public static partial void Halted(ILogger logger, string code, InteractionsErrorCategory category, double haltMs);

    [LoggerMessage(5, LogLevel.Debug, "Interactions request failed locally with {Code}: the client is halted for {RemainingMs} more ms.", EventName = "HaltedLocally")]
    public static partial void HaltedLocally(ILogger logger, string code, double remainingMs);

    [LoggerMessage(6, LogLevel.Warning, "Interactions error {Code} asks for a wait of {DelayMs} ms, beyond {LimitMs} ms: failing fast with RetryAfter.", EventName = "WaitTooLong")]
    public static partial void WaitTooLong(ILogger logger, string code, double delayMs, double limitMs);
}

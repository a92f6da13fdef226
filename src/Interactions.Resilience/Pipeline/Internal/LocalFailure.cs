using Interactions.Resilience.Exceptions.Internal;
using Interactions.Resilience.Telemetry.Internal;

namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>Failures the handler makes without the server's answer, and the sentence that says why.</summary>
internal static class LocalFailure
{
    public const string Halted = "The client is halted after this code; the server was not called.";
    public const string GateTooLong = "The rate-limit wait is longer than MaxWait or the time left; the request was not sent.";
    public const string QueueFull = "The proactive rate limiter's queue is full; the request was not sent.";
    public const string BudgetSpent = "The client's retry budget is spent; the request was not retried.";
    public const string Open = "The circuit is open after repeated server failures; the server was not called.";

    public static InteractionsException CircuitOpen(InteractionsTelemetry telemetry, HttpRequestMessage request, TimeSpan breakLeft, int attempts)
    {
        var error = InteractionsError.Local(InteractionsErrorCode.ServiceUnavailable, breakLeft);
        telemetry.CircuitOpen(error, breakLeft);
        return InteractionsExceptionFactory.Create(error, attempts, breakLeft, request.RequestUri, detail: Open);
    }
}

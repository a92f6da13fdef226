namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>A request on the fast path: what its first attempt needs, and what the pipeline needs if it fails.</summary>
/// <param name="Request">The request.</param>
/// <param name="Send">Sends it to the inner handler.</param>
/// <param name="Ticket">What admission handed back.</param>
/// <param name="StartedAt">When the request started, as a timestamp; the total timeout counts from here.</param>
/// <param name="CallerToken">The caller's cancellation.</param>
internal readonly record struct FirstAttempt(
    HttpRequestMessage Request,
    Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Send,
    AdmissionTicket Ticket,
    long StartedAt,
    CancellationToken CallerToken);

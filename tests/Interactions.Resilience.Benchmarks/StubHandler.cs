using System.Net;

namespace Interactions.Resilience.Benchmarks;

/// <summary>
/// An in-memory primary handler that answers 200, with no network: at once, or — when
/// <c>completesAsynchronously</c> — only after <c>SendAsync</c> has returned, as every real socket does.
/// </summary>
internal sealed class StubHandler(bool completesAsynchronously = false) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        => completesAsynchronously ? RespondLaterAsync(request) : Task.FromResult(Respond(request));

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        => Respond(request);

    // Task.Yield never completes synchronously, so the task returned is still pending and every caller above
    // takes its continuation path; the response is made on the thread pool, as a socket's would be.
    private static async Task<HttpResponseMessage> RespondLaterAsync(HttpRequestMessage request)
    {
        await Task.Yield();
        return Respond(request);
    }

    // A new response each time, as a real handler gives: callers dispose it.
    private static HttpResponseMessage Respond(HttpRequestMessage request)
        => new(HttpStatusCode.OK) { RequestMessage = request };
}

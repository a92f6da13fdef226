using System.Net;

namespace Interactions.Resilience.Benchmarks;

/// <summary>
/// An in-memory primary handler that answers 200 (no body), with no network: at once, or — given a
/// <see cref="DeferredCompletion"/> — only after <c>SendAsync</c> has returned, as every real socket does.
/// </summary>
internal sealed class StubHandler(DeferredCompletion? deferred = null) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        => deferred is null ? Task.FromResult(Respond(request)) : deferred.Defer(Respond(request));

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        => Respond(request);

    // A new response each time, as a real handler gives: callers dispose it.
    private static HttpResponseMessage Respond(HttpRequestMessage request)
        => new(HttpStatusCode.OK) { RequestMessage = request };
}

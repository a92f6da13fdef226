using System.Net;

namespace Interactions.Resilience.Benchmarks;

/// <summary>The primary handler of every benchmark client: answers 200 at once, with no network.</summary>
internal sealed class StubHandler : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        => Task.FromResult(Respond(request));

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        => Respond(request);

    // A new response each time, as a real handler gives: callers dispose it.
    private static HttpResponseMessage Respond(HttpRequestMessage request)
        => new(HttpStatusCode.OK) { RequestMessage = request };
}

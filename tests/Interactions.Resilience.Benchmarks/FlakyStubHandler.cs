using System.Net;
using System.Net.Http.Headers;

namespace Interactions.Resilience.Benchmarks;

/// <summary>
/// The primary handler of the error-path benchmarks: every odd call answers 500 with a 060001 body, every even
/// call 200, so a single-threaded caller that retries once sees one failure and one success per request.
/// Given a <see cref="DeferredCompletion"/>, each answer comes only after <c>SendAsync</c> has returned, as a socket's does.
/// </summary>
internal sealed class FlakyStubHandler(DeferredCompletion? deferred = null) : HttpMessageHandler
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly byte[] ServerErrorBody = """{"error":{"code":"060001","title":"Internal Server Error","message":"Something went wrong.","requestId":"req_benchmark"}}"""u8.ToArray();

    private long _calls;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        => deferred is null ? Task.FromResult(Respond(request)) : deferred.Defer(Respond(request));

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        => Respond(request);

    private HttpResponseMessage Respond(HttpRequestMessage request)
    {
        if (Interlocked.Increment(ref _calls) % 2 == 0)
        {
            return new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
        }

        var content = new ByteArrayContent(ServerErrorBody);
        content.Headers.ContentType = Json;
        return new HttpResponseMessage(HttpStatusCode.InternalServerError) { RequestMessage = request, Content = content };
    }
}

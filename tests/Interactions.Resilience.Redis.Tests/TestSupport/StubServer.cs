using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Interactions.Resilience.Redis.Tests.TestSupport;

/// <summary>
/// The primary handler of one app instance: answers from a script (then 200), with no sockets, and records
/// when each call arrived.
/// </summary>
public sealed class StubServer : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpResponseMessage>> _script = new();
    private readonly ConcurrentQueue<DateTimeOffset> _calls = new();

    public int CallCount => _calls.Count;

    public IReadOnlyList<DateTimeOffset> CallTimes => _calls.ToArray();

    public StubServer Then(Func<HttpResponseMessage> answer)
    {
        _script.Enqueue(answer);
        return this;
    }

    /// <summary>An error in the vendor's body form, with <c>retry-after-ms</c> when given.</summary>
    public static HttpResponseMessage Error(InteractionsErrorCode code, int status, TimeSpan? retryAfter = null)
    {
        var formatted = InteractionsErrorCatalog.Format(code);
        var response = new HttpResponseMessage((HttpStatusCode)status)
        {
            Content = new StringContent($$$"""{"error":{"code":"{{{formatted}}}","message":"server says no"}}""", Encoding.UTF8, "application/json"),
        };
        if (retryAfter is { } delay)
        {
            response.Headers.TryAddWithoutValidation("retry-after-ms", ((long)delay.TotalMilliseconds).ToString());
        }

        return response;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _calls.Enqueue(DateTimeOffset.UtcNow);
        var response = _script.TryDequeue(out var answer)
            ? answer()
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"id":"msg_1"}""", Encoding.UTF8, "application/json") };
        response.RequestMessage = request;
        return Task.FromResult(response);
    }
}

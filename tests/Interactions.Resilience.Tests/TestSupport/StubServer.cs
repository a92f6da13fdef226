using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace Interactions.Resilience.Tests.TestSupport;

/// <summary>
/// The primary handler of the unit tests: answers from a script, with no sockets, and records every call it
/// received with the fake time it arrived at.
/// </summary>
internal sealed class StubServer(FakeTimeProvider time) : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _script = new();
    private readonly ConcurrentQueue<ReceivedCall> _calls = new();
    private readonly ConcurrentQueue<HttpResponseMessage> _sent = new();

    /// <summary>Answers every call not scripted; 200 with a small JSON body unless replaced.</summary>
    public Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Default { get; set; }
        = (_, _) => Task.FromResult(Ok());

    public IReadOnlyList<ReceivedCall> Calls => _calls.ToArray();

    public int CallCount => _calls.Count;

    /// <summary>Every response the stub returned, to check the handler disposed the ones it did not return.</summary>
    public IReadOnlyList<HttpResponseMessage> Sent => _sent.ToArray();

    public StubServer Then(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer)
    {
        _script.Enqueue(answer);
        return this;
    }

    public StubServer Then(Func<HttpResponseMessage> answer, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            _script.Enqueue((_, _) => Task.FromResult(answer()));
        }

        return this;
    }

    public StubServer ThenThrow(Func<Exception> failure, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            _script.Enqueue((_, _) => Task.FromException<HttpResponseMessage>(failure()));
        }

        return this;
    }

    /// <summary>The next call never answers; it ends only when its token is cancelled.</summary>
    public StubServer ThenHang(int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            _script.Enqueue(async (_, ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                throw new InvalidOperationException("unreachable");
            });
        }

        return this;
    }

    public static HttpResponseMessage Ok(string json = """{"id":"msg_1"}""")
        => new(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>An error in the vendor's body form: <c>{"error":{"code":…,"message":…}}</c>.</summary>
    public static HttpResponseMessage Error(InteractionsErrorCode code, int status = 400, TimeSpan? retryAfter = null)
    {
        var info = InteractionsErrorCatalog.Get(code);
        var response = Responses.Json(status, Responses.ErrorBody(info.FormattedCode, "server: " + info.Title));
        if (retryAfter is { } delay)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", ((int)Math.Ceiling(delay.TotalSeconds)).ToString());
        }

        return response;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.TryGetValues(InteractionsHeaderNames.IdempotencyKey, out var keys);
        _calls.Enqueue(new ReceivedCall(request.Method, request.RequestUri, keys?.FirstOrDefault(), time.GetUtcNow()));
        var answer = _script.TryDequeue(out var scripted) ? scripted : Default;
        return Track(answer(request, cancellationToken), request);
    }

    private async Task<HttpResponseMessage> Track(Task<HttpResponseMessage> answer, HttpRequestMessage request)
    {
        var response = await answer.ConfigureAwait(false);
        response.RequestMessage = request;
        _sent.Enqueue(response);
        return response;
    }
}

internal sealed record ReceivedCall(HttpMethod Method, Uri? Uri, string? IdempotencyKey, DateTimeOffset At);

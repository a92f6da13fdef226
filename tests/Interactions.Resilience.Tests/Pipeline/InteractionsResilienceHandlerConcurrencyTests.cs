using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace Interactions.Resilience.Tests.Pipeline;

/// <summary>
/// Many requests at once through one client, each failing first, some retried to a success, some ending in their own
/// error response, some cancelled by their caller mid-retry, with continuations hopping threads: what a request's
/// caller sees is its own (the handler reuses per-request state and pooled body buffers between requests). Every
/// retry of a wave waits until all the wave's first attempts have failed, so all its requests are in flight at once;
/// later waves run on what earlier ones left to reuse.
/// </summary>
public class InteractionsResilienceHandlerConcurrencyTests
{
    private const int Requests = 200;
    private const int Waves = 3;

    [Fact]
    public async Task SendAsync_ConcurrentRequestsAndCancellations_EachCallerSeesItsOwnOutcome()
    {
        var callers = new ConcurrentDictionary<int, CancellationTokenSource>();
        var primary = new PerRequestServer(callers);
        var services = new ServiceCollection();
        services.AddHttpClient("c", static c =>
            {
                c.BaseAddress = new Uri("http://interactions.invalid/");
                c.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(() => primary)
            .AddInteractionsResilience(static o =>
            {
                o.ThrowOnFailure = false;
                o.Retry.BaseDelay = TimeSpan.Zero;
                o.Retry.UseJitter = false;
                o.CircuitBreaker.Enabled = false;
                o.RetryBudget.Enabled = false;
            });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("c");

        for (var wave = 0; wave < Waves; wave++)
        {
            primary.StartWave();
            var outcomes = await Task.WhenAll(Enumerable.Range(0, Requests).Select(i => Task.Run(() => SendOne(client, callers, i))));

            Assert.All(outcomes, o => Assert.True(o.Ok, o.Detail));
        }
    }

    private static async Task<(bool Ok, string Detail)> SendOne(HttpClient client, ConcurrentDictionary<int, CancellationTokenSource> callers, int i)
    {
        using var caller = new CancellationTokenSource();
        callers[i] = caller;
        try
        {
            using var response = await client.GetAsync($"v1/messages/{i}", caller.Token);
            var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
            return PerRequestServer.KindOf(i) switch
            {
                Kind.RetriedToSuccess => (response.StatusCode == HttpStatusCode.OK && body == $"ok {i}" && response.GetInteractionsError() is null, $"{i}: {(int)response.StatusCode} {body}"),
                Kind.OwnError => (response.StatusCode == HttpStatusCode.BadRequest && body == PerRequestServer.FinalBody(i)
                    && response.GetInteractionsError() is { Code: InteractionsErrorCode.TemplateIsPaused } error && error.ServerMessage == $"final {i}", $"{i}: {(int)response.StatusCode} {body}"),
                _ => (false, $"{i}: should have been cancelled, got {(int)response.StatusCode} {body}"),
            };
        }
        catch (OperationCanceledException) when (PerRequestServer.KindOf(i) == Kind.CancelledMidRetry && caller.IsCancellationRequested)
        {
            return (true, string.Empty);
        }
        catch (Exception ex)
        {
            return (false, $"{i}: {ex.GetType().Name} {ex.Message}");
        }
        finally
        {
            callers.TryRemove(i, out _);
        }
    }

    private enum Kind
    {
        RetriedToSuccess,
        OwnError,
        CancelledMidRetry,
    }

    /// <summary>Request i's first attempt gets a 500 + 060001 naming i; its retry a 200 naming i, a 400 naming i, or its caller's cancellation.</summary>
    private sealed class PerRequestServer(ConcurrentDictionary<int, CancellationTokenSource> callers) : HttpMessageHandler
    {
        private ConcurrentDictionary<int, int> _attempts = new();
        private TaskCompletionSource _allFailedOnce = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _firstAttempts;

        public void StartWave()
        {
            _attempts = new();
            _allFailedOnce = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _firstAttempts = 0;
        }

        public static Kind KindOf(int i) => (Kind)(i % 3);

        public static string FinalBody(int i) => $$$"""{"error":{"code":"031006","title":"t","message":"final {{{i}}}"}}""";

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var i = int.Parse(request.RequestUri!.Segments[^1], System.Globalization.CultureInfo.InvariantCulture);
            var attempt = _attempts.AddOrUpdate(i, 1, static (_, n) => n + 1);
            await Task.Yield(); // answer on another thread, as a socket does
            if (attempt == 1)
            {
                if (Interlocked.Increment(ref _firstAttempts) == Requests)
                {
                    _allFailedOnce.SetResult();
                }

                var first = $$$"""{"error":{"code":"060001","title":"t","message":"first {{{i}}} {{{new string('x', i)}}}"}}""";
                return Json(HttpStatusCode.InternalServerError, first, request);
            }

            await _allFailedOnce.Task.WaitAsync(cancellationToken);
            switch (KindOf(i))
            {
                case Kind.RetriedToSuccess:
                    return new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new StringContent($"ok {i}") };
                case Kind.OwnError:
                    return Json(HttpStatusCode.BadRequest, FinalBody(i), request);
                default:
                    await callers[i].CancelAsync();
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                    throw new InvalidOperationException("unreachable");
            }
        }

        private static HttpResponseMessage Json(HttpStatusCode status, string json, HttpRequestMessage request)
            => new(status) { RequestMessage = request, Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
    }
}

using Interactions.Resilience.CircuitBreaker.Internal;
using Interactions.Resilience.Health.Internal;
using System.Runtime.ExceptionServices;
using Interactions.Resilience.Exceptions.Internal;
using Polly.Timeout;

namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>
/// The delegating handler that <c>AddInteractionsResilience()</c> adds. A first attempt that succeeds takes
/// the fast path: no pipeline, no body read, nothing allocated here. From the first failure on — and for
/// every request while a rate limit is being waited out or a permit must be queued for — the client's
/// Polly pipeline takes over.
/// </summary>
internal sealed class InteractionsResilienceHandler : DelegatingHandler
{
    private readonly ClientResilienceState _client;
    private readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> _sendToInner;

    public InteractionsResilienceHandler(ClientResilienceState client)
    {
        _client = client;
        _sendToInner = base.SendAsync;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var client = _client;
        if (client.Halt.MayBeHalted && client.Halt.IsActive(out var haltError, out var haltLeft))
        {
            client.Telemetry.HaltedLocally(haltError, haltLeft);
            client.Telemetry.Completed(success: false);
            return Task.FromException<HttpResponseMessage>(InteractionsExceptionFactory.Create(haltError, attempts: 0, haltLeft, request.RequestUri, detail: LocalFailure.Halted));
        }

        var breaker = client.BreakerFor(request);
        if (breaker is not null && !breaker.IsClosed && !breaker.TryEnter(out var breakLeft))
        {
            client.Telemetry.Completed(success: false);
            return Task.FromException<HttpResponseMessage>(LocalFailure.CircuitOpen(client, request, breakLeft, attempts: 0));
        }

        client.Idempotency.Stamp(request);
        var startedAt = client.Time.GetTimestamp();
        var second = client.Health.SecondOf(startedAt);
        client.Health.Record(HealthWindow.Kind.Request, second);
        var credentials = client.Credentials?.Generation ?? 0;
        if (client.Gates.MayBeActive || client.Limiter?.TryAcquireNow() == false)
        {
            return new RequestExecution(client, _sendToInner, request, breaker, startedAt, credentials, cancellationToken).RunAsync();
        }

        var timeout = client.FirstAttemptTimeouts.Rent();
        var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), timeout)
            : default;

        Task<HttpResponseMessage> attempt;
        try
        {
            attempt = base.SendAsync(request, timeout.Token);
        }
        catch (Exception ex)
        {
            attempt = Task.FromException<HttpResponseMessage>(ex);
        }

        if (attempt.IsCompletedSuccessfully && !InteractionsErrorClassifier.IsFailure(attempt.Result.StatusCode))
        {
            registration.Dispose();
            client.FirstAttemptTimeouts.Return(timeout);
            client.OnAccepted(breaker, second);
            client.Telemetry.Completed(success: true);
            return attempt;
        }

        return AwaitFirstAttemptAsync(attempt, timeout, registration, request, breaker, startedAt, credentials, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        => SendAsync(request, cancellationToken).GetAwaiter().GetResult();

    private async Task<HttpResponseMessage> AwaitFirstAttemptAsync(
        Task<HttpResponseMessage> attempt,
        CancellationTokenSource timeout,
        CancellationTokenRegistration registration,
        HttpRequestMessage request,
        Circuit? breaker,
        long startedAt,
        int credentials,
        CancellationToken cancellationToken)
    {
        HttpResponseMessage? response = null;
        Exception? failure = null;
        try
        {
            response = await attempt.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        finally
        {
            await registration.DisposeAsync().ConfigureAwait(false);
        }

        var timedOut = timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
        _client.FirstAttemptTimeouts.Return(timeout);
        var execution = new RequestExecution(_client, _sendToInner, request, breaker, startedAt, credentials, cancellationToken);

        if (failure is not null)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                ExceptionDispatchInfo.Throw(failure); // the caller's cancellation is never retried
            }

            if (timedOut)
            {
                failure = new TimeoutRejectedException("The attempt timed out.", _client.Options.AttemptTimeout, failure);
            }

            return await execution.ContinueAsync(failure).ConfigureAwait(false);
        }

        if (!InteractionsErrorClassifier.IsFailure(response!.StatusCode))
        {
            _client.OnAccepted(breaker, _client.Health.Now);
            _client.Telemetry.Completed(success: true);
            return response;
        }

        return await execution.ContinueAsync(response).ConfigureAwait(false);
    }
}

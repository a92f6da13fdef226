using System.Runtime.ExceptionServices;
using Interactions.Resilience.Exceptions.Internal;
using Interactions.Resilience.RateLimiting.Internal;
using Interactions.Resilience.Telemetry.Internal;
using Polly;
using Polly.Timeout;

namespace Interactions.Resilience.Policies.Internal;

/// <summary>
/// One request from its first failure on (or from its start, while the rate-limit gate is active): runs the
/// attempts through the client's Polly pipeline, decides per code whether and how long to wait, and turns
/// the final outcome into the response or the typed exception.
/// </summary>
internal sealed class RequestExecution
{
    private static readonly ResiliencePropertyKey<RequestExecution> Key = new("Interactions.RequestExecution");

    private readonly ClientResilienceState _client;
    private readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> _send;
    private readonly HttpRequestMessage _request;
    private readonly CancellationToken _callerToken;
    private readonly CircuitBreaker? _breaker;
    private readonly long _startedAt;
    private int _credentialsWhenSent;
    private bool _refreshCredentials;
    private bool _credentialsRefreshed;
    private string? _localDetail;
    private bool _breakerEntered = true; // the handler let the first attempt through the circuit
    private Outcome<HttpResponseMessage>? _firstOutcome;
    private InteractionsError? _lastError;
    private TimeSpan? _refusedWait;
    private RateController? _pacedBy;
    private long _sentAt;
    private long _notBefore;
    private int _attempts;
    private int _retries;
    private int _rateLimitRetries;
    private int _cooldownRetries;

    public RequestExecution(
        ClientResilienceState client,
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send,
        HttpRequestMessage request,
        CircuitBreaker? breaker,
        long startedAt,
        int credentialsWhenSent,
        CancellationToken callerToken)
    {
        _client = client;
        _send = send;
        _request = request;
        _breaker = breaker;
        _startedAt = startedAt;
        _credentialsWhenSent = credentialsWhenSent;
        _callerToken = callerToken;
    }

    /// <summary>Gets the delay the retry strategy waits before the next attempt, set by <see cref="ShouldRetry"/>.</summary>
    public TimeSpan PlannedDelay { get; private set; }

    /// <summary>Gets what is left of the total timeout.</summary>
    public TimeSpan RemainingTotal => _client.Options.TotalTimeout - _client.Time.GetElapsedTime(_startedAt);

    public static RequestExecution From(ResilienceContext context) => context.Properties.GetValue(Key, null!);

    /// <summary>Continues a request whose first attempt, made on the fast path, failed with a response.</summary>
    public async Task<HttpResponseMessage> ContinueAsync(HttpResponseMessage firstResponse)
    {
        _attempts = 1;
        _firstOutcome = await ClassifyAsync(firstResponse, _callerToken).ConfigureAwait(false);
        return await RunAsync().ConfigureAwait(false);
    }

    /// <summary>Continues a request whose first attempt, made on the fast path, failed without a response.</summary>
    public Task<HttpResponseMessage> ContinueAsync(Exception firstFailure)
    {
        _attempts = 1;
        _firstOutcome = OnTransportFailure(firstFailure);
        return RunAsync();
    }

    /// <summary>Runs every attempt in the pipeline (used while the gate is active).</summary>
    public async Task<HttpResponseMessage> RunAsync()
    {
        var context = ResilienceContextPool.Shared.Get(_callerToken);
        context.Properties.Set(Key, this);
        try
        {
            var outcome = await _client.Pipeline.ExecuteOutcomeAsync(
                static (ctx, self) => self.AttemptAsync(ctx), context, this).ConfigureAwait(false);
            return Complete(outcome);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Decides whether the last outcome is retried, and plans the delay. Called by the retry strategy.</summary>
    public bool ShouldRetry(Outcome<HttpResponseMessage> outcome)
    {
        PlannedDelay = TimeSpan.Zero;
        var error = _lastError;
        if (error is null || _callerToken.IsCancellationRequested || outcome.Exception is InteractionsException)
        {
            return false; // success, caller cancellation, or a local failure (halt, gate refusal)
        }

        var policy = _client.Policies.For(error);
        var options = _client.Options;
        var telemetry = _client.Telemetry;
        if (!_client.Idempotency.MayRetry(_request, error))
        {
            telemetry.Handled(error, policy, HandlingOutcome.Failed, _attempts, TimeSpan.Zero, "maybe processed, and the request has no idempotency key");
            return false;
        }

        if (error.Code == InteractionsErrorCode.TokenExpired && _client.Credentials is not null && !_credentialsRefreshed)
        {
            _refreshCredentials = _credentialsRefreshed = true; // refreshed in the next attempt, replayed once
            telemetry.Handled(error, policy, HandlingOutcome.Retrying, _attempts, TimeSpan.Zero);
            return true;
        }

        TimeSpan delay;
        switch (policy)
        {
            case InteractionsPolicy.Retry when _retries < options.Retry.MaxRetryAttempts:
                if (!_client.Budget.TryAcquire())
                {
                    _localDetail = LocalFailure.BudgetSpent;
                    telemetry.Handled(error, policy, HandlingOutcome.Failed, _attempts, TimeSpan.Zero, "retry budget spent");
                    return false;
                }

                delay = error.RetryAfter ?? Backoff.Delay(_retries, options.Retry);
                break;
            case InteractionsPolicy.WaitAndRetry when _rateLimitRetries < options.RateLimit.MaxRetryAttempts:
                // The request waits its own Retry-After, then the gate's release, which its scope shares.
                var own = error.RetryAfter ?? options.RateLimit.DefaultDelay;
                _notBefore = _client.Time.GetTimestamp() + TimeMath.ToTimestampTicks(own, _client.Time);
                delay = TimeMath.Max(own, _client.Gates.For(_request).PauseRemaining);
                break;
            case InteractionsPolicy.Cooldown when _cooldownRetries < 1:
                delay = error.RetryAfter ?? (error.Code == InteractionsErrorCode.WaitBeforeRegistering ? options.RegistrationCooldown : options.PinCooldown);
                break;
            case InteractionsPolicy.Halt:
                telemetry.Handled(error, policy, HandlingOutcome.Halted, _attempts, options.HaltDuration);
                return false;
            case InteractionsPolicy.FailFast:
                telemetry.Handled(error, policy, HandlingOutcome.Failed, _attempts, TimeSpan.Zero, "not retryable");
                return false;
            default:
                telemetry.Handled(error, policy, HandlingOutcome.Failed, _attempts, TimeSpan.Zero, "retries exhausted");
                return false;
        }

        var limit = TimeMath.Min(options.MaxWait, RemainingTotal);
        if (delay > limit)
        {
            _refusedWait = delay;
            telemetry.Handled(error, policy, HandlingOutcome.Failed, _attempts, delay, "the wait exceeds MaxWait or the time left");
            return false;
        }

        switch (policy)
        {
            case InteractionsPolicy.Retry:
                _retries++;
                telemetry.Handled(error, policy, HandlingOutcome.Retrying, _attempts, delay);
                telemetry.Waited(policy, delay);
                break;
            case InteractionsPolicy.WaitAndRetry:
                _rateLimitRetries++;
                telemetry.Handled(error, policy, HandlingOutcome.Waiting, _attempts, delay);
                delay = TimeSpan.Zero; // waited before the gate and at it, and measured there
                break;
            default:
                _cooldownRetries++;
                telemetry.Handled(error, policy, HandlingOutcome.Waiting, _attempts, delay);
                telemetry.Waited(policy, delay);
                break;
        }

        PlannedDelay = delay;
        return true;
    }

    private async ValueTask<Outcome<HttpResponseMessage>> AttemptAsync(ResilienceContext context)
    {
        if (_firstOutcome is { } first)
        {
            _firstOutcome = null;
            _breakerEntered = false;
            return first;
        }

        if (_client.Halt.MayBeHalted && _client.Halt.IsActive(out var haltError, out var haltLeft))
        {
            _lastError = haltError;
            _client.Telemetry.HaltedLocally(haltError, haltLeft);
            return Local(InteractionsExceptionFactory.Create(haltError, _attempts, haltLeft, _request.RequestUri, detail: LocalFailure.Halted));
        }

        var entered = _breakerEntered;
        _breakerEntered = false;
        if (!entered && _breaker is not null && !_breaker.TryEnter(out var breakLeft))
        {
            _lastError = null;
            return Local(LocalFailure.CircuitOpen(_client, _request, breakLeft, _attempts));
        }

        var gates = _client.Gates;
        _pacedBy = gates.MayBeActive || _notBefore != 0 ? gates.For(_request) : null;
        if (_pacedBy is not null && await WaitAtGateAsync(_pacedBy, context.CancellationToken).ConfigureAwait(false) is { } tooLong)
        {
            var refusal = InteractionsError.Local(InteractionsErrorCode.RateLimitExceeded, tooLong);
            _lastError = refusal;
            _client.Telemetry.RateLimitRefused(refusal, tooLong, _client.Options.MaxWait);
            return Local(InteractionsExceptionFactory.Create(refusal, _attempts, tooLong, _request.RequestUri, detail: LocalFailure.GateTooLong));
        }

        if (_client.Limiter is { } limiter && !await limiter.AcquireAsync(context.CancellationToken).ConfigureAwait(false))
        {
            var refusal = InteractionsError.Local(InteractionsErrorCode.RateLimitExceeded, limiter.Period);
            _lastError = refusal;
            _client.Telemetry.RateLimitRefused(refusal, limiter.Period, TimeSpan.Zero);
            return Local(InteractionsExceptionFactory.Create(refusal, _attempts, limiter.Period, _request.RequestUri, detail: LocalFailure.QueueFull));
        }

        if (_refreshCredentials && await RefreshCredentialsAsync(context.CancellationToken).ConfigureAwait(false) is { } refreshFailed)
        {
            return refreshFailed;
        }

        _attempts++;
        _credentialsWhenSent = _client.Credentials?.Generation ?? 0;
        HttpResponseMessage response;
        _sentAt = _client.Time.GetTimestamp();
        try
        {
            response = await _send(_request, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!_callerToken.IsCancellationRequested)
        {
            return OnTransportFailure(ex);
        }

        return await ClassifyAsync(response, context.CancellationToken).ConfigureAwait(false);
    }

    private static Outcome<HttpResponseMessage> Local(InteractionsException exception) => Outcome.FromException<HttpResponseMessage>(exception);

    private async ValueTask<Outcome<HttpResponseMessage>?> RefreshCredentialsAsync(CancellationToken cancellationToken)
    {
        _refreshCredentials = false;
        try
        {
            _request.Headers.Authorization = await _client.Credentials!.RefreshAsync(_credentialsWhenSent, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (!_callerToken.IsCancellationRequested && _lastError is { } expired)
        {
            // The refresher failed: the app gets the 020001 it would have had, with the refresher's failure inside.
            return Local(InteractionsExceptionFactory.Create(expired, _attempts, expired.RetryAfter, _request.RequestUri, ex));
        }
    }

    private async ValueTask<TimeSpan?> WaitAtGateAsync(RateController gate, CancellationToken cancellationToken)
    {
        var notBefore = _notBefore;
        _notBefore = 0;
        var time = _client.Time;
        var from = time.GetTimestamp();
        if (!gate.IsActive && notBefore <= from)
        {
            return null;
        }

        var refused = await gate.WaitAsync(notBefore, TimeMath.Min(_client.Options.MaxWait, RemainingTotal), cancellationToken).ConfigureAwait(false);
        _client.Telemetry.Waited(InteractionsPolicy.WaitAndRetry, time.GetElapsedTime(from));
        return refused;
    }

    private async ValueTask<Outcome<HttpResponseMessage>> ClassifyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!InteractionsErrorClassifier.IsFailure(response.StatusCode))
        {
            _lastError = null;
            _client.OnAccepted(_breaker, _client.Health.Now);
            _pacedBy?.OnAccepted(_sentAt, _client.Time.GetTimestamp()); // evidence that the quota is not spent
            return Outcome.FromResult(response);
        }

        var error = await _client.Classifier.ClassifyAsync(response, cancellationToken).ConfigureAwait(false);
        _lastError = error;
        _client.OnFailure(error!, _request, _breaker);
        if (_pacedBy is not null && _client.Policies.For(error!) != InteractionsPolicy.WaitAndRetry)
        {
            _pacedBy.OnAnswered(); // evidence that the quota is not spent
        }

        return Outcome.FromResult(response);
    }

    private Outcome<HttpResponseMessage> OnTransportFailure(Exception exception)
    {
        _lastError = InteractionsErrorClassifier.ClassifyTransportFailure(exception);
        _client.OnFailure(_lastError, _request, _breaker);
        return Outcome.FromException<HttpResponseMessage>(exception);
    }

    private HttpResponseMessage Complete(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Exception is { } exception)
        {
            _client.Telemetry.Completed(success: false);
            if (exception is InteractionsException || (exception is OperationCanceledException && _callerToken.IsCancellationRequested))
            {
                ExceptionDispatchInfo.Throw(exception);
            }

            // A timeout while waiting out a server's answer reports that answer; otherwise the transport failure.
            var error = _lastError is { Source: not InteractionsErrorSource.Transport } answered && exception is TimeoutRejectedException
                ? answered
                : _lastError ?? InteractionsErrorClassifier.ClassifyTransportFailure(exception);
            throw InteractionsExceptionFactory.Create(error, _attempts, _refusedWait ?? error.RetryAfter, _request.RequestUri, exception, _localDetail);
        }

        var response = outcome.Result!;
        _client.Telemetry.Completed(_lastError is null);
        if (_lastError is not { } final)
        {
            return response;
        }

        response.RequestMessage ??= _request;
        response.SetInteractionsError(final);
        if (!_client.Options.ThrowOnFailure)
        {
            return response;
        }

        response.Dispose();
        throw InteractionsExceptionFactory.Create(final, _attempts, _refusedWait ?? final.RetryAfter, _request.RequestUri, detail: _localDetail);
    }
}

using System.Runtime.ExceptionServices;
using Interactions.Resilience.Coordination.Internal;
using Interactions.Resilience.Credentials.Internal;
using Interactions.Resilience.Exceptions.Internal;
using Interactions.Resilience.Health.Internal;
using Interactions.Resilience.Idempotency.Internal;
using Interactions.Resilience.Internal;
using Interactions.Resilience.Retry.Internal;
using Interactions.Resilience.Telemetry.Internal;
using Polly;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;

namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>
/// A request's way through, top to bottom: <b>admission</b> (halt → circuit → rate-limit gate → proactive
/// limiter), the <b>attempt</b>, its <b>classification</b>, the <b>decision</b> (a pure function of the error,
/// <see cref="DecisionRules"/>), and its <b>effects</b> on the client (<see cref="ClientEffects"/>). A first
/// attempt that succeeds takes the fast path: the same admission, no Polly, no body read, nothing allocated
/// here. From the first failure on — or from the start, while a gate or the limiter make the request wait —
/// the client's Polly pipeline runs the attempts: total timeout → retry (whose callbacks ask the decision) →
/// attempt timeout. One per named client, shared by the handler instances <c>IHttpClientFactory</c> rotates.
/// </summary>
internal sealed class RequestPipeline : IPauseTarget
{
    private static readonly ResiliencePropertyKey<RequestState> StateKey = new("Interactions.Request");

    private readonly TimeProvider _time;
    private readonly InteractionsErrorClassifier _classifier;
    private readonly PolicyTable _policies;
    private readonly IdempotencyRules _idempotency;
    private readonly HealthWindow _health;
    private readonly ClientEffects _effects;
    private readonly RetryBudget _budget;
    private readonly CredentialRefresh? _credentials;
    private readonly TimeoutSourcePool _firstAttemptTimeouts;
    private readonly ResiliencePipeline<HttpResponseMessage> _polly;

    public RequestPipeline(ClientParts parts, Microsoft.Extensions.Logging.ILoggerFactory loggerFactory)
    {
        Name = parts.Name;
        Options = parts.Options;
        Telemetry = parts.Telemetry;
        Admission = parts.Admission;
        _time = parts.Time;
        _classifier = parts.Classifier;
        _policies = parts.Policies;
        _idempotency = parts.Idempotency;
        _health = parts.Health;
        _effects = parts.Effects;
        _budget = parts.Budget;
        _credentials = parts.Credentials;
        _firstAttemptTimeouts = new TimeoutSourcePool(_time, Options.AttemptTimeout);
        _polly = BuildPolly(Name, Options, _time, loggerFactory);
    }

    public string Name { get; }

    public InteractionsResilienceOptions Options { get; }

    public InteractionsTelemetry Telemetry { get; }

    public ClientAdmission Admission { get; }

    // ---- The fast path: admission, then the first attempt outside Polly. ----

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        var circuit = Admission.Circuits.For(request);
        var admitted = Admission.Admit(request, circuit, ownWaitPending: false, attempts: 0, out var refusal);
        if (admitted == AdmissionResult.Refused)
        {
            Telemetry.Completed(success: false);
            return Task.FromException<HttpResponseMessage>(refusal!);
        }

        _idempotency.Stamp(request);
        var startedAt = _time.GetTimestamp();
        _health.Record(HealthWindow.Kind.Request, _health.SecondOf(startedAt));
        var ticket = new AdmissionTicket(circuit);
        if (admitted == AdmissionResult.Wait)
        {
            var waiting = NewState(request, send, startedAt, ticket, cancellationToken);
            waiting.AdmittedOnFastPath = admitted;
            return RunAsync(waiting);
        }

        var timeout = _firstAttemptTimeouts.Rent();
        var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), timeout)
            : default;

        Task<HttpResponseMessage> attempt;
        try
        {
            attempt = send(request, timeout.Token);
        }
        catch (Exception ex)
        {
            attempt = Task.FromException<HttpResponseMessage>(ex);
        }

        if (attempt.IsCompletedSuccessfully && !InteractionsErrorClassifier.IsFailure(attempt.Result.StatusCode))
        {
            registration.Dispose();
            _firstAttemptTimeouts.Return(timeout);
            _effects.OnAccepted(ticket, startedAt);
            Telemetry.Completed(success: true);
            return attempt;
        }

        return AwaitFirstAttemptAsync(attempt, timeout, registration, request, send, ticket, startedAt, cancellationToken);
    }

    /// <summary>
    /// The synchronous <c>Send</c>: admission and the first attempt run synchronously (<paramref name="sendSync"/>);
    /// a request that must wait or be retried blocks on the asynchronous pipeline, since its waits are timers of the
    /// injected <see cref="TimeProvider"/> (which a blocked thread cannot drive in tests, and which Polly runs asynchronously).
    /// </summary>
    public HttpResponseMessage Send(
        HttpRequestMessage request,
        Func<HttpRequestMessage, CancellationToken, HttpResponseMessage> sendSync,
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send,
        CancellationToken cancellationToken)
    {
        var circuit = Admission.Circuits.For(request);
        var admitted = Admission.Admit(request, circuit, ownWaitPending: false, attempts: 0, out var refusal);
        if (admitted == AdmissionResult.Refused)
        {
            Telemetry.Completed(success: false);
            throw refusal!;
        }

        _idempotency.Stamp(request);
        var startedAt = _time.GetTimestamp();
        _health.Record(HealthWindow.Kind.Request, _health.SecondOf(startedAt));
        var ticket = new AdmissionTicket(circuit);
        if (admitted == AdmissionResult.Wait)
        {
            var waiting = NewState(request, send, startedAt, ticket, cancellationToken);
            waiting.AdmittedOnFastPath = admitted;
            return RunAsync(waiting).GetAwaiter().GetResult();
        }

        using var timeout = new CancellationTokenSource(Options.AttemptTimeout, _time);
        using var registration = cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), timeout);
        HttpResponseMessage response;
        try
        {
            response = sendSync(request, timeout.Token);
        }
        catch (Exception ex)
        {
            return ContinueAfterFailure(ex, timeout, request, send, ticket, startedAt, cancellationToken).GetAwaiter().GetResult();
        }

        if (!InteractionsErrorClassifier.IsFailure(response.StatusCode))
        {
            _effects.OnAccepted(ticket, _time.GetTimestamp());
            Telemetry.Completed(success: true);
            return response;
        }

        return ContinueAfterResponseAsync(response, request, send, ticket, startedAt, cancellationToken).GetAwaiter().GetResult();
    }

    private async Task<HttpResponseMessage> AwaitFirstAttemptAsync(
        Task<HttpResponseMessage> attempt,
        CancellationTokenSource timeout,
        CancellationTokenRegistration registration,
        HttpRequestMessage request,
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send,
        AdmissionTicket ticket,
        long startedAt,
        CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await attempt.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            registration.Dispose();
            var continued = ContinueAfterFailure(ex, timeout, request, send, ticket, startedAt, cancellationToken);
            _firstAttemptTimeouts.Return(timeout);
            return await continued.ConfigureAwait(false);
        }

        registration.Dispose();
        _firstAttemptTimeouts.Return(timeout);
        if (!InteractionsErrorClassifier.IsFailure(response.StatusCode))
        {
            _effects.OnAccepted(ticket, _time.GetTimestamp());
            Telemetry.Completed(success: true);
            return response;
        }

        return await ContinueAfterResponseAsync(response, request, send, ticket, startedAt, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The fast path's attempt failed without a response: report it, then let the pipeline decide.</summary>
    private Task<HttpResponseMessage> ContinueAfterFailure(
        Exception failure, CancellationTokenSource timeout, HttpRequestMessage request, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, AdmissionTicket ticket, long startedAt, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            ExceptionDispatchInfo.Throw(failure); // the caller's cancellation is never retried
        }

        if (timeout.IsCancellationRequested)
        {
            failure = new TimeoutRejectedException("The attempt timed out.", Options.AttemptTimeout, failure);
        }

        var state = NewState(request, send, startedAt, ticket, cancellationToken);
        state.ReplayFirst(OnTransportFailure(state, failure));
        return RunAsync(state);
    }

    /// <summary>The fast path's attempt failed with an error response: classify it, then let the pipeline decide.</summary>
    private async Task<HttpResponseMessage> ContinueAfterResponseAsync(
        HttpResponseMessage response, HttpRequestMessage request, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, AdmissionTicket ticket, long startedAt, CancellationToken cancellationToken)
    {
        var state = NewState(request, send, startedAt, ticket, cancellationToken);
        state.ReplayFirst(await ClassifyAsync(state, response, cancellationToken).ConfigureAwait(false));
        return await RunAsync(state).ConfigureAwait(false);
    }

    private RequestState NewState(HttpRequestMessage request, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, long startedAt, AdmissionTicket ticket, CancellationToken cancellationToken)
        => new(request, send, Admission.Gates.ScopeOf(request), startedAt, ticket, _credentials?.Generation ?? 0, cancellationToken);

    // ---- From the first failure on: the attempts run in Polly; each passes the same admission. ----

    private async Task<HttpResponseMessage> RunAsync(RequestState state)
    {
        var context = ResilienceContextPool.Shared.Get(state.CallerToken);
        context.Properties.Set(StateKey, state);
        try
        {
            var outcome = await _polly.ExecuteOutcomeAsync(
                static (ctx, args) => args.Self.AttemptAsync(ctx, args.State), context, (Self: this, State: state)).ConfigureAwait(false);
            return Complete(state, outcome);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<Outcome<HttpResponseMessage>> AttemptAsync(ResilienceContext context, RequestState state)
    {
        if (state.TakeFirstOutcome(out var first))
        {
            return first; // the fast path's attempt, replayed: the decision sees it like any other
        }

        // 1. Admission: halt → circuit → (wait) gate → limiter.
        var request = state.Request;
        InteractionsException? refusal = null;
        var admitted = state.AdmittedOnFastPath ?? Admission.Admit(request, state.Ticket.Circuit, state.Wait.IsPending, state.Counters.Attempts, out refusal);
        state.AdmittedOnFastPath = null;
        if (admitted == AdmissionResult.Refused)
        {
            return Outcome.FromException<HttpResponseMessage>(refusal!);
        }

        var ticket = state.Ticket with { Gate = null };
        if (admitted == AdmissionResult.Wait)
        {
            var (gate, tooLong) = await Admission.WaitAsync(request, state.Scope, state.Wait.Take(), RemainingTotal(state), state.Counters.Attempts, context.CancellationToken).ConfigureAwait(false);
            if (tooLong is not null)
            {
                return Outcome.FromException<HttpResponseMessage>(tooLong);
            }

            ticket = ticket with { Gate = gate };
        }

        if (state.Credentials.RefreshPending && await RefreshCredentialsAsync(state, context.CancellationToken).ConfigureAwait(false) is { } refreshFailed)
        {
            return refreshFailed;
        }

        // 2. The attempt.
        state.Counters.Attempts++;
        state.Credentials.GenerationWhenSent = _credentials?.Generation ?? 0;
        state.Ticket = ticket with { SentAt = _time.GetTimestamp() };
        HttpResponseMessage response;
        try
        {
            response = await state.Send(request, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!state.CallerToken.IsCancellationRequested)
        {
            return OnTransportFailure(state, ex);
        }

        // 3. Classification, and its effects on the client.
        return await ClassifyAsync(state, response, context.CancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<Outcome<HttpResponseMessage>> ClassifyAsync(RequestState state, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!InteractionsErrorClassifier.IsFailure(response.StatusCode))
        {
            state.Report.LastError = null;
            _effects.OnAccepted(state.Ticket, _time.GetTimestamp());
            return Outcome.FromResult(response);
        }

        var error = (await _classifier.ClassifyAsync(response, cancellationToken).ConfigureAwait(false))!;
        state.Report.LastError = error;
        _effects.OnFailure(error, state.Scope, state.Ticket);
        return Outcome.FromResult(response);
    }

    private Outcome<HttpResponseMessage> OnTransportFailure(RequestState state, Exception exception)
    {
        var error = InteractionsErrorClassifier.ClassifyTransportFailure(exception);
        state.Report.LastError = error;
        _effects.OnFailure(error, state.Scope, state.Ticket);
        return Outcome.FromException<HttpResponseMessage>(exception);
    }

    // ---- 4. The decision: asked by the retry strategy's callbacks, made once per attempt. ----

    private Decision DecisionFor(RequestState state, int attemptNumber, Outcome<HttpResponseMessage> outcome)
    {
        if (state.DecidedFor == attemptNumber)
        {
            return state.Decision;
        }

        var decision = Decide(state, outcome);
        state.Decided(attemptNumber, decision);
        return decision;
    }

    private Decision Decide(RequestState state, Outcome<HttpResponseMessage> outcome)
    {
        if (state.Report.LastError is not { } error || state.CallerToken.IsCancellationRequested || outcome.Exception is InteractionsException)
        {
            return default; // a success, the caller's cancellation, or a local failure (halt, circuit, gate, limiter)
        }

        var policy = _policies.For(error);
        var pause = policy == InteractionsPolicy.WaitAndRetry ? Admission.Gates.For(state.Scope).PauseRemaining : TimeSpan.Zero;
        var input = new DecisionInput(
            error,
            policy,
            IdempotencyRules.IsUnsafe(state.Request.Method),
            _idempotency.HasKey(state.Request),
            _credentials is not null,
            state.Counters,
            RemainingTotal(state),
            pause,
            Random.Shared.NextDouble());
        var decision = DecisionRules.Decide(input, Options);
        if (decision.Kind == DecisionKind.Retry && !_budget.TryAcquire())
        {
            state.Report.LocalDetail = LocalFailure.BudgetSpent;
            decision = Decision.Fail("retry budget spent");
        }

        var attempts = state.Counters.Attempts;
        switch (decision.Kind)
        {
            case DecisionKind.Retry:
                Telemetry.Handled(error, policy, HandlingOutcome.Retrying, attempts, decision.Delay);
                Telemetry.Waited(policy, decision.Delay);
                break;
            case DecisionKind.WaitForRateLimit:
                Telemetry.Handled(error, policy, HandlingOutcome.Waiting, attempts, TimeMath.Max(decision.Delay, pause)); // waited at the gate, and measured there
                break;
            case DecisionKind.Cooldown:
                Telemetry.Handled(error, policy, HandlingOutcome.Waiting, attempts, decision.Delay);
                Telemetry.Waited(policy, decision.Delay);
                break;
            case DecisionKind.RefreshCredentials:
                Telemetry.Handled(error, policy, HandlingOutcome.Retrying, attempts, TimeSpan.Zero);
                break;
            case DecisionKind.Halt:
                Telemetry.Handled(error, policy, HandlingOutcome.Halted, attempts, decision.Delay);
                break;
            default:
                state.Report.RefusedWait = decision.RefusedWait;
                Telemetry.Handled(error, policy, HandlingOutcome.Failed, attempts, decision.RefusedWait ?? TimeSpan.Zero, decision.Reason);
                break;
        }

        return decision;
    }

    /// <summary>A retry was decided: count it, and note what the next attempt must do first.</summary>
    private void OnRetry(RequestState state, Decision decision)
    {
        state.Counters.Count(decision.Kind);
        switch (decision.Kind)
        {
            case DecisionKind.WaitForRateLimit:
                state.Wait.Set(_time.GetTimestamp() + TimeMath.ToTimestampTicks(decision.Delay, _time));
                break;
            case DecisionKind.RefreshCredentials:
                state.Credentials.RefreshPending = true;
                break;
        }
    }

    private async ValueTask<Outcome<HttpResponseMessage>?> RefreshCredentialsAsync(RequestState state, CancellationToken cancellationToken)
    {
        state.Credentials.RefreshPending = false;
        try
        {
            state.Request.Headers.Authorization = await _credentials!.RefreshAsync(state.Credentials.GenerationWhenSent, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (!state.CallerToken.IsCancellationRequested && state.Report.LastError is { } expired)
        {
            // The refresher failed: the app gets the 020001 it would have had, with the refresher's failure inside.
            return Outcome.FromException<HttpResponseMessage>(InteractionsExceptionFactory.Create(expired, state.Counters.Attempts, expired.RetryAfter, state.Request.RequestUri, ex));
        }
    }

    // ---- 5. The end: the response, or the typed exception. ----

    private HttpResponseMessage Complete(RequestState state, Outcome<HttpResponseMessage> outcome)
    {
        var report = state.Report;
        var attempts = state.Counters.Attempts;
        var uri = state.Request.RequestUri;
        if (outcome.Exception is { } exception)
        {
            Telemetry.Completed(success: false);
            if (exception is InteractionsException || (exception is OperationCanceledException && state.CallerToken.IsCancellationRequested))
            {
                ExceptionDispatchInfo.Throw(exception);
            }

            // A timeout while waiting out a server's answer reports that answer; otherwise the transport failure.
            var error = report.LastError is { Source: not InteractionsErrorSource.Transport } answered && exception is TimeoutRejectedException
                ? answered
                : report.LastError ?? InteractionsErrorClassifier.ClassifyTransportFailure(exception);
            throw InteractionsExceptionFactory.Create(error, attempts, report.RefusedWait ?? error.RetryAfter, uri, exception, report.LocalDetail);
        }

        var response = outcome.Result!;
        Telemetry.Completed(report.LastError is null);
        if (report.LastError is not { } final)
        {
            return response;
        }

        response.RequestMessage ??= state.Request;
        response.SetInteractionsError(final);
        if (!Options.ThrowOnFailure)
        {
            return response;
        }

        response.Dispose();
        throw InteractionsExceptionFactory.Create(final, attempts, report.RetryAfter, uri, detail: report.LocalDetail);
    }

    private TimeSpan RemainingTotal(RequestState state) => Options.TotalTimeout - _time.GetElapsedTime(state.StartedAt);

    /// <inheritdoc />
    void IPauseTarget.ApplyPause(InteractionsErrorCode code, string? scope, TimeSpan duration) => _effects.ApplyRemotePause(code, scope, duration);

    // ---- The Polly pipeline: total timeout → retry → attempt timeout. ----

    private ResiliencePipeline<HttpResponseMessage> BuildPolly(string name, InteractionsResilienceOptions options, TimeProvider time, Microsoft.Extensions.Logging.ILoggerFactory loggerFactory)
    {
        return new ResiliencePipelineBuilder<HttpResponseMessage> { Name = $"Interactions-{name}", InstanceName = name, TimeProvider = time }

            // Polly's own metrics and logs for the part of the work Polly runs; its events log at Debug,
            // since ours already report each failure once at the level it deserves.
            .ConfigureTelemetry(new TelemetryOptions { LoggerFactory = loggerFactory, SeverityProvider = static _ => ResilienceEventSeverity.Debug })
            .AddTimeout(new TimeoutStrategyOptions
            {
                Name = "TotalTimeout",

                // What is left of the total after the first attempt, which ran outside the pipeline.
                TimeoutGenerator = args => new ValueTask<TimeSpan>(TimeMath.Max(RemainingTotal(From(args.Context)), TimeSpan.FromTicks(1))),
            })
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "Policies",

                // Each policy counts its own retries (Retry, 030003, cooldown, credential replay): the decision stops the loop.
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => new ValueTask<bool>(DecisionFor(From(args.Context), args.AttemptNumber, args.Outcome).Retries),

                // A rate-limited request waits at its gate instead (its own Retry-After, then the scope's release), measured there.
                DelayGenerator = args => new ValueTask<TimeSpan?>(DecisionFor(From(args.Context), args.AttemptNumber, args.Outcome) is { Kind: not DecisionKind.WaitForRateLimit } d ? d.Delay : TimeSpan.Zero),
                OnRetry = args =>
                {
                    var state = From(args.Context);
                    OnRetry(state, DecisionFor(state, args.AttemptNumber, args.Outcome));
                    return default;
                },
            })
            .AddTimeout(new TimeoutStrategyOptions { Name = "AttemptTimeout", Timeout = options.AttemptTimeout })
            .Build();
    }

    private static RequestState From(ResilienceContext context) => context.Properties.GetValue(StateKey, null!);
}

using System.Runtime.CompilerServices;
using Interactions.Resilience.Classification.Internal;
using Interactions.Resilience.Coordination.Internal;
using Interactions.Resilience.Exceptions.Internal;
using Interactions.Resilience.Idempotency.Internal;
using Interactions.Resilience.Internal;
using Interactions.Resilience.Telemetry.Internal;
using Polly;

namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>
/// A request's way through, top to bottom: <b>admission</b> (halt → circuit → rate-limit gate → proactive
/// limiter), the <b>attempt</b>, its <b>classification</b>, the <b>decision</b> (a pure function of the error,
/// <see cref="DecisionRules"/>), and its <b>effects</b> on the client (<see cref="ClientEffects"/>). A first
/// attempt that succeeds takes the fast path: the same admission, no Polly, no body read, nothing allocated
/// here but, when the attempt completes later, the Task the caller awaits. From the first failure on — or from
/// the start, while a gate or the limiter make the request wait — the client's Polly pipeline runs the attempts:
/// total timeout → retry (whose callbacks ask the decision) → attempt timeout. This class's async methods run on pooled
/// state machines; the request's state (<see cref="RequestState"/>) is reused, and the error body is held in a pooled buffer until the response is
/// dropped or delivered (<see cref="Classification.Internal.ErrorBodyPeek"/>). One per named client, shared by the handler instances <c>IHttpClientFactory</c> rotates.
/// </summary>
internal sealed partial class RequestPipeline : IPauseTarget
{
    private static readonly ResiliencePropertyKey<RequestState> StateKey = new("Interactions.Request");

    private readonly ClientParts _parts;
    private readonly TimeProvider _time;
    private readonly ClientEffects _effects;
    private readonly TimeoutSourcePool _firstAttemptTimeouts;
    private readonly ResiliencePipeline<HttpResponseMessage> _polly;

    public RequestPipeline(ClientParts parts, Microsoft.Extensions.Logging.ILoggerFactory loggerFactory)
    {
        _parts = parts;
        _time = parts.Time;
        _effects = parts.Effects;
        _firstAttemptTimeouts = new TimeoutSourcePool(_time, Options.AttemptTimeout);
        _polly = PollyPipeline.Build(this, loggerFactory);
    }

    public string Name => _parts.Name;

    public InteractionsResilienceOptions Options => _parts.Options;

    public InteractionsTelemetry Telemetry => _parts.Telemetry;

    public ClientAdmission Admission => _parts.Admission;

    public TimeProvider Time => _time;

    // ---- 1. The fast path: admission, then the first attempt outside Polly (RequestPipeline.FastPath.cs). ----

    // ---- 2. From the first failure on, the attempts run in Polly; each passes the same admission. ----

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<HttpResponseMessage> RunAsync(RequestState state)
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
            // Polly has finished with both: nothing refers to them any more.
            ResilienceContextPool.Shared.Return(context);
            RequestState.Return(state);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Outcome<HttpResponseMessage>> AttemptAsync(ResilienceContext context, RequestState state)
    {
        if (state.TakeFirstOutcome(out var first))
        {
            return first; // the fast path's attempt, replayed: the decision sees it like any other
        }

        // Admission: halt → circuit → (wait) gate → limiter; the fast path made the first step of the first attempt.
        var request = state.Request;
        var (ticket, refusal) = await Admission.EnterAsync(request, state.Ticket, state.AdmittedOnFastPath, state.Wait.Take(), state.Scope, RemainingTotal(state), state.Counters.Attempts, context.CancellationToken).ConfigureAwait(false);
        state.AdmittedOnFastPath = null;
        if (refusal is not null)
        {
            return Outcome.FromException<HttpResponseMessage>(refusal);
        }

        if (state.Credentials.RefreshPending && await RefreshCredentialsAsync(state, context.CancellationToken).ConfigureAwait(false) is { } refreshFailed)
        {
            return Outcome.FromException<HttpResponseMessage>(refreshFailed);
        }

        // The attempt.
        state.Counters.Attempts++;
        state.Credentials.GenerationWhenSent = _parts.Credentials?.Generation ?? 0;
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

        // Its classification, and its effects on the client.
        return await ClassifyAsync(state, response, context.CancellationToken).ConfigureAwait(false);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Outcome<HttpResponseMessage>> ClassifyAsync(RequestState state, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!InteractionsErrorClassifier.IsFailure(response.StatusCode))
        {
            state.Report.LastError = null;
            _effects.OnAccepted(state.Ticket, _time.GetTimestamp());
            return Outcome.FromResult(response);
        }

        InteractionsError error;
        var classifier = _parts.Classifier;
        if (classifier.HasCustom)
        {
            // An app's classifier is handed the response and may read its content: it finds it whole, as it always did.
            error = (await classifier.ClassifyAsync(response, cancellationToken).ConfigureAwait(false))!;
        }
        else
        {
            // The body stays in the pooled buffer until the response is dropped for a retry or delivered (Complete).
            state.Body.Release();
            state.Body = await ErrorBodyPeek.ReadHeldAsync(response, classifier.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
            error = classifier.Classify(response, state.Body.Bytes, state.Body.IsComplete);
        }

        state.Report.LastError = error;
        state.Scope = error.Scope ?? state.Scope; // the server named the scope it limits (Meta's pair limit: the recipient)
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

    // ---- 3. The decision: asked by the retry strategy's callbacks, made once per attempt. ----

    internal Decision DecisionFor(RequestState state, int attemptNumber, Outcome<HttpResponseMessage> outcome)
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

        var policy = _parts.Policies.For(error);
        var pause = policy == InteractionsPolicy.WaitAndRetry ? Admission.Gates.Find(state.Scope)?.PauseRemaining ?? TimeSpan.Zero : TimeSpan.Zero;
        var unsafeMethod = IdempotencyRules.IsUnsafe(state.Request.Method);
        var input = new DecisionInput(
            error,
            policy,
            unsafeMethod,
            unsafeMethod && _parts.Idempotency.HasKey(state.Request), // only an unsafe method's key matters: a GET's headers stay unread
            _parts.Credentials is not null,
            state.Counters,
            RemainingTotal(state),
            pause,
            Random.Shared.NextDouble());
        var decision = DecisionRules.Decide(input, Options);
        if (decision.Kind == DecisionKind.Retry && !_parts.Budget.TryAcquire())
        {
            state.Report.LocalDetail = LocalFailure.BudgetSpent;
            decision = Decision.Fail("retry budget spent");
        }

        state.Report.RefusedWait = decision.RefusedWait;
        DecisionLog.Report(Telemetry, error, policy, decision, state.Counters.Attempts, pause);
        return decision;
    }

    /// <summary>A retry was decided: count it, and note what the next attempt must do first.</summary>
    internal void OnRetry(RequestState state, Decision decision)
    {
        state.Body.Release(); // the response is dropped: no one will read its body
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

    private async ValueTask<InteractionsException?> RefreshCredentialsAsync(RequestState state, CancellationToken cancellationToken)
    {
        state.Credentials.RefreshPending = false;
        try
        {
            state.Request.Headers.Authorization = await _parts.Credentials!.RefreshAsync(state.Credentials.GenerationWhenSent, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (!state.CallerToken.IsCancellationRequested && state.Report.LastError is { } expired)
        {
            // The refresher failed: the app gets the 020001 it would have had, with the refresher's failure inside.
            return InteractionsExceptionFactory.Create(expired, state.Counters.Attempts, expired.RetryAfter, state.Request.RequestUri, ex);
        }
    }

    // ---- 4. The end: the response, or the typed exception. ----

    private HttpResponseMessage Complete(RequestState state, Outcome<HttpResponseMessage> outcome)
    {
        // The app reads the body of the error response it gets, as it was sent; one it will not get gives its buffer back.
        if (state.Body.IsHeld && ReferenceEquals(state.Body.Response, outcome.Result) && (!Options.ThrowOnFailure || state.Report.LastError is null))
        {
            state.Body.Restore();
        }
        else
        {
            state.Body.Release();
        }

        Telemetry.Completed(success: outcome.Exception is null && state.Report.LastError is null);
        return state.Report.Deliver(outcome, state.Request, state.Counters.Attempts, state.CallerToken.IsCancellationRequested, Options.ThrowOnFailure);
    }

    internal TimeSpan RemainingTotal(RequestState state) => Options.TotalTimeout - _time.GetElapsedTime(state.StartedAt);

    /// <inheritdoc />
    InteractionsPolicy IPauseTarget.PolicyFor(InteractionsErrorCode code) => _parts.Policies.For(code);

    /// <inheritdoc />
    List<InteractionsPauseInfo> IPauseTarget.ReadPauses(IReadOnlyList<InteractionsPause> shared) => ClientPauses.Read(this, shared);

    /// <inheritdoc />
    List<InteractionsPauseInfo> IPauseTarget.LiftPauses(InteractionsPauseLift lift, IReadOnlyList<InteractionsPause> shared) => ClientPauses.Lift(this, lift, shared);

    /// <inheritdoc />
    void IPauseTarget.ApplyPause(InteractionsErrorCode code, string? scope, TimeSpan duration) => _effects.ApplyRemotePause(code, scope, duration);

    internal static RequestState From(ResilienceContext context) => context.Properties.GetValue(StateKey, null!);
}

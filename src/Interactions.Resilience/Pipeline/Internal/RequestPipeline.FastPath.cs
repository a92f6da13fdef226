using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Interactions.Resilience.Health.Internal;
using Polly.Timeout;

namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>The fast path: admission, then the first attempt outside Polly.</summary>
internal sealed partial class RequestPipeline
{
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        var admitted = Begin(request, send, cancellationToken, out var first, out var refusal);
        if (admitted != AdmissionResult.Go)
        {
            return admitted == AdmissionResult.Refused ? Task.FromException<HttpResponseMessage>(refusal!) : RunAsync(NewState(first, admitted)).AsTask();
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
            Accepted(first, first.StartedAt);
            return attempt;
        }

        // The one allocation of an attempt that completes later: the Task the caller awaits, over a pooled state machine.
        return AwaitFirstAttemptAsync(attempt, timeout, registration, first).AsTask();
    }

    /// <summary>Admission, then what every request does once: its idempotency key, and counting it.</summary>
    private AdmissionResult Begin(HttpRequestMessage request, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken, out FirstAttempt first, out InteractionsException? refusal)
    {
        var circuit = Admission.Circuits.For(request);
        var admitted = Admission.Admit(request, circuit, ownWaitPending: false, attempts: 0, out refusal);
        if (admitted == AdmissionResult.Refused)
        {
            Telemetry.Completed(success: false);
            first = default;
            return admitted;
        }

        _parts.Idempotency.Stamp(request);
        var startedAt = _time.GetTimestamp();
        _parts.Health.Record(HealthWindow.Kind.Request, _parts.Health.SecondOf(startedAt));
        first = new FirstAttempt(request, send, new AdmissionTicket(circuit), startedAt, cancellationToken);
        return admitted;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<HttpResponseMessage> AwaitFirstAttemptAsync(Task<HttpResponseMessage> attempt, CancellationTokenSource timeout, CancellationTokenRegistration registration, FirstAttempt first)
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

        registration.Dispose();
        var timedOut = timeout.IsCancellationRequested;
        _firstAttemptTimeouts.Return(timeout);
        if (failure is null && !InteractionsErrorClassifier.IsFailure(response!.StatusCode))
        {
            Accepted(first, _time.GetTimestamp());
            return response;
        }

        return await ContinueAsync(first, response, failure, timedOut).ConfigureAwait(false);
    }

    private void Accepted(in FirstAttempt first, long acceptedAt)
    {
        _effects.OnAccepted(first.Ticket, acceptedAt);
        Telemetry.Completed(success: true);
    }

    /// <summary>The fast path's attempt failed: classify it, then the pipeline decides, as after any attempt.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<HttpResponseMessage> ContinueAsync(FirstAttempt first, HttpResponseMessage? response, Exception? failure, bool timedOut)
    {
        if (failure is not null && first.CallerToken.IsCancellationRequested)
        {
            ExceptionDispatchInfo.Throw(failure); // the caller's cancellation is never retried
        }

        var state = NewState(first, admitted: null);
        if (failure is not null)
        {
            state.ReplayFirst(OnTransportFailure(state, timedOut ? new TimeoutRejectedException("The attempt timed out.", Options.AttemptTimeout, failure) : failure));
        }
        else
        {
            state.ReplayFirst(await ClassifyAsync(state, response!, first.CallerToken).ConfigureAwait(false));
        }

        return await RunAsync(state).ConfigureAwait(false);
    }

    private RequestState NewState(in FirstAttempt first, AdmissionResult? admitted)
    {
        var state = RequestState.Rent(first, Admission.Gates.ScopeOf(first.Request), _parts.Credentials?.Generation ?? 0);
        state.AdmittedOnFastPath = admitted;
        return state;
    }
}

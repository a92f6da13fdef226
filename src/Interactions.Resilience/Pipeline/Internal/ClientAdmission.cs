using Interactions.Resilience.CircuitBreaker.Internal;
using Interactions.Resilience.Exceptions.Internal;
using Interactions.Resilience.Halt.Internal;
using Interactions.Resilience.Internal;
using Interactions.Resilience.RateLimiting.Internal;
using Interactions.Resilience.Telemetry.Internal;

namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>
/// Admission, in order: halt → circuit → rate-limit gate → proactive limiter. The fast path and every retry
/// pass the same <see cref="Admit"/>; a request that must wait then passes <see cref="WaitAsync"/>.
/// </summary>
internal sealed class ClientAdmission
{
    private readonly InteractionsResilienceOptions _options;
    private readonly TimeProvider _time;
    private readonly InteractionsTelemetry _telemetry;

    public ClientAdmission(InteractionsResilienceOptions options, TimeProvider time, InteractionsTelemetry telemetry, HaltState halt, Circuits circuits, RateLimitGates gates, ProactiveLimiter? limiter)
    {
        _options = options;
        _time = time;
        _telemetry = telemetry;
        Halt = halt;
        Circuits = circuits;
        Gates = gates;
        Limiter = limiter;
    }

    public HaltState Halt { get; }

    public Circuits Circuits { get; }

    public RateLimitGates Gates { get; }

    public ProactiveLimiter? Limiter { get; }

    /// <summary>
    /// The synchronous part, which allocates nothing when the request may go: fails locally while halted or while
    /// the circuit is open, enters the circuit, and says whether a gate or the limiter make the request wait.
    /// </summary>
    public AdmissionResult Admit(HttpRequestMessage request, Circuit? circuit, bool ownWaitPending, int attempts, out InteractionsException? refusal)
    {
        refusal = null;
        if (Halt.MayBeHalted && Halt.IsActive(out var haltError, out var haltLeft))
        {
            _telemetry.HaltedLocally(haltError, haltLeft);
            refusal = InteractionsExceptionFactory.Create(haltError, attempts, haltLeft, request.RequestUri, detail: LocalFailure.Halted);
            return AdmissionResult.Refused;
        }

        if (circuit is not null && !circuit.IsClosed && !circuit.TryEnter(out var breakLeft))
        {
            refusal = LocalFailure.CircuitOpen(_telemetry, request, breakLeft, attempts);
            return AdmissionResult.Refused;
        }

        // A gate that may be active, or the request's own Retry-After, are waited out in WaitAsync; the limiter's
        // permit is taken here when one is free (WaitAsync then does not take another).
        if (Gates.MayBeActive || ownWaitPending)
        {
            return AdmissionResult.Wait;
        }

        return Limiter?.TryAcquireNow() == false ? AdmissionResult.Wait : AdmissionResult.Go;
    }

    /// <summary>
    /// The whole admission of one attempt of the pipeline: <see cref="Admit"/> (unless the fast path already did,
    /// <paramref name="admittedOnFastPath"/>), then <see cref="WaitAsync"/> when it says so.
    /// </summary>
    public async ValueTask<(AdmissionTicket Ticket, InteractionsException? Refusal)> EnterAsync(
        HttpRequestMessage request, AdmissionTicket ticket, AdmissionResult? admittedOnFastPath, long notBefore, string? scope, TimeSpan timeLeft, int attempts, CancellationToken cancellationToken)
    {
        InteractionsException? refusal = null;
        var admitted = admittedOnFastPath ?? Admit(request, ticket.Circuit, ownWaitPending: notBefore != 0, attempts, out refusal);
        if (admitted == AdmissionResult.Refused)
        {
            return (ticket, refusal);
        }

        if (admitted == AdmissionResult.Go)
        {
            return (ticket with { Gate = null }, null);
        }

        var (gate, tooLong) = await WaitAsync(request, scope, notBefore, timeLeft, attempts, cancellationToken).ConfigureAwait(false);
        return (ticket with { Gate = gate }, tooLong);
    }

    /// <summary>
    /// The asynchronous part, after <see cref="Admit"/> said <see cref="AdmissionResult.Wait"/>: the request's own
    /// wait and its scope's gate, then a permit of the limiter. Returns the gate it passed (to report the answer
    /// to), or a local failure when the wait exceeds <c>MaxWait</c> or the time left, or the limiter's queue is full.
    /// </summary>
    public async ValueTask<(RateController? Gate, InteractionsException? Refusal)> WaitAsync(
        HttpRequestMessage request, string? scope, long notBefore, TimeSpan timeLeft, int attempts, CancellationToken cancellationToken)
    {
        RateController? passed = null;
        if (Gates.MayBeActive || notBefore != 0)
        {
            // The request's own Retry-After is waited in its scope's controller; without one, a scope that has no
            // controller has nothing in force, and none is made for it.
            var from = _time.GetTimestamp();
            var gate = notBefore > from ? Gates.For(scope) : Gates.Find(scope);
            if (gate is not null && (gate.IsActive || notBefore > from))
            {
                passed = gate;
                var tooLong = await gate.WaitAsync(notBefore, TimeMath.Min(_options.MaxWait, timeLeft), cancellationToken).ConfigureAwait(false);
                _telemetry.Waited(InteractionsPolicy.WaitAndRetry, _time.GetElapsedTime(from));
                if (tooLong is { } wait)
                {
                    var refusal = InteractionsError.Local(InteractionsErrorCode.RateLimitExceeded, wait);
                    _telemetry.RateLimitRefused(refusal, wait, _options.MaxWait);
                    return (gate, InteractionsExceptionFactory.Create(refusal, attempts, wait, request.RequestUri, detail: LocalFailure.GateTooLong));
                }
            }
        }

        // Admit took no permit when it said Wait: one is taken here, after the gate.
        if (Limiter is not null && !await Limiter.AcquireAsync(cancellationToken).ConfigureAwait(false))
        {
            var refusal = InteractionsError.Local(InteractionsErrorCode.RateLimitExceeded, Limiter.Period);
            _telemetry.RateLimitRefused(refusal, Limiter.Period, TimeSpan.Zero);
            return (passed, InteractionsExceptionFactory.Create(refusal, attempts, Limiter.Period, request.RequestUri, detail: LocalFailure.QueueFull));
        }

        return (passed, null);
    }
}

using Microsoft.AspNetCore.Http;
using WireMock;
using WireMock.ResponseProviders;
using WireMock.Settings;

namespace Interactions.Resilience.Testing.Internal;

/// <summary>
/// The answer of the simulator's one catch-all mapping. It implements WireMock's <see cref="IResponseProvider"/>
/// rather than a <c>WithCallback</c> because transport faults need the <see cref="HttpContext"/>: WireMock's own
/// <c>FaultType</c>s still send a well-formed HTTP response, which <see cref="HttpClient"/> reads without error.
/// </summary>
internal sealed class SimulatorResponseProvider : IResponseProvider
{
    private readonly SimulatorState _state;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationToken _stopping;

    public SimulatorResponseProvider(SimulatorState state, TimeProvider timeProvider, CancellationToken stopping)
    {
        _state = state;
        _timeProvider = timeProvider;
        _stopping = stopping;
    }

    public async Task<(IResponseMessage Message, IMapping? Mapping)> ProvideResponseAsync(
        IMapping mapping, HttpContext context, IRequestMessage requestMessage, WireMockServerSettings settings)
    {
        var request = context.Request;
        var idempotencyKey = request.Headers[InteractionsHeaderNames.IdempotencyKey];

        // Only the presence of Authorization is kept, never its value; the query is not looked at, and the body
        // only for the recipient of a quota scoped to sender/recipient pairs, which is not kept either.
        var plan = _state.Decide(
            request.Method,
            request.Path.HasValue ? request.Path.Value! : "/",
            idempotencyKey.Count > 0 ? idempotencyKey[0] : null,
            request.Headers.ContainsKey("Authorization"),
            ScopeKeys.For(_state.ScopeInForce, request, requestMessage));

        if (plan.Answer == SimulatorAnswer.Reset)
        {
            // Closes the socket with a reset before a byte of the response is sent.
            context.Abort();
            return (SimulatorResponses.Nothing(), null);
        }

        if (plan.Delay > TimeSpan.Zero && !await DelayAsync(plan.Delay, context.RequestAborted).ConfigureAwait(false))
        {
            context.Abort();
            return (SimulatorResponses.Nothing(), null);
        }

        var message = SimulatorResponses.Render(plan, out var declaredContentLength);
        if (declaredContentLength is { } length)
        {
            // WireMock writes only the first half of the body; Kestrel then finds the response shorter than the
            // Content-Length declared here and closes the connection, so the client sees the body end prematurely.
            context.Response.ContentLength = length;
        }

        return (message, null);
    }

    /// <summary>Waits, unless the client gives up or the simulator stops first.</summary>
    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken requestAborted)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, _stopping);
        try
        {
            await Task.Delay(delay, _timeProvider, cancellation.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

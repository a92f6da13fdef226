using Interactions.Resilience.Testing;

namespace Interactions.Resilience.Demo.Scenarios;

/// <summary>A connection reset without any response: retried like 060002, under the same idempotency key.</summary>
internal sealed class TransportFaultScenario : IScenario
{
    public string Name => "transport-fault";

    public string Summary => "A connection reset, then success: retried with the same key.";

    public string Description =>
        "The server resets the connection once, without a response, then succeeds. A transport failure is handled like "
        + "060002: the handler retries after Retry:BaseDelay. The reset came after the request was sent, so the server may "
        + "have acted on it: the retry carries the same Idempotency-Key, and the server can tell it from a second message.";

    public async Task RunAsync(ScenarioContext context)
    {
        context.Simulator.ResetNext(1);

        context.Status("sending; the connection is reset…");
        await context.SendAsync("send", "+15550100", "Your parcel is out for delivery.");
    }

    public IEnumerable<string?> Check(ScenarioResult result) =>
    [
        Expect.Answers(result, SimulatorAnswer.Reset, SimulatorAnswer.Success),
        Expect.OneIdempotencyKey(result),
        Expect.Success(result.Call("send")),
    ];
}

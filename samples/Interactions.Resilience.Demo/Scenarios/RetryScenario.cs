using Interactions.Resilience.Testing;

namespace Interactions.Resilience.Demo.Scenarios;

/// <summary>A transient server error: the handler retries with backoff, under one idempotency key.</summary>
internal sealed class RetryScenario : IScenario
{
    public string Name => "retry";

    public string Summary => "060001 twice, then success: backoff under one Idempotency-Key.";

    public string Description =>
        "The server answers 060001 Internal Server Error twice, then succeeds. Retry policy: the handler waits "
        + "Retry:BaseDelay (200 ms), then twice that, and the app just gets its message id. 060001 means the server may "
        + "have acted, so the POST is retried only because all three attempts carry the same Idempotency-Key.";

    public async Task RunAsync(ScenarioContext context)
    {
        context.Simulator.FailNext(2, InteractionsErrorCode.InternalServerError);

        context.Status("sending; the handler retries 060001 with backoff…");
        await context.SendAsync("send", "+15550100", "Your order has shipped.");
    }

    public IEnumerable<string?> Check(ScenarioResult result) =>
    [
        Expect.Answers(result, SimulatorAnswer.Error, SimulatorAnswer.Error, SimulatorAnswer.Success),
        Expect.OneIdempotencyKey(result),
        Expect.Success(result.Call("send")),
    ];
}

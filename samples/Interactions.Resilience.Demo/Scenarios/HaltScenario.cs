
namespace Interactions.Resilience.Demo.Scenarios;

/// <summary>An account block: the client stops calling the server for HaltDuration.</summary>
internal sealed class HaltScenario : IScenario
{
    // appsettings.json sets HaltDuration to 10 s for the demo; the default is 60 s.
    private static readonly TimeSpan HaltDuration = TimeSpan.FromSeconds(10);

    public string Name => "halt";

    public string Summary => "010002: the next request fails locally, Attempts = 0.";

    public string Description =>
        "The server answers 010002 Temporarily Blocked. Halt policy: the first send fails at once, and for HaltDuration "
        + "(10 s in appsettings.json) every later request of this client fails locally with the same code and Attempts = 0, "
        + "without reaching the server. (It runs last: the halt would fail every scenario after it.)";

    public async Task RunAsync(ScenarioContext context)
    {
        context.Simulator.FailNext(1, InteractionsErrorCode.TemporarilyBlocked);

        context.Status("sending; the server blocks the account…");
        await context.SendAsync("send 1", "+15550100", "Your order has shipped.");

        context.Status("sending again while the client is halted…");
        await context.SendAsync("send 2", "+15550101", "Your order has shipped.");
    }

    public IEnumerable<string?> Check(ScenarioResult result) =>
    [
        Expect.Requests(result, 1),
        Expect.Failure<InteractionsGeneralException>(result.Call("send 1"), InteractionsErrorCode.TemporarilyBlocked, attempts: 1),
        Expect.Failure<InteractionsGeneralException>(result.Call("send 2"), InteractionsErrorCode.TemporarilyBlocked, attempts: 0),
        Expect.RetryAfter(result.Call("send 2"), HaltDuration - TimeSpan.FromSeconds(2), HaltDuration),
    ];
}

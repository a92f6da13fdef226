
namespace Interactions.Resilience.Demo.Scenarios;

/// <summary>A rate limit on one sender number pauses that sender only.</summary>
internal sealed class ScopedWaitScenario : IScenario
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    public string Name => "scoped-wait";

    public string Summary => "030003 for sender A: A waits, sender B goes through at once.";

    public string Description =>
        "Two sender numbers share one client. This scenario builds a client of its own (a separate ServiceCollection with "
        + "AddInteractionsResilience(o => …), same simulator) whose RateLimit.ScopeSelector reads the X-Sender header. The server "
        + "answers sender A's send 030003 Rate Limit Exceeded with Retry-After: 1. A's send waits out the second and is retried; "
        + "a send from sender B, started while A waits, is not held by A's pause and completes at once.";

    public async Task RunAsync(ScenarioContext context)
    {
        using var client = new ScenarioClient(
            context.Simulator.BaseAddress,
            o => o.RateLimit.ScopeSelector = r => r.Headers.TryGetValues("X-Sender", out var v) ? v.First() : null);
        var senderA = client.App(h => h.Add("X-Sender", "+15550001"));
        var senderB = client.App(h => h.Add("X-Sender", "+15550002"));
        context.Simulator.FailNext(1, InteractionsErrorCode.RateLimitExceeded, retryAfter: RetryAfter);

        context.Status("sender A meets the rate limit…");
        var sendA = context.SendWithAsync(senderA, "sender A", "+15550100", "Your order has shipped.");
        while (context.Simulator.RequestCount == 0 && context.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(5);
        }

        context.Status("sender B sends while A waits…");
        await context.SendWithAsync(senderB, "sender B", "+15550101", "Your code is 1234.");
        await sendA;
    }

    public IEnumerable<string?> Check(ScenarioResult result) =>
    [
        Expect.Requests(result, 3),
        Expect.Success(result.Call("sender A")),
        Expect.Success(result.Call("sender B")),
        Expect.TookAtLeast(result.Call("sender A"), RetryAfter - TimeSpan.FromMilliseconds(50)),
        result.Call("sender B").Took < TimeSpan.FromMilliseconds(500)
            ? null
            : $"expected 'sender B' to complete at once, not held by A's pause; it took {Format.Duration(result.Call("sender B").Took)}",
    ];
}


namespace Interactions.Resilience.Demo.Scenarios;

/// <summary>An outage: after enough failed attempts the circuit opens and requests fail locally, without reaching the server.</summary>
internal sealed class CircuitBreakerScenario : IScenario
{
    private const int Failing = 20; // CircuitBreaker.MinimumThroughput, all failed: the ratio is 1 ≥ 0.5
    private const int WhileOpen = 3;
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(5);

    public string Name => "circuit-breaker";

    public string Summary => "an outage: after 20 failures the circuit opens, requests fail locally with Attempts = 0.";

    public string Description =>
        "The server is down: every request gets 503 + 060002 Service Unavailable. This scenario builds a client of its own "
        + "(a separate ServiceCollection with AddInteractionsResilience(o => …), same simulator) with Retry.MaxRetryAttempts = 0, "
        + $"so each send is one attempt, and the circuit breaker's defaults: at least {Failing} attempts in 30 s, half of them failed, "
        + $"open the circuit for BreakDuration ({BreakDuration.TotalSeconds:0} s). The first {Failing} sends reach the server and fail; the next "
        + $"{WhileOpen} fail locally as 060002 with Attempts = 0 and RetryAfter = the break left, and the server sees nothing of them.";

    public async Task RunAsync(ScenarioContext context)
    {
        using var client = new ScenarioClient(context.Simulator.BaseAddress, o => o.Retry.MaxRetryAttempts = 0);
        var app = client.App();
        context.Simulator.Outage(TimeSpan.FromSeconds(30));

        context.Status($"{Failing} sends during the outage…");
        for (var i = 1; i <= Failing; i++)
        {
            await context.SendWithAsync(app, $"send {i}", "+15550100", "Your order has shipped.");
        }

        context.Status("sending while the circuit is open…");
        for (var i = 1; i <= WhileOpen; i++)
        {
            await context.SendWithAsync(app, $"open {i}", "+15550100", "Your order has shipped.");
        }

        context.Note($"The server saw {context.Simulator.RequestCount} requests for {Failing + WhileOpen} sends: the last {WhileOpen} never left the client.");
    }

    public IEnumerable<string?> Check(ScenarioResult result)
    {
        yield return Expect.Requests(result, Failing);
        for (var i = 1; i <= Failing; i++)
        {
            yield return Expect.Failure<InteractionsServerException>(result.Call($"send {i}"), InteractionsErrorCode.ServiceUnavailable, attempts: 1);
        }

        for (var i = 1; i <= WhileOpen; i++)
        {
            yield return Expect.Failure<InteractionsServerException>(result.Call($"open {i}"), InteractionsErrorCode.ServiceUnavailable, attempts: 0);
            yield return Expect.RetryAfter(result.Call($"open {i}"), BreakDuration - TimeSpan.FromSeconds(2), BreakDuration);
        }
    }
}

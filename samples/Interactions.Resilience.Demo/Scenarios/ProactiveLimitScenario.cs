namespace Interactions.Resilience.Demo.Scenarios;

/// <summary>A known vendor throughput, kept by the client itself: no rate-limit answer at all.</summary>
internal sealed class ProactiveLimitScenario : IScenario
{
    private const int PermitsPerSecond = 5;
    private const int Sends = 8;

    public string Name => "proactive-limit";

    public string Summary => $"RateLimit.PermitsPerSecond = {PermitsPerSecond}: {Sends} concurrent sends leave at that pace.";

    public string Description =>
        $"This scenario builds a client of its own (a separate ServiceCollection with AddInteractionsResilience(o => …), same simulator) "
        + $"with RateLimit.PermitsPerSecond = {PermitsPerSecond}. {Sends} sends start at once; the client's token bucket lets one go every "
        + $"{1000 / PermitsPerSecond} ms, so no second holds more than {PermitsPerSecond} requests and the server never needs to say 030003. "
        + "The app sees no error, only sends that took longer.";

    public async Task RunAsync(ScenarioContext context)
    {
        using var client = new ScenarioClient(context.Simulator.BaseAddress, o => o.RateLimit.PermitsPerSecond = PermitsPerSecond);
        var app = client.App();

        context.Status($"{Sends} concurrent sends, {PermitsPerSecond} a second…");
        await Task.WhenAll(Enumerable.Range(1, Sends).Select(i =>
            context.SendWithAsync(app, $"send {i}", $"+1555010{i % 10}", $"Flash sale, message {i}")));

        var requests = context.Simulator.Requests;
        var start = requests[0].ReceivedAt;
        context.Note("The server received them at " + string.Join(", ", requests.Select(r => Format.Seconds(r.ReceivedAt - start))) + ".");
    }

    public IEnumerable<string?> Check(ScenarioResult result)
    {
        yield return Expect.Requests(result, Sends);
        yield return result.RateLimitedCount == 0 ? null : $"expected no 030003; the server answered {result.RateLimitedCount}";
        foreach (var call in result.Calls)
        {
            yield return Expect.Success(call);
        }

        // No one-second window holds more than the rate (20 ms of slack for timer resolution).
        var times = result.Requests.Select(r => r.ReceivedAt).Order().ToList();
        var window = TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(20);
        var busiest = times.Max(t => times.Count(u => u >= t && u < t + window));
        yield return busiest <= PermitsPerSecond
            ? null
            : $"expected at most {PermitsPerSecond} requests in any second; one second held {busiest}";
    }
}

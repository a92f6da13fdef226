
namespace Interactions.Resilience.Demo.Scenarios;

/// <summary>A Retry-After longer than MaxWait: the handler does not block the caller; it hands the wait to the app.</summary>
internal sealed class RetryAfterBeyondMaxWaitScenario : IScenario
{
    private static readonly TimeSpan ServerRetryAfter = TimeSpan.FromSeconds(120);

    public string Name => "retry-after-beyond-maxwait";

    public string Summary => "060002 with Retry-After 120 s > MaxWait: fails fast with RetryAfter.";

    public string Description =>
        "The server answers 060002 Service Unavailable with Retry-After: 120. 060002 is retryable, but no single wait may "
        + "exceed MaxWait (10 s in appsettings.json, 60 s by default): the handler fails fast after one call and sets "
        + "RetryAfter = 2 min on the exception, so the app can schedule the send instead of blocking.";

    public async Task RunAsync(ScenarioContext context)
    {
        context.Simulator.FailNext(1, InteractionsErrorCode.ServiceUnavailable, retryAfter: ServerRetryAfter);

        context.Status("sending; the server asks for a 2-minute wait…");
        await context.SendAsync("send", "+15550100", "Your invoice is ready.");
    }

    public IEnumerable<string?> Check(ScenarioResult result) =>
    [
        Expect.Requests(result, 1),
        Expect.Failure<InteractionsServerException>(result.Call("send"), InteractionsErrorCode.ServiceUnavailable, attempts: 1),
        Expect.RetryAfter(result.Call("send"), ServerRetryAfter, ServerRetryAfter),
    ];
}

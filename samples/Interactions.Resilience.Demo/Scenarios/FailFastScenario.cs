
namespace Interactions.Resilience.Demo.Scenarios;

/// <summary>A template error: retrying cannot help, so the app gets the typed exception after one call.</summary>
internal sealed class FailFastScenario : IScenario
{
    public string Name => "fail-fast";

    public string Summary => "031006 Template Is Paused: one call, InteractionsTemplateException.";

    public string Description =>
        "The server answers 031006 Template Is Paused. FailFast policy: one call, no retry; the app catches "
        + "InteractionsTemplateException, checks the code, and holds the messages until the template is active again.";

    public async Task RunAsync(ScenarioContext context)
    {
        context.Simulator.FailNext(1, InteractionsErrorCode.TemplateIsPaused);

        context.Status("sending with a paused template…");
        await context.SendAsync("send", "+15550100", "Your appointment is tomorrow at 10:00.");
    }

    public IEnumerable<string?> Check(ScenarioResult result) =>
    [
        Expect.Requests(result, 1),
        Expect.Failure<InteractionsTemplateException>(result.Call("send"), InteractionsErrorCode.TemplateIsPaused, attempts: 1),
    ];
}

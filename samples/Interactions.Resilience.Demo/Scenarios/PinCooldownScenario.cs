using Interactions.Resilience.Testing;

namespace Interactions.Resilience.Demo.Scenarios;

/// <summary>020008: the handler waits the configured PIN cooldown and retries once.</summary>
internal sealed class PinCooldownScenario : IScenario
{
    // appsettings.json sets PinCooldown to 2 s for the demo; the default is 30 s.
    private static readonly TimeSpan PinCooldown = TimeSpan.FromSeconds(2);

    public string Name => "pin-cooldown";

    public string Summary => "020008 once: the handler waits PinCooldown and retries once.";

    public string Description =>
        "The server answers one PIN check with 020008 Two-Step PIN Guessed Too Fast, without Retry-After. Cooldown policy: "
        + "the handler waits PinCooldown (2 s in appsettings.json, 30 s by default) and retries once; the app only sees a slow success.";

    public async Task RunAsync(ScenarioContext context)
    {
        context.Simulator.FailNext(1, InteractionsErrorCode.TwoStepPinGuessedTooFast);

        context.Status($"verifying the PIN; the handler waits out the PIN cooldown ({Format.Duration(PinCooldown)})…");
        await context.VerifyPinAsync("verify PIN", "246810");
    }

    public IEnumerable<string?> Check(ScenarioResult result) =>
    [
        Expect.Answers(result, SimulatorAnswer.Error, SimulatorAnswer.Success),
        Expect.Success(result.Call("verify PIN")),
        Expect.TookAtLeast(result.Call("verify PIN"), PinCooldown),
    ];
}

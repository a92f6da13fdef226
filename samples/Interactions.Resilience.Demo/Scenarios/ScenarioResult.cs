using Interactions.Resilience.Testing;

namespace Interactions.Resilience.Demo.Scenarios;

/// <summary>What a scenario left behind: the server's side, the app's side, and the time it took.</summary>
internal sealed record ScenarioResult(
    DateTimeOffset StartedAt,
    TimeSpan Elapsed,
    IReadOnlyList<SimulatorRequest> Requests,
    int RateLimitedCount,
    IReadOnlyList<AppCall> Calls,
    IReadOnlyList<ScenarioNote> Notes,
    string? SkipReason = null)
{
    /// <summary>Gets whether the scenario could not run here (see <see cref="SkipReason"/>); a skip is not a failure.</summary>
    public bool Skipped => SkipReason is not null;

    public AppCall Call(string label) => Calls.Single(c => c.Label == label);
}

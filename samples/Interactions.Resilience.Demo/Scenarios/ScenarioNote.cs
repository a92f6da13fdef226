namespace Interactions.Resilience.Demo.Scenarios;

/// <summary>A line under a scenario's tables; a warning when the run shows something the design does not promise.</summary>
internal sealed record ScenarioNote(string Text, bool IsWarning = false);

namespace Interactions.Resilience.Demo.Scenarios;

/// <summary>One call the app made in a scenario: its label, how long it took, and how it ended.</summary>
internal sealed record AppCall(int Sequence, string Label, TimeSpan Took, AppOutcome Outcome);

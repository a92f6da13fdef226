namespace Interactions.Resilience.Benchmarks;

/// <summary>The verdicts of one run as Markdown, whether every judged budget is met, and whether the run was too short to judge by.</summary>
internal sealed record BudgetOutcome(string Markdown, bool AllMet, bool Indicative);

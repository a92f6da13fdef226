namespace Interactions.Resilience.Benchmarks.Load;

/// <summary>One budget of issue 13's "Done when", and whether the runs met it.</summary>
internal sealed record Verdict(string Budget, bool Met)
{
    public override string ToString() => $"{Budget}: **{(Met ? "met" : "NOT met")}**";
}

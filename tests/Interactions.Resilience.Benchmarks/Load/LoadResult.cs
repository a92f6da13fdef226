using System.Globalization;

namespace Interactions.Resilience.Benchmarks.Load;

/// <summary>What one load run did, as the server counted it.</summary>
internal sealed record LoadResult(string Handler, int Logical, int Requests, int RateLimited, int Completed, int Failed, TimeSpan Wall)
{
    public const string Header = "| handler | logical requests | requests sent | rate-limit answers | attempts per request | completed | failed | wall time |\n|---|---:|---:|---:|---:|---:|---:|---:|";

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"| {Handler} | {Logical} | {Requests} | {RateLimited} | {(double)Requests / Logical:F2} | {Completed} | {Failed} | {Wall.TotalSeconds:F2} s |");
}

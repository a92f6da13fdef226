using System.Globalization;

namespace Interactions.Resilience.Benchmarks.Load;

/// <summary>The summary table of the zoo and the fleet: one row per model and handler, over all rounds.</summary>
internal static class ModelTable
{
    public const string Header =
        "| model | handler | completed | failed | wall time, mean (min–max) | ideal | rate-limit answers, median | unavoidable |\n" +
        "|---|---|---:|---:|---:|---:|---:|---:|";

    public static string Row(ZooModel model, string handler, RunFigures figures) => string.Create(
        CultureInfo.InvariantCulture,
        $"| {model.Name} | {handler} | {figures.Completed} of {figures.Sends} | {figures.Failed} | {figures.Wall} | {(model.Ideal is { } ideal ? FormattableString.Invariant($"{ideal.TotalSeconds:0.0} s") : "—")} | {figures.MedianRateLimited:0} | {(model.Kind == ZooModelKind.Quota ? model.Unavoidable.ToString(CultureInfo.InvariantCulture) : "—")} |");
}

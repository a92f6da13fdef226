using System.Globalization;
using System.Text;
using BenchmarkDotNet.Reports;

namespace Interactions.Resilience.Benchmarks;

/// <summary>
/// Reads the 2xx-path and error-path rows of a BenchmarkDotNet run and states, per primary handler, whether each
/// budget.md ("Performance budgets") is met. Overhead = mean(row) − mean(bare) on the same primary and verb.
/// </summary>
internal static class BudgetVerdicts
{
    private const double GetRatioBudget = 0.20;
    private const double PostRatioBudget = 0.25;
    private const long ErrorPathAllocationBudget = 2048; // 2 KB, as BenchmarkDotNet counts them

    // Below this many measured iterations (a dry or short job) the means are too noisy to judge by.
    private const int IterationsForAVerdict = 10;

    /// <summary>The verdicts as Markdown, or <see langword="null"/> when the run has none of the rows they need.</summary>
    public static BudgetOutcome? Evaluate(IEnumerable<Summary> summaries)
    {
        var rows = summaries
            .SelectMany(static summary => summary.Reports)
            .Where(static report => report.ResultStatistics is not null)
            .Select(static report => new Row(
                report.BenchmarkCase.Descriptor.Type.Name,
                report.BenchmarkCase.Descriptor.WorkloadMethod.Name,
                report.BenchmarkCase.Job.Id,
                report.BenchmarkCase.Parameters["Primary"] is PrimaryKind primary ? primary : null,
                report.ResultStatistics!.Mean,
                report.ResultStatistics.N,
                report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase)))
            .Where(static row => row.Primary is not null)
            .ToList();

        var text = new StringBuilder();
        var allMet = true;
        var judged = 0;

        var twoXx = rows.Where(static r => r.Type == nameof(TwoXxPathBenchmarks)).ToList();
        if (twoXx.Count > 0)
        {
            text.AppendLine("2xx path — overhead = mean − mean(bare), same primary and verb; ratio = overhead(ours) / overhead(standard); budget: ratio ≤ 0.20 and 0 B of ours on GET, ratio ≤ 0.25 on POST")
                .AppendLine()
                .AppendLine("| Job | Primary | Verb | Bare | Overhead standard | Overhead ours | Ratio | Allocated ours − bare | Allocated standard − bare | Verdict |")
                .AppendLine("|-----|---------|------|-----:|------------------:|--------------:|------:|----------------------:|--------------------------:|---------|");
            foreach (var group in twoXx.GroupBy(static r => (r.Job, r.Primary)))
            {
                foreach (var verb in new[] { "Get", "Post" })
                {
                    var bare = group.SingleOrDefault(r => r.Method == $"Bare_{verb}");
                    var standard = group.SingleOrDefault(r => r.Method == $"Standard_{verb}");
                    var ours = group.SingleOrDefault(r => r.Method == $"Interactions_{verb}");
                    if (bare is null || standard is null || ours is null)
                    {
                        continue; // filtered out of this run
                    }

                    var standardOverhead = standard.MeanNs - bare.MeanNs;
                    var oursOverhead = ours.MeanNs - bare.MeanNs;
                    double? ratio = standardOverhead > 0 ? oursOverhead / standardOverhead : null; // else noise swamps the standard's cost
                    var oursAllocated = ours.Allocated - bare.Allocated;
                    var ratioBudget = verb == "Get" ? GetRatioBudget : PostRatioBudget;
                    var misses = new List<string>();
                    if (ratio is not { } r || r > ratioBudget)
                    {
                        misses.Add(string.Create(CultureInfo.InvariantCulture, $"ratio > {ratioBudget:0.00}"));
                    }

                    if (verb == "Get" && oursAllocated != 0)
                    {
                        misses.Add("allocates");
                    }

                    var met = misses.Count == 0;
                    allMet &= met;
                    judged++;

                    text.Append(CultureInfo.InvariantCulture,
                        $"| {group.Key.Job} | {group.Key.Primary} | {verb.ToUpperInvariant()} | {Ns(bare.MeanNs)} | {Ns(standardOverhead)} | {Ns(oursOverhead)} | ")
                        .Append(CultureInfo.InvariantCulture,
                        $"{(ratio is { } shown ? shown.ToString("0.00", CultureInfo.InvariantCulture) : "n/a")} | {Bytes(oursAllocated)} | {Bytes(standard.Allocated - bare.Allocated)} | ")
                        .AppendLine(met ? "met |" : $"NOT met: {string.Join(", ", misses)} |");
                }
            }

            text.AppendLine();
        }

        var errorPath = rows.Where(static r => r.Type == nameof(ErrorPathBenchmarks)).ToList();
        if (errorPath.Count > 0)
        {
            text.AppendLine("Error path (one 060001, then 200) — budget: ours no slower than the standard handler, ≤ 2 KB (2048 B) allocated")
                .AppendLine()
                .AppendLine("| Job | Primary | Standard | Ours | Ours / standard | Allocated standard | Allocated ours | Verdict |")
                .AppendLine("|-----|---------|---------:|-----:|----------------:|-------------------:|---------------:|---------|");
            foreach (var group in errorPath.GroupBy(static r => (r.Job, r.Primary)))
            {
                var standard = group.SingleOrDefault(static r => r.Method == "Standard_OneServerErrorThenOk");
                var ours = group.SingleOrDefault(static r => r.Method == "Interactions_OneServerErrorThenOk");
                if (standard is null || ours is null)
                {
                    continue;
                }

                var misses = new List<string>();
                if (ours.MeanNs > standard.MeanNs)
                {
                    misses.Add("slower");
                }

                if (ours.Allocated is not { } allocated || allocated > ErrorPathAllocationBudget)
                {
                    misses.Add("over 2 KB");
                }

                var met = misses.Count == 0;
                allMet &= met;
                judged++;
                text.Append(CultureInfo.InvariantCulture,
                        $"| {group.Key.Job} | {group.Key.Primary} | {Ns(standard.MeanNs)} | {Ns(ours.MeanNs)} | {ours.MeanNs / standard.MeanNs:0.00} | ")
                    .Append(CultureInfo.InvariantCulture, $"{Bytes(standard.Allocated)} | {Bytes(ours.Allocated)} | ")
                    .AppendLine(met ? "met |" : $"NOT met: {string.Join(", ", misses)} |");
            }

            text.AppendLine();
        }

        if (judged == 0)
        {
            return null;
        }

        var fewest = rows.Min(static r => r.Iterations);
        var indicative = fewest < IterationsForAVerdict;
        if (indicative)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"Indicative only: some rows have {fewest} measured iteration(s), fewer than {IterationsForAVerdict}; run the default job on a quiet machine for figures.").AppendLine();
        }

        return new BudgetOutcome(text.ToString(), allMet, indicative);
    }

    private static string Ns(double nanoseconds) => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds:N1} ns");

    private static string Bytes(long? bytes) => bytes is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b} B") : "n/a";

    private sealed record Row(string Type, string Method, string Job, PrimaryKind? Primary, double MeanNs, int Iterations, long? Allocated);
}

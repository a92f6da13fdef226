using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace Interactions.Resilience.Benchmarks.Load;

/// <summary>
/// The storm, both handlers, <see cref="Rounds"/> rounds: each handler first runs a warm-up storm, then the
/// rounds alternate which handler goes first (a fresh simulator and client each time). Prints every round, a
/// summary, and whether each budget of DESIGN holds; returns whether all do.
/// </summary>
/// <remarks>
/// "No slower" compares the mean wall time: a storm's wall time is not noise around one value but, for the
/// standard handler, two: about nine seconds when its uncoordinated retries happen to fill every server
/// window, and a second more for each window one of them misses. The mean is what an app waits on average;
/// the table shows the median and the range beside it.
/// </remarks>
internal static class StormComparison
{
    public const int Rounds = 5;

    private const string Patient = " (30 retries, breaker off)";

    public static async Task<bool> RunAsync(TextWriter output)
    {
        var ours = new Contender(LoadClients.Interactions, LoadClients.Ours);
        var standard = new Contender(LoadClients.Standard + Patient, static u => LoadClients.TheStandard(u, patient: true));
        await StormRun.RunAsync(ours.Name, ours.Build, StormRun.WarmUp).ConfigureAwait(false);
        await StormRun.RunAsync(standard.Name, standard.Build, StormRun.WarmUp).ConfigureAwait(false);

        output.WriteLine(LoadResult.Header);
        for (var round = 1; round <= Rounds; round++)
        {
            foreach (var contender in round % 2 == 1 ? [ours, standard] : new[] { standard, ours })
            {
                var result = await StormRun.RunAsync($"{contender.Name}, round {round}", contender.Build, StormRun.Measured).ConfigureAwait(false);
                contender.Results.Add(result);
                output.WriteLine(result);
            }
        }

        output.WriteLine();
        output.WriteLine("| handler | rounds | rate-limit answers, median | completed | failed | wall time, mean | median (min–max) |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        output.WriteLine(ours.Summary());
        output.WriteLine(standard.Summary());
        output.WriteLine();

        var limited = Median(ours.Results, r => r.RateLimited);
        var theirsLimited = Median(standard.Results, r => r.RateLimited);
        var sends = ours.Results.Sum(r => r.Logical);
        var completed = ours.Results.Sum(r => r.Completed);
        var wall = ours.Results.Average(r => r.Wall.TotalSeconds);
        var theirsWall = standard.Results.Average(r => r.Wall.TotalSeconds);
        var fewer = limited * 5 <= theirsLimited;
        var everySend = completed == sends;
        var noSlower = wall <= theirsWall;
        output.WriteLine(Verdict(FormattableString.Invariant($"rate-limit answers at most a fifth of the standard's: {limited:0} vs {theirsLimited:0} (1/{theirsLimited / Math.Max(1, limited):0.0})"), fewer));
        output.WriteLine(Verdict(FormattableString.Invariant($"ours completes every send: {completed} of {sends}"), everySend));
        output.WriteLine(Verdict(FormattableString.Invariant($"no slower: mean wall time {wall:0.00} s vs {theirsWall:0.00} s"), noSlower));
        return fewer && everySend && noSlower;
    }

    private static string Verdict(string budget, bool met) => $"- budget: {budget}: **{(met ? "met" : "NOT met")}**";

    private static double Median(List<LoadResult> results, Func<LoadResult, double> value)
    {
        var sorted = results.Select(value).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed record Contender(string Name, Func<Uri, ServiceProvider> Build)
    {
        public List<LoadResult> Results { get; } = [];

        public string Summary() => string.Create(
            CultureInfo.InvariantCulture,
            $"| {Name} | {Results.Count} | {Median(Results, r => r.RateLimited):0} | {Results.Sum(r => r.Completed)} of {Results.Sum(r => r.Logical)} | {Results.Sum(r => r.Failed)} | {Results.Average(r => r.Wall.TotalSeconds):0.00} s | {Median(Results, r => r.Wall.TotalSeconds):0.00} s ({Results.Min(r => r.Wall.TotalSeconds):0.00}–{Results.Max(r => r.Wall.TotalSeconds):0.00}) |");
    }
}

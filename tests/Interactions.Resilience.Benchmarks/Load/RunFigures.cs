namespace Interactions.Resilience.Benchmarks.Load;

/// <summary>What the rounds of one model through one handler add up to.</summary>
internal sealed class RunFigures
{
    private readonly List<LoadResult> _runs = [];

    public IReadOnlyList<LoadResult> Runs => _runs;

    public int Sends => _runs.Sum(r => r.Logical);

    public int Completed => _runs.Sum(r => r.Completed);

    public int Failed => _runs.Sum(r => r.Failed);

    public bool EverySendCompleted => _runs.Count > 0 && Completed == Sends;

    /// <summary>The mean wall time: what an app waits on average (a burst's time takes few distinct values, see the storm).</summary>
    public double MeanWall => _runs.Average(r => r.Wall.TotalSeconds);

    public double MedianRateLimited => Median(_runs.Select(r => (double)r.RateLimited));

    public void Add(LoadResult result) => _runs.Add(result);

    public string Wall => _runs.Count == 1
        ? FormattableString.Invariant($"{MeanWall:0.00} s")
        : FormattableString.Invariant($"{MeanWall:0.00} s ({_runs.Min(r => r.Wall.TotalSeconds):0.00}–{_runs.Max(r => r.Wall.TotalSeconds):0.00})");

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

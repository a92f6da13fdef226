namespace Interactions.Resilience.Benchmarks.Load;

/// <summary>
/// The verdicts of issue 13's "Done when" for one server model: ours against the quota's figures and against the
/// patient standard handler measured in the same run.
/// </summary>
internal static class ModelVerdicts
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    /// <param name="model">The model.</param>
    /// <param name="ours">Our runs on it.</param>
    /// <param name="standard">The standard handler's runs on <see cref="ZooModel.StandardComparedOn"/>, for the fifth; for sporadic limits and no limit, on this model.</param>
    /// <param name="standardSameModel">The standard handler's runs on this very model, for "no slower".</param>
    /// <summary>
    /// What "no slower" forgives: a burst that takes 20 ms on loopback moves by a few milliseconds from round to round
    /// (thread-pool wake-ups, the GC), for either handler.
    /// </summary>
    public static readonly TimeSpan NoSlowerMargin = TimeSpan.FromMilliseconds(10);

    public static IReadOnlyList<Verdict> For(ZooModel model, RunFigures ours, RunFigures? standard, RunFigures? standardSameModel)
    {
        var verdicts = new List<Verdict>
        {
            new(FormattableString.Invariant($"every send completes ({ours.Completed} of {ours.Sends})"), ours.EverySendCompleted),
        };

        switch (model.Kind)
        {
            case ZooModelKind.Quota:
                var ideal = model.Ideal!.Value.TotalSeconds;
                verdicts.Add(new(
                    FormattableString.Invariant($"ends within one window of the ideal (mean {ours.MeanWall:0.00} s ≤ {ideal:0.0} + {Window.TotalSeconds:0} s)"),
                    ours.MeanWall <= ideal + Window.TotalSeconds));
                verdicts.Add(new(
                    FormattableString.Invariant($"rate-limit answers ≤ 2× the unavoidable (median {ours.MedianRateLimited:0} ≤ 2 × {model.Unavoidable})"),
                    ours.MedianRateLimited <= 2 * model.Unavoidable));
                if (standard is not null)
                {
                    verdicts.Add(new(
                        FormattableString.Invariant($"rate-limit answers ≤ 1/5 of the standard's ({ours.MedianRateLimited:0} vs {standard.MedianRateLimited:0} on {model.StandardComparedOn})"),
                        ours.MedianRateLimited * 5 <= standard.MedianRateLimited));
                }

                break;

            case ZooModelKind.Sporadic when standardSameModel is not null:
                verdicts.Add(new(
                    FormattableString.Invariant($"no slower than the standard, within {NoSlowerMargin.TotalMilliseconds:0} ms (mean {ours.MeanWall:0.000} s vs {standardSameModel.MeanWall:0.000} s)"),
                    ours.MeanWall <= standardSameModel.MeanWall + NoSlowerMargin.TotalSeconds));
                break;
        }

        return verdicts;
    }
}

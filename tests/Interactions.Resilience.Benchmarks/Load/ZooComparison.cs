using System.Globalization;

namespace Interactions.Resilience.Benchmarks.Load;

/// <summary>
/// <c>zoo</c>: the same burst (<see cref="ZooWork"/>) against every server model, through ours and through the patient
/// standard handler, side by side in one run: each handler first runs the storm's warm-up, then R rounds, each
/// running every model through both handlers, alternating which goes first. Prints every run, a summary per model
/// and the verdicts of issue 13; returns whether all are met.
/// </summary>
internal static class ZooComparison
{
    public static async Task<bool> RunAsync(TextWriter output, LoadOptions options, IReadOnlyList<ZooModel> models)
    {
        var ours = Contender.Ours;
        var standard = Contender.PatientStandard;
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"zoo: {ZooWork.Senders} senders x {ZooWork.SendsPerSender} sends = {ZooWork.Sends} per run; {models.Count} models; {options.Rounds} round(s), alternating which handler goes first; each run bounded by {ZooWork.Deadline.TotalSeconds:0} s"));
        await StormRun.RunAsync(ours.Name, ours.Build, StormRun.WarmUp).ConfigureAwait(false);
        await StormRun.RunAsync(standard.Name, standard.Build, StormRun.WarmUp).ConfigureAwait(false);

        var figures = new Dictionary<(string Model, Contender Contender), RunFigures>();
        output.WriteLine();
        output.WriteLine("| round | model | handler | completed | failed | requests sent | rate-limit answers | wall time |");
        output.WriteLine("|---:|---|---|---:|---:|---:|---:|---:|");
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var model in models)
            {
                foreach (var contender in round % 2 == 1 ? [ours, standard] : new[] { standard, ours })
                {
                    var result = await ModelRun.RunAsync(model, contender, instances: 1, contender.Name).ConfigureAwait(false);
                    FiguresOf(figures, model.Name, contender).Add(result);
                    output.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"| {round} | {model.Name} | {contender.Name} | {result.Completed} | {result.Failed} | {result.Requests} | {result.RateLimited} | {result.Wall.TotalSeconds:0.00} s |"));
                }
            }
        }

        output.WriteLine();
        output.WriteLine(ModelTable.Header);
        foreach (var model in models)
        {
            output.WriteLine(ModelTable.Row(model, ours.Name, figures[(model.Name, ours)]));
            output.WriteLine(ModelTable.Row(model, standard.Name, figures[(model.Name, standard)]));
        }

        output.WriteLine();
        var allMet = true;
        foreach (var model in models)
        {
            figures.TryGetValue((model.StandardComparedOn, standard), out var standardOnComparison);
            var verdicts = ModelVerdicts.For(model, figures[(model.Name, ours)], standardOnComparison, figures[(model.Name, standard)]);
            output.WriteLine($"- **{model.Name}** ({model.Description}):");
            if (model.Kind == ZooModelKind.Quota && standardOnComparison is null)
            {
                output.WriteLine($"  - (the fifth needs the standard's figures on {model.StandardComparedOn}: add it to --models)");
            }

            foreach (var verdict in verdicts)
            {
                output.WriteLine($"  - {verdict}");
                allMet &= verdict.Met;
            }
        }

        return allMet;
    }

    private static RunFigures FiguresOf(Dictionary<(string, Contender), RunFigures> figures, string model, Contender contender)
    {
        if (!figures.TryGetValue((model, contender), out var found))
        {
            figures[(model, contender)] = found = new RunFigures();
        }

        return found;
    }
}

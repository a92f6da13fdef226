using System.Globalization;

namespace Interactions.Resilience.Benchmarks.Load;

/// <summary>
/// <c>fleet</c>: K instances of one app (separate service providers, each with its own client) share one quota on one
/// simulator and split the zoo's burst between them (sender <c>i</c> sends through instance <c>i mod K</c>). Per model
/// and round, alternating the order: ours as one instance (the single-instance figures), ours ×K without
/// coordination, ours ×K with <c>WithRedisCoordination</c> on a real redis-server this mode starts, and the patient
/// standard handler ×K. Verdicts: the fleet with Redis meets the single-instance budgets against the combined work;
/// without Redis it is no slower than the standard fleet.
/// </summary>
internal static class FleetComparison
{
    /// <summary>The models a fleet runs when the command line names none: a fixed window and a quota raised mid-run.</summary>
    public static IReadOnlyList<ZooModel> DefaultModels { get; } = [.. ZooWork.Models.Where(m => m.Name is "fixed-429" or "raised-4x")];

    public static async Task<bool> RunAsync(TextWriter output, LoadOptions options, IReadOnlyList<ZooModel> models)
    {
        var k = options.Instances;
        var single = Contender.Ours with { Name = LoadClients.Interactions + " ×1" };
        var alone = Contender.Ours with { Name = LoadClients.Interactions + $" ×{k}, no Redis" };
        var standard = Contender.PatientStandard with { Name = Contender.PatientStandard.Name + $" ×{k}" };

        using var redis = RedisProcess.Binary is { } binary ? await RedisProcess.StartAsync(binary).ConfigureAwait(false) : null;
        var coordinated = redis is null
            ? null
            : new Contender(LoadClients.Interactions + $" ×{k} + WithRedisCoordination", u => LoadClients.OursWithRedis(u, redis.ConnectionString));

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"fleet: {k} instances share one quota; {ZooWork.Senders} senders x {ZooWork.SendsPerSender} sends = {ZooWork.Sends} per run in all; models {string.Join(", ", models.Select(m => m.Name))}; {options.Rounds} round(s), alternating the order; each run bounded by {ZooWork.Deadline.TotalSeconds:0} s"));
        output.WriteLine(redis is null
            ? $"redis-server is not on PATH, so the coordinated fleet is skipped: {RedisProcess.InstallHint}"
            : $"redis-server {redis.Port} on loopback, started by this run");

        Contender[] contenders = coordinated is null ? [single, alone, standard] : [single, alone, coordinated, standard];
        var warmUp = new[] { Contender.Ours, Contender.PatientStandard };
        foreach (var contender in coordinated is null ? warmUp : [.. warmUp, coordinated])
        {
            await StormRun.RunAsync(contender.Name, contender.Build, StormRun.WarmUp).ConfigureAwait(false);
        }

        var figures = contenders.ToDictionary(c => c, _ => models.ToDictionary(m => m.Name, _ => new RunFigures()));
        output.WriteLine();
        output.WriteLine("| round | model | handler | completed | failed | requests sent | rate-limit answers | wall time |");
        output.WriteLine("|---:|---|---|---:|---:|---:|---:|---:|");
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var model in models)
            {
                foreach (var contender in round % 2 == 1 ? contenders : contenders.Reverse())
                {
                    var instances = contender == single ? 1 : k;
                    var result = await ModelRun.RunAsync(model, contender, instances, contender.Name).ConfigureAwait(false);
                    figures[contender][model.Name].Add(result);
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
            foreach (var contender in contenders)
            {
                output.WriteLine(ModelTable.Row(model, contender.Name, figures[contender][model.Name]));
            }
        }

        output.WriteLine();
        var allMet = true;
        foreach (var model in models)
        {
            var theStandard = figures[standard][model.Name];
            output.WriteLine($"- **{model.Name}** ({model.Description}):");
            if (coordinated is not null)
            {
                output.WriteLine($"  - {coordinated.Name}, against the single-instance budgets:");
                foreach (var verdict in ModelVerdicts.For(model, figures[coordinated][model.Name], theStandard, theStandard))
                {
                    output.WriteLine($"    - {verdict}");
                    allMet &= verdict.Met;
                }
            }

            var uncoordinated = figures[alone][model.Name];
            var noSlower = new Verdict(
                FormattableString.Invariant($"no slower than the standard ×{k} (mean {uncoordinated.MeanWall:0.00} s vs {theStandard.MeanWall:0.00} s)"),
                uncoordinated.MeanWall <= theStandard.MeanWall);
            var everySend = new Verdict(FormattableString.Invariant($"every send completes ({uncoordinated.Completed} of {uncoordinated.Sends})"), uncoordinated.EverySendCompleted);
            output.WriteLine($"  - {alone.Name}:");
            output.WriteLine($"    - {everySend}");
            output.WriteLine($"    - {noSlower}");
            allMet &= everySend.Met && noSlower.Met;
        }

        return allMet;
    }
}

namespace Interactions.Resilience.Benchmarks.Load;

/// <summary>
/// The load modes: real HTTP on loopback, both handlers in one run, printed as markdown tables. <c>storm</c> and
/// <c>outage</c> take no options; <c>zoo</c>, <c>fleet</c> and <c>soak</c> take <see cref="LoadOptions"/>.
/// </summary>
internal static class LoadMode
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal) { "storm", "outage", "zoo", "fleet", "soak" };

    public static async Task<int> RunAsync(string mode, string[] args)
    {
        if (mode is "storm" or "outage" && args.Length > 0)
        {
            Console.Error.WriteLine($"{mode} takes no options");
            return 2;
        }

        var options = LoadOptions.Parse(args, Console.Error);
        if (options is null)
        {
            return 2;
        }

        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        switch (mode)
        {
            case "storm":
                Console.WriteLine($"storm: 50 senders x 4 sends, server accepts 20/s, the rest 429 + 030003 + Retry-After; each handler warmed up by a short storm first; {StormComparison.Rounds} rounds, alternating which handler goes first");
                return await StormComparison.RunAsync(Console.Out).ConfigureAwait(false) ? 0 : 1;
            case "outage":
                Console.WriteLine("outage: 060002 (503) for 10 s, then recovery; 100 callers, one send every 200 ms each, for 12 s");
                Console.WriteLine(LoadResult.Header);
                Console.WriteLine(await OutageRun.RunAsync(LoadClients.Interactions, LoadClients.Ours).ConfigureAwait(false));
                Console.WriteLine(await OutageRun.RunAsync(LoadClients.Standard + " (defaults)", u => LoadClients.TheStandard(u, patient: false)).ConfigureAwait(false));
                return 0;
            case "zoo":
                return options.Select([.. ZooWork.Models, .. ZooWork.Extra], ZooWork.Models, Console.Error) is { } zooModels
                    ? await ZooComparison.RunAsync(Console.Out, options, zooModels).ConfigureAwait(false) ? 0 : 1
                    : 2;
            case "fleet":
                return options.Select([.. ZooWork.Models, .. ZooWork.Extra], FleetComparison.DefaultModels, Console.Error) is { } fleetModels
                    ? await FleetComparison.RunAsync(Console.Out, options, fleetModels).ConfigureAwait(false) ? 0 : 1
                    : 2;
            default:
                return await SoakComparison.RunAsync(Console.Out, options).ConfigureAwait(false) ? 0 : 1;
        }
    }
}

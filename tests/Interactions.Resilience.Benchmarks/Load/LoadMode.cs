namespace Interactions.Resilience.Benchmarks.Load;

/// <summary>
/// <c>storm</c> and <c>outage</c>: real HTTP on loopback, both handlers in one run, printed as markdown tables.
/// </summary>
internal static class LoadMode
{
    public static async Task<int> RunAsync(string mode)
    {
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
            default:
                Console.Error.WriteLine($"unknown load mode '{mode}': use storm or outage");
                return 2;
        }
    }
}

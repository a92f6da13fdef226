using BenchmarkDotNet.Running;
using Interactions.Resilience.Benchmarks.Load;

namespace Interactions.Resilience.Benchmarks;

internal static class Program
{
    // The load modes (storm, outage, zoo, fleet, soak) run the comparisons on real HTTP; anything else goes to BenchmarkDotNet.
    private static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && LoadMode.Names.Contains(args[0]))
        {
            return await LoadMode.RunAsync(args[0], args[1..]).ConfigureAwait(false);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}

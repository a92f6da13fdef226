using BenchmarkDotNet.Running;
using Interactions.Resilience.Benchmarks.Load;

namespace Interactions.Resilience.Benchmarks;

internal static class Program
{
    // `storm` and `outage` run the load comparisons; anything else goes to BenchmarkDotNet.
    private static async Task<int> Main(string[] args)
    {
        if (args is ["storm" or "outage"])
        {
            return await LoadMode.RunAsync(args[0]).ConfigureAwait(false);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}

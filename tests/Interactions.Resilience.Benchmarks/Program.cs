using BenchmarkDotNet.Running;
using Interactions.Resilience.Benchmarks.Load;

namespace Interactions.Resilience.Benchmarks;

internal static class Program
{
    private const string VerdictsFileName = "budget-verdicts.md";

    // The load modes (storm, outage, zoo, fleet, soak) run the comparisons on real HTTP; anything else goes to BenchmarkDotNet.
    private static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && LoadMode.Names.Contains(args[0]))
        {
            return await LoadMode.RunAsync(args[0], args[1..]).ConfigureAwait(false);
        }

        if (args is ["alloc"])
        {
            return await AllocationCount.RunAsync(Console.Out).ConfigureAwait(false);
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args).ToList();

        // The 2xx-path and error-path budgets, judged from this run's rows; other classes have none to judge.
        var outcome = BudgetVerdicts.Evaluate(summaries);
        if (outcome is null)
        {
            return 0;
        }

        Console.WriteLine();
        Console.WriteLine("// * Budget verdicts (README, \"Performance\") *");
        Console.WriteLine(outcome.Markdown);
        var file = Path.Combine(summaries[0].ResultsDirectoryPath, VerdictsFileName);
        await File.WriteAllTextAsync(file, outcome.Markdown).ConfigureAwait(false);
        Console.WriteLine($"Verdicts written to {file}");

        // As `storm` does: a budget not met fails the run, unless the run was too short for its means to count.
        return outcome.AllMet || outcome.Indicative ? 0 : 1;
    }
}

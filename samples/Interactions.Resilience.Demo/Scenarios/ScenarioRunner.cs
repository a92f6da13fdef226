using System.Diagnostics;
using Interactions.Resilience.Testing;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Interactions.Resilience.Demo.Scenarios;

/// <summary>Runs scenarios one after another against one simulator and one app, and reports each.</summary>
internal sealed class ScenarioRunner(InteractionsSimulator simulator, IServiceProvider services)
{
    /// <returns><see cref="ExitCodes.Success"/> when every scenario ended as described.</returns>
    public async Task<int> RunAsync(IReadOnlyList<IScenario> scenarios, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        await AnsiConsole.Status().StartAsync("warming up…", _ => WarmUpAsync(cancellationToken));

        var reports = new List<ScenarioReport>();
        foreach (var scenario in scenarios)
        {
            ScenarioReport.WriteHeading(scenario);

            // Each scenario starts from a quiet server. The client's own state (a halt, a rate-limit pace) carries
            // over from one scenario to the next, as it would in a real app.
            simulator.Reset();
            var app = services.GetRequiredService<Notifications>();

            var result = await AnsiConsole.Status()
                .Spinner(Spinner.Known.Dots)
                .StartAsync(Markup.Escape(scenario.Name), async status =>
                {
                    var context = new ScenarioContext(simulator, app, status, cancellationToken);
                    await scenario.RunAsync(context);
                    return context.ToResult();
                });

            var report = new ScenarioReport(scenario, result, result.Skipped ? [] : [.. scenario.Check(result).OfType<string>()]);
            report.Write();
            reports.Add(report);
        }

        if (reports.Count > 1)
        {
            ScenarioReport.WriteSummary(reports, total.Elapsed);
        }

        return reports.All(r => r.AsDescribed) ? ExitCodes.Success : ExitCodes.ScenarioMismatch;
    }

    /// <summary>
    /// One request through the app's own client before the first scenario, so that its timings show the handler
    /// rather than the JIT and the first connection.
    /// </summary>
    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        await services.GetRequiredService<MessagesClient>().SendAsync("+15550199", "warm-up", cancellationToken);
        simulator.Reset();
    }
}

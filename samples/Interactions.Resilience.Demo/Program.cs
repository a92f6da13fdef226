using Interactions.Resilience.Demo;
using Interactions.Resilience.Demo.Commands;
using Interactions.Resilience.Demo.Scenarios;
using Interactions.Resilience.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

return args switch
{
    [] or ["run"] => await RunAsync(ScenarioCatalog.Default),
    ["run", .. var names] => ScenarioCatalog.TryFind(names, out var chosen, out var unknown)
        ? await RunAsync(chosen)
        : Cli.UsageError($"unknown scenario '{unknown}'. Scenarios: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))}."),
    ["list"] => ListCommand.Execute(),
    ["explain", var code] => ExplainCommand.Execute(code),
    ["explain", ..] => Cli.UsageError("explain takes one code, for example: explain 031002"),
    ["troubleshoot"] => TroubleshootCommand.Execute(),
    ["--help" or "-h" or "help"] => HelpCommand.Execute(),
    _ => Cli.UsageError($"unknown command '{string.Join(' ', args)}'."),
};

// The scenarios run against the same registration a production app has; only the base address points at the
// in-process simulator instead of the vendor.
static async Task<int> RunAsync(IReadOnlyList<IScenario> scenarios)
{
    await using var simulator = InteractionsSimulator.Start();
    using var metrics = new MetricsSummary(); // listens before the client (and its meter) exists

    HostApplicationBuilder builder;
    try
    {
        // appsettings.json is copied next to the binary; `dotnet run` may start from any folder.
        builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
    }
    catch (InvalidDataException ex) // appsettings.json is not valid JSON
    {
        Cli.Error($"invalid settings: {ex.Message} {ex.InnerException?.Message}".TrimEnd());
        return ExitCodes.InvalidSettings;
    }

    builder.Services.AddHttpClient<MessagesClient>(c => c.BaseAddress = simulator.BaseAddress)
        .AddInteractionsResilience(builder.Configuration.GetSection("Interactions:Resilience"));
    builder.Services.AddTransient<Notifications>();

    using var host = builder.Build();
    try
    {
        // What StartAsync checks first (ValidateOnStart), here, so that a bad setting is reported by us in one line
        // rather than logged by the host with a stack trace.
        host.Services.GetRequiredService<IStartupValidator>().Validate();
    }
    catch (Exception ex) when (SettingsFailures.Of(ex) is { Count: > 0 } failures)
    {
        foreach (var failure in failures)
        {
            Cli.Error($"invalid setting: {failure}"); // one line each: the setting and what is wrong with it
        }

        return ExitCodes.InvalidSettings;
    }

    await host.StartAsync();
    var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping; // Ctrl+C

    try
    {
        var exitCode = await new ScenarioRunner(simulator, host.Services).RunAsync(scenarios, stopping);
        metrics.Print();
        return exitCode;
    }
    catch (OperationCanceledException) when (stopping.IsCancellationRequested)
    {
        Cli.Error("cancelled.");
        return ExitCodes.Cancelled;
    }
    finally
    {
        await host.StopAsync();
    }
}

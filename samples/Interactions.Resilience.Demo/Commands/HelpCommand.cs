using Interactions.Resilience.Demo.Scenarios;
using Spectre.Console;

namespace Interactions.Resilience.Demo.Commands;

/// <summary><c>--help</c>: the commands, the scenarios and the exit codes.</summary>
internal static class HelpCommand
{
    public static int Execute()
    {
        AnsiConsole.MarkupLine("[bold]Interactions.Resilience demo[/]: the resilience handler against an in-process simulator of the Interactions API.");
        AnsiConsole.WriteLine();
        AnsiConsole.MarkupLine("[bold]Usage[/]: dotnet run --project samples/Interactions.Resilience.Demo -- [[command]]");
        AnsiConsole.WriteLine();

        var commands = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(4)).AddColumn();
        commands.AddRow("(none)", "Run every scenario.");
        commands.AddRow("run <scenario>...", "Run the named scenarios, in the order given.");
        commands.AddRow("list", "The catalog: each code's category, title and policy.");
        commands.AddRow("explain <code>", "One code: the vendor's message, the policy, and what the app should do. Example: explain 031002; a Meta code the vendor relays: explain 130429");
        commands.AddRow("troubleshoot", "The vendor's set-up note (Energy Saver) and what to check when an answer surprises.");
        commands.AddRow("--help, -h", "This text.");
        AnsiConsole.Write(commands);
        AnsiConsole.WriteLine();

        AnsiConsole.MarkupLine("[bold]Scenarios[/]");
        var scenarios = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(4)).AddColumn();
        foreach (var scenario in ScenarioCatalog.All)
        {
            scenarios.AddRow(new Text(scenario.Name), new Text(scenario.Summary));
        }

        AnsiConsole.Write(scenarios);
        AnsiConsole.WriteLine();

        AnsiConsole.MarkupLine("[bold]Exit codes[/]: 0 success; 1 a scenario did not end as described; 2 unknown command, scenario or code; 3 invalid settings.");
        AnsiConsole.MarkupLine("[bold]Settings[/]: appsettings.json, section Interactions:Resilience (copied next to the binary).");
        return ExitCodes.Success;
    }
}

using Spectre.Console;

namespace Interactions.Resilience.Demo.Commands;

/// <summary><c>list</c>: the vendor's catalog, straight from <see cref="InteractionsErrorCatalog.All"/>.</summary>
internal static class ListCommand
{
    public static int Execute()
    {
        var table = new Table()
            .Title($"The Interactions error catalog: {InteractionsErrorCatalog.All.Count} codes")
            .AddColumn("code")
            .AddColumn("category")
            .AddColumn("title")
            .AddColumn("policy");

        InteractionsErrorCategory? previous = null;
        foreach (var entry in InteractionsErrorCatalog.All)
        {
            if (previous is not null && previous != entry.Category)
            {
                table.AddEmptyRow();
            }

            previous = entry.Category;
            table.AddRow(
                new Text(entry.FormattedCode),
                new Text(entry.Category.ToString()),
                new Text(entry.Title),
                PolicyStyle.Render(entry.DefaultPolicy));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[grey]Policies are the defaults; appsettings.json can override any code under Interactions:Resilience:Policies.[/]");
        AnsiConsole.MarkupLine("[grey]Run [bold]explain <code>[/] for a code's message and what to do about it.[/]");
        return ExitCodes.Success;
    }
}

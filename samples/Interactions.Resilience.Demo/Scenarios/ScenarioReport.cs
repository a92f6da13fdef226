using System.Globalization;
using Interactions.Resilience.Testing;
using Spectre.Console;

namespace Interactions.Resilience.Demo.Scenarios;

/// <summary>A scenario's result as tables: what the server saw, what the app got, and whether that is what was described.</summary>
internal sealed record ScenarioReport(IScenario Scenario, ScenarioResult Result, IReadOnlyList<string> Mismatches)
{
    public bool AsDescribed => Mismatches.Count == 0;

    public static void WriteHeading(IScenario scenario)
    {
        AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(scenario.Name)}[/]").LeftJustified());
        AnsiConsole.WriteLine(scenario.Description);
        AnsiConsole.WriteLine();
    }

    public static void WriteSummary(IReadOnlyList<ScenarioReport> reports, TimeSpan total)
    {
        var table = new Table()
            .Title("summary")
            .AddColumn(new TableColumn("scenario").NoWrap())
            .AddColumn(new TableColumn("requests").RightAligned())
            .AddColumn("the app got")
            .AddColumn(new TableColumn("time").RightAligned())
            .AddColumn("result");

        foreach (var report in reports)
        {
            var outcomes = report.Result.Calls
                .GroupBy(c => c.Outcome.Error is { } e ? $"{e.FormattedCode} {e.Title}" : "success")
                .Select(g => g.Count() == 1 ? g.Key : $"{g.Count()} × {g.Key}");
            table.AddRow(
                new Text(report.Scenario.Name),
                new Text(report.Result.Requests.Count.ToString(CultureInfo.InvariantCulture)),
                new Text(string.Join(", ", outcomes)),
                new Text(Format.Duration(report.Result.Elapsed)),
                report.Result.Skipped ? new Markup("[yellow]skipped[/]")
                    : report.AsDescribed ? new Markup("[green]as described[/]") : new Markup("[red]NOT as described[/]"));
        }

        table.AddEmptyRow();
        table.AddRow(new Markup("[bold]total[/]"), new Text(string.Empty), new Text("including start-up and warm-up"), new Text(Format.Duration(total)), new Text(string.Empty));
        AnsiConsole.Write(table);
    }

    public void Write()
    {
        if (Result.SkipReason is { } reason)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]skipped:[/] {reason}");
            AnsiConsole.WriteLine();
            return;
        }

        AnsiConsole.Write(ServerTable());
        AnsiConsole.Write(AppTable());

        // What the app's catch blocks decided, for the calls that failed.
        foreach (var call in Result.Calls.Where(c => !c.Outcome.Succeeded))
        {
            AnsiConsole.MarkupLineInterpolated($"[bold]{call.Label}[/] → the app: {call.Outcome.Decision}");
        }

        foreach (var note in Result.Notes)
        {
            var style = note.IsWarning ? "yellow" : "grey";
            AnsiConsole.MarkupLine($"[{style}]{Markup.Escape(note.Text)}[/]");
        }

        if (AsDescribed)
        {
            AnsiConsole.MarkupLineInterpolated($"[green]as described[/] [grey]in {Format.Duration(Result.Elapsed)}[/]");
        }

        foreach (var mismatch in Mismatches)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]not as described:[/] {mismatch}");
        }

        AnsiConsole.WriteLine();
    }

    private Table ServerTable()
    {
        var table = new Table()
            .Title("what the server saw")
            .AddColumn(new TableColumn("#").RightAligned())
            .AddColumn(new TableColumn("at").RightAligned().NoWrap())
            .AddColumn(new TableColumn("request").NoWrap())
            .AddColumn("status")
            .AddColumn("code")
            .AddColumn(new TableColumn("idempotency key").NoWrap());

        var number = 0;
        foreach (var request in Result.Requests)
        {
            table.AddRow(
                new Text((++number).ToString(CultureInfo.InvariantCulture)),
                new Text(Format.Seconds(request.ReceivedAt - Result.StartedAt)),
                new Text($"{request.Method} {request.Path}"),
                Status(request),
                new Text(request.ErrorCode is { } code ? $"{InteractionsErrorCatalog.Format(code)} {Title(code)}" : "-"),
                new Text(Format.Key(request.IdempotencyKey)));
        }

        if (number == 0)
        {
            table.AddRow(new Text(string.Empty), new Text(string.Empty), new Markup("[grey](nothing)[/]"), new Text(string.Empty), new Text(string.Empty), new Text(string.Empty));
        }

        return table;
    }

    private Table AppTable()
    {
        var table = new Table()
            .Title("what the app got")
            .AddColumn(new TableColumn("call").NoWrap())
            .AddColumn(new TableColumn("took").RightAligned().NoWrap())
            .AddColumn("result")
            .AddColumn(new TableColumn("attempts").RightAligned())
            .AddColumn(new TableColumn("RetryAfter").NoWrap());

        foreach (var call in Result.Calls)
        {
            var error = call.Outcome.Error;
            table.AddRow(
                new Text(call.Label),
                new Text(Format.Duration(call.Took)),
                error is null
                    ? new Markup($"[green]{Markup.Escape(call.Outcome.Result ?? "ok")}[/]")
                    : new Markup($"[red]{error.GetType().Name}[/]\n{error.FormattedCode} {Markup.Escape(error.Title)}"),
                new Text(error is null ? "-" : error.Attempts.ToString(CultureInfo.InvariantCulture)),
                new Text(error?.RetryAfter is { } wait ? Format.Duration(wait) : "-"));
        }

        return table;
    }

    private static Markup Status(SimulatorRequest request) => request.StatusCode switch
    {
        null => new Markup($"[red]{request.Answer.ToString().ToLowerInvariant()}[/]"), // no response at all
        < 400 and var ok => new Markup($"[green]{ok}[/]"),
        var failed => new Markup($"[red]{failed}[/]"),
    };

    private static string Title(InteractionsErrorCode code)
        => InteractionsErrorCatalog.Contains(code) ? InteractionsErrorCatalog.Get(code).Title : "(not in the catalog)";
}

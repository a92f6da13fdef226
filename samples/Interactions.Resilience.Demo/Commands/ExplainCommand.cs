using System.Globalization;
using Spectre.Console;

namespace Interactions.Resilience.Demo.Commands;

/// <summary><c>explain 031002</c>: one code's vendor text, its policy, and what the app should do; a Meta code goes to <see cref="ExplainMetaCommand"/>.</summary>
internal static class ExplainCommand
{
    public static int Execute(string text)
    {
        if (!InteractionsErrorCatalog.TryParse(text, out var code))
        {
            // Not the vendor's: a number may be one of Meta's codes, which the vendor relays (130429, 131047, 10, …).
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var metaCode)
                ? ExplainMetaCommand.Execute(metaCode)
                : Cli.UsageError($"'{text}' is not a code of the Interactions catalog nor of Meta's. Codes are six digits, such as 031002, or Meta's numbers, such as 130429; 'list' shows all {InteractionsErrorCatalog.All.Count}.");
        }

        var entry = InteractionsErrorCatalog.Get(code);
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow(new Markup("[bold]code[/]"), new Text($"{entry.FormattedCode} ({code}, {(int)code} as a number)"));
        grid.AddRow(new Markup("[bold]title[/]"), new Text(entry.Title));
        grid.AddRow(new Markup("[bold]message[/]"), new Text(entry.Message));
        grid.AddRow(new Markup("[bold]category[/]"), new Text($"{entry.Category}: the app catches {ExceptionTypeName(entry)}"));
        grid.AddRow(new Markup("[bold]policy[/]"), PolicyStyle.Render(entry.DefaultPolicy));
        grid.AddRow(new Markup("[bold]the handler[/]"), new Text(PolicyAdvice.HandlerDoes(entry)));
        grid.AddRow(new Markup("[bold]the app should[/]"), new Text(PolicyAdvice.AppShould(entry)));

        AnsiConsole.Write(new Panel(grid).Header($" {entry.FormattedCode} {entry.Title} ").Expand());

        // The vendor's document opens with this note; support staff reading a code should see it too.
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(VendorSetupNote.Title)}[/] (the vendor's note): {Markup.Escape(VendorSetupNote.Text)} [dim]More: troubleshoot[/]");
        return ExitCodes.Success;
    }

    internal static string ExceptionTypeName(InteractionsErrorInfo entry)
        => entry.Code == InteractionsErrorCode.RateLimitExceeded
            ? nameof(InteractionsRateLimitException)
            : entry.Category switch
            {
                InteractionsErrorCategory.General => nameof(InteractionsGeneralException),
                InteractionsErrorCategory.Authentication => nameof(InteractionsAuthenticationException),
                InteractionsErrorCategory.Api => nameof(InteractionsApiException),
                InteractionsErrorCategory.Template => nameof(InteractionsTemplateException),
                InteractionsErrorCategory.Media => nameof(InteractionsMediaException),
                InteractionsErrorCategory.Permissions => nameof(InteractionsPermissionException),
                InteractionsErrorCategory.Vendor => nameof(InteractionsVendorException),
                InteractionsErrorCategory.Server => nameof(InteractionsServerException),
                InteractionsErrorCategory.Payment => nameof(InteractionsPaymentException),
                _ => nameof(InteractionsUnknownException),
            };
}

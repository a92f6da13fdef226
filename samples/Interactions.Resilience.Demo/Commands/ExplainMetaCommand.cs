using System.Globalization;
using System.Net;
using System.Text;
using Spectre.Console;

namespace Interactions.Resilience.Demo.Commands;

/// <summary>
/// <c>explain 130429</c>: a Meta WhatsApp Cloud API code that the vendor's gateway relays, the catalog code the
/// handler maps it to, and what then happens. The mapping is the library's own: a Meta body is classified here.
/// </summary>
internal static class ExplainMetaCommand
{
    private const int PairRateLimit = 131056;

    public static int Execute(int metaCode)
    {
        var error = Classify(metaCode, HttpStatusCode.BadRequest);
        var entry = error.Info;
        var mapped = entry.Code != InteractionsErrorCode.UnknownError;

        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow(new Markup("[bold]Meta code[/]"), new Text($"{metaCode.ToString(CultureInfo.InvariantCulture)}, in Meta's body relayed by the vendor; kept as the exception's RawCode ({error.RawCode})"));
        grid.AddRow(new Markup("[bold]maps to[/]"), new Text(mapped
            ? $"{entry.FormattedCode} {entry.Title}"
            : $"{entry.FormattedCode} {entry.Title}: the table of Meta's codes (docs/meta-errors.md) does not list it"));
        grid.AddRow(new Markup("[bold]category[/]"), new Text($"{entry.Category}: the app catches {ExplainCommand.ExceptionTypeName(entry)}"));
        if (mapped)
        {
            grid.AddRow(new Markup("[bold]policy[/]"), PolicyStyle.Render(entry.DefaultPolicy));
            grid.AddRow(new Markup("[bold]the handler[/]"), new Text(metaCode == PairRateLimit
                ? "Waits Retry-After (or RateLimit:DefaultDelay) and retries, up to RateLimit:MaxRetryAttempts. Meta's pair rate limit concerns one recipient: the pause is scoped to the request's 'to' (as a hash of the number), not the whole client, when the request body is in memory."
                : PolicyAdvice.HandlerDoes(entry)));
            grid.AddRow(new Markup("[bold]the app should[/]"), new Text(PolicyAdvice.AppShould(entry)));
        }
        else
        {
            grid.AddRow(new Markup("[bold]policy[/]"), new Text("by the HTTP status: FailFast under a 4xx, Retry under a 5xx"));
            grid.AddRow(new Markup("[bold]the handler[/]"), new Text(
                "Under a 4xx it fails fast after one call: an answer about the request that no retry fixes. Under a 5xx it retries with backoff, as for 080001."));
            grid.AddRow(new Markup("[bold]the app should[/]"), new Text(
                "Look the code up in Meta's WhatsApp error codes reference; to handle it differently, map it in an IInteractionsErrorClassifier (RawCode keeps Meta's code)."));
        }

        AnsiConsole.Write(new Panel(grid).Header($" Meta {metaCode.ToString(CultureInfo.InvariantCulture)} → {entry.FormattedCode} {entry.Title} ").Expand());
        return ExitCodes.Success;
    }

    /// <summary>Classifies Meta's shape for the code with the library's default classifier, as the handler would.</summary>
    private static InteractionsError Classify(int metaCode, HttpStatusCode status)
    {
        var code = metaCode.ToString(CultureInfo.InvariantCulture);
        var body = Encoding.UTF8.GetBytes(
            $$$"""{"error":{"message":"(#{{{code}}})","type":"OAuthException","code":{{{code}}},"error_data":{"messaging_product":"whatsapp","details":""},"fbtrace_id":"explain"}}""");
        using var response = new HttpResponseMessage(status);
        return new InteractionsErrorClassifier().Classify(response, body);
    }
}

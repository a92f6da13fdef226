using Spectre.Console;

namespace Interactions.Resilience.Demo.Commands;

/// <summary><c>troubleshoot</c>: the vendor's set-up note, then what to check when the handler's answers surprise.</summary>
internal static class TroubleshootCommand
{
    public static int Execute()
    {
        var note = new Rows(
            new Text(VendorSetupNote.Text),
            new Text(string.Empty),
            new Markup($"[dim]{Markup.Escape(VendorSetupNote.Scope)}[/]"));
        AnsiConsole.Write(new Panel(note).Header($" {VendorSetupNote.Title} (the vendor's note) ").Expand());

        var table = new Table().AddColumn("symptom").AddColumn("what to check");
        table.AddRow("the app stops at start-up (exit code 3 here)", "the setting named in the message, under Interactions:Resilience");
        table.AddRow("an exception with Attempts = 0", "the handler failed it locally: a halt (010002, 010003, 010006) for HaltDuration, an open circuit, a wait longer than MaxWait, or a full RateLimit:QueueLimit; the message says which");
        table.AddRow("020007 thrown at once, RetryAfter = 5 min", "by design: RegistrationCooldown (5 min) exceeds MaxWait (60 s); schedule the retry");
        table.AddRow("fewer retries than Retry:MaxRetryAttempts", "the retry budget is spent (an outage); the message says so");
        table.AddRow("a POST answered 060001 or 080001 not retried", "it had no Idempotency-Key, so it may have been processed");
        table.AddRow("what a code means and what to do", "explain <code>, e.g. explain 031002");
        AnsiConsole.Write(table);
        return ExitCodes.Success;
    }
}

using System.Diagnostics;
using Interactions.Resilience.Testing;
using Spectre.Console;

namespace Interactions.Resilience.Demo.Scenarios;

/// <summary>
/// What a scenario works with: the simulator to script, the app's <see cref="Notifications"/> to call, and
/// the status line under the spinner. Calls made through it are recorded, with their duration, for the report.
/// </summary>
internal sealed class ScenarioContext(InteractionsSimulator simulator, Notifications app, StatusContext? status, CancellationToken cancellationToken)
{
    private readonly DateTimeOffset _startedAt = TimeProvider.System.GetUtcNow();
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly List<AppCall> _calls = [];
    private readonly List<ScenarioNote> _notes = [];
    private int _sequence;
    private string? _skipReason;

    public InteractionsSimulator Simulator { get; } = simulator;

    /// <summary>Gets the time since the scenario started.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    /// <summary>Sends a message through the app's logic; safe to call concurrently.</summary>
    public Task<AppOutcome> SendAsync(string label, string to, string text)
        => RecordAsync(label, () => app.SendAsync(to, text, cancellationToken));

    /// <summary>
    /// Sends a message through another app's logic — one built by a scenario on a client of its own
    /// (<see cref="ScenarioClient"/>) — recorded like the others; safe to call concurrently.
    /// </summary>
    public Task<AppOutcome> SendWithAsync(Notifications otherApp, string label, string to, string text)
        => RecordAsync(label, () => otherApp.SendAsync(to, text, cancellationToken));

    /// <summary>Verifies the account's PIN through the app's logic.</summary>
    public Task<AppOutcome> VerifyPinAsync(string label, string pin)
        => RecordAsync(label, () => app.VerifyPinAsync(pin, cancellationToken));

    /// <summary>Changes the text beside the spinner.</summary>
    public void Status(string text) => status?.Status(Markup.Escape(text));

    /// <summary>Adds a line under the scenario's tables.</summary>
    public void Note(string text) => AddNote(new ScenarioNote(text));

    /// <summary>Marks the scenario as skipped — it could not run here, which is not a failure — with what to do to run it.</summary>
    public void Skip(string reason) => _skipReason = reason;

    /// <summary>Adds a highlighted line: the run differs from what the design says.</summary>
    public void Warn(string text) => AddNote(new ScenarioNote(text, IsWarning: true));

    public ScenarioResult ToResult()
    {
        lock (_calls)
        {
            return new ScenarioResult(_startedAt, Elapsed, Simulator.Requests, Simulator.RateLimitedCount, [.. _calls.OrderBy(c => c.Sequence)], [.. _notes], _skipReason);
        }
    }

    private void AddNote(ScenarioNote note)
    {
        lock (_notes)
        {
            _notes.Add(note);
        }
    }

    private async Task<AppOutcome> RecordAsync(string label, Func<Task<AppOutcome>> call)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var started = Stopwatch.GetTimestamp();
        var outcome = await call();
        var took = Stopwatch.GetElapsedTime(started);
        lock (_calls)
        {
            _calls.Add(new AppCall(sequence, label, took, outcome));
        }

        return outcome;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Spectre.Console;

namespace Interactions.Resilience.Demo;

/// <summary>
/// What an operator's dashboard would have shown: a <see cref="MeterListener"/> on the library's meter,
/// printed as a table when the scenarios end.
/// </summary>
internal sealed class MetricsSummary : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _errors = new();
    private readonly ConcurrentDictionary<string, (long Count, double Sum, double Max)> _waits = new();
    private readonly ConcurrentDictionary<string, long> _requests = new();
    private long _halted;

    public MetricsSummary()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == InteractionsTelemetryNames.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnLong);
        _listener.SetMeasurementEventCallback<double>(OnDouble);
        _listener.Start();
    }

    public void Print()
    {
        var table = new Table().Title("what the meter [bold]Interactions.Resilience[/] recorded")
            .AddColumn("instrument").AddColumn("tags").AddColumn(new TableColumn("value").RightAligned());
        foreach (var (tags, count) in _errors.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            table.AddRow(InteractionsTelemetryNames.Errors, Markup.Escape(tags), count.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var (policy, wait) in _waits.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            table.AddRow(
                InteractionsTelemetryNames.WaitDuration,
                $"policy={policy}",
                $"{wait.Count} waits, {wait.Sum.ToString("0.00", CultureInfo.InvariantCulture)} s in all, longest {wait.Max.ToString("0.00", CultureInfo.InvariantCulture)} s");
        }

        table.AddRow(InteractionsTelemetryNames.HaltedRequests, "", Interlocked.Read(ref _halted).ToString(CultureInfo.InvariantCulture));
        foreach (var (outcome, count) in _requests.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            table.AddRow(InteractionsTelemetryNames.Requests, $"outcome={outcome}", count.ToString(CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
    }

    public void Dispose() => _listener.Dispose();

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value?.ToString() ?? "";
            }
        }

        return "";
    }

    private void OnLong(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        switch (instrument.Name)
        {
            case InteractionsTelemetryNames.Errors:
                var key = $"{Tag(tags, InteractionsTelemetryNames.ErrorCodeTag)} {Tag(tags, InteractionsTelemetryNames.PolicyTag)} {Tag(tags, InteractionsTelemetryNames.OutcomeTag)}";
                _errors.AddOrUpdate(key, value, (_, old) => old + value);
                break;
            case InteractionsTelemetryNames.HaltedRequests:
                Interlocked.Add(ref _halted, value);
                break;
            case InteractionsTelemetryNames.Requests:
                _requests.AddOrUpdate(Tag(tags, InteractionsTelemetryNames.OutcomeTag), value, (_, old) => old + value);
                break;
        }
    }

    private void OnDouble(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Name == InteractionsTelemetryNames.WaitDuration)
        {
            _waits.AddOrUpdate(
                Tag(tags, InteractionsTelemetryNames.PolicyTag),
                (1, value, value),
                (_, old) => (old.Count + 1, old.Sum + value, Math.Max(old.Max, value)));
        }
    }
}

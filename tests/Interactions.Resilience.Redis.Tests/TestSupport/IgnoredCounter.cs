using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Interactions.Resilience.Redis.Tests.TestSupport;

/// <summary>
/// Reads one instance's <c>interactions.resilience.coordination.ignored</c> counter, by reason, as a
/// dashboard would: from the meter of that instance's service provider only.
/// </summary>
public sealed class IgnoredCounter : IDisposable
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly MeterListener _listener = new();

    public IgnoredCounter(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == InteractionsTelemetryNames.CoordinationIgnored)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == InteractionsTelemetryNames.ReasonTag && tag.Value is string reason)
                {
                    _counts.AddOrUpdate(reason, value, (_, old) => old + value);
                }
            }
        });
        _listener.Start();
    }

    public long this[string reason] => _counts.TryGetValue(reason, out var count) ? count : 0;

    public long Total => _counts.Values.Sum();

    public void Dispose() => _listener.Dispose();
}

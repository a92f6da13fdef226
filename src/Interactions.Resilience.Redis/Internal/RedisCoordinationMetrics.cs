using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Interactions.Resilience.Redis.Internal;

/// <summary>
/// What the Redis coordination counts, on the library's meter (<c>Interactions.Resilience</c>): messages, keys
/// and shared pace states from other instances that it ignored, by reason. Never their content.
/// </summary>
internal sealed class RedisCoordinationMetrics : IDisposable
{
    private readonly Meter? _ownMeter;
    private readonly Counter<long> _ignored;

    public RedisCoordinationMetrics(IServiceProvider services)
    {
        var meter = services.GetService<IMeterFactory>()?.Create(InteractionsTelemetryNames.MeterName);
        if (meter is null)
        {
            meter = _ownMeter = new Meter(InteractionsTelemetryNames.MeterName);
        }

        _ignored = meter.CreateCounter<long>(InteractionsTelemetryNames.CoordinationIgnored, "{message}", InteractionsTelemetryNames.CoordinationIgnoredDescription);
    }

    /// <summary>Counts one thing ignored; <paramref name="reason"/> is one of the fixed reasons, never content.</summary>
    public void Ignored(string reason) => _ignored.Add(1, new KeyValuePair<string, object?>(InteractionsTelemetryNames.ReasonTag, reason));

    public void Dispose() => _ownMeter?.Dispose();
}

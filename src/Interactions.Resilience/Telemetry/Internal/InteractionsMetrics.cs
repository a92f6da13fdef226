using System.Diagnostics.Metrics;

namespace Interactions.Resilience.Telemetry.Internal;

/// <summary>The instruments of the <c>Interactions.Resilience</c> meter; one set per meter, shared by every client.</summary>
internal sealed class InteractionsMetrics
{
    public InteractionsMetrics(Meter meter, Func<IEnumerable<ClientGauges>>? clients)
    {
        Meter = meter;
        Errors = meter.CreateCounter<long>(InteractionsTelemetryNames.Errors, "{error}", "Classified failures of Interactions API calls.");
        WaitDuration = meter.CreateHistogram<double>(InteractionsTelemetryNames.WaitDuration, "s", "Waits made by the Interactions resilience handler before a retry.");
        HaltedRequests = meter.CreateCounter<long>(InteractionsTelemetryNames.HaltedRequests, "{request}", "Requests failed locally because the client is halted.");
        Requests = meter.CreateCounter<long>(InteractionsTelemetryNames.Requests, "{request}", "Requests finished by the Interactions resilience handler.");
        CoordinationIgnored = meter.CreateCounter<long>(InteractionsTelemetryNames.CoordinationIgnored, "{message}", InteractionsTelemetryNames.CoordinationIgnoredDescription);
        if (clients is not null)
        {
            meter.CreateObservableGauge(InteractionsTelemetryNames.RateLimitWaiting, () => Observe(clients, static c => c.Waiting), "{request}", "Requests waiting at the client's rate-limit gate.");
            meter.CreateObservableGauge(InteractionsTelemetryNames.RateLimitPace, () => Observe(clients, static c => c.Pace), "{request}/s", "The pace at which the client's rate-limit gate releases requests; 0 when not pacing.");
            meter.CreateObservableGauge(InteractionsTelemetryNames.Halted, () => Observe(clients, static c => c.Halted ? 1 : 0), "{halt}", "1 while the client is halted.");
        }
    }

    public Meter Meter { get; }

    public Counter<long> Errors { get; }

    public Histogram<double> WaitDuration { get; }

    public Counter<long> HaltedRequests { get; }

    public Counter<long> Requests { get; }

    public Counter<long> CoordinationIgnored { get; }

    private static IEnumerable<Measurement<double>> Observe(Func<IEnumerable<ClientGauges>> clients, Func<ClientGauges, double> read)
    {
        foreach (var client in clients())
        {
            yield return new Measurement<double>(read(client), new KeyValuePair<string, object?>(InteractionsTelemetryNames.ClientTag, client.Name));
        }
    }
}

/// <summary>What the gauges read of one client, taken when the meter is observed.</summary>
internal sealed record ClientGauges(string Name, double Waiting, double Pace, bool Halted);

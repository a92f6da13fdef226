using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Interactions.Resilience.WebSample.Tests;

/// <summary>
/// The telemetry as an OpenTelemetry backend receives it, through OpenTelemetry's own in-memory exporter added
/// to the sample's one-line setup: each instrument with the tags the README documents, and the tags and events
/// on the app's span around the call.
/// </summary>
public sealed class TelemetryExportTests : IDisposable
{
    private readonly List<MetricSnapshot> _metrics = [];
    private readonly List<Activity> _spans = [];
    private readonly WebSampleFactory _app;
    private readonly HttpClient _http;

    public TelemetryExportTests()
    {
        _app = new WebSampleFactory(services => services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddInMemoryExporter(_metrics))
            .WithTracing(tracing => tracing.AddInMemoryExporter(_spans)));
        _http = _app.CreateClient();
    }

    [Fact]
    public async Task RetriedSend_ExportsTheErrorTheWaitAndTheRequest_AndTagsTheAppsSpan()
    {
        _app.Simulator.FailNext(1, InteractionsErrorCode.InternalServerError);

        using var sent = await _http.PostAsync("/send", null);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Flush();

        var error = Assert.Single(Points(InteractionsTelemetryNames.Errors));
        Assert.Equal(1, error.GetSumLong());
        Assert.Equal(
            new Dictionary<string, object?> { ["error.code"] = "060001", ["error.category"] = "Server", ["policy"] = "Retry", ["outcome"] = "retrying" },
            Tags(error));
        var wait = Assert.Single(Points(InteractionsTelemetryNames.WaitDuration));
        Assert.Equal(1, wait.GetHistogramCount());
        Assert.Equal(new Dictionary<string, object?> { ["policy"] = "Retry" }, Tags(wait));
        Assert.InRange(wait.GetHistogramSum(), 0.1, 5); // the configured 200 ms backoff, in seconds
        var request = Assert.Single(Points(InteractionsTelemetryNames.Requests));
        Assert.Equal(1, request.GetSumLong());
        Assert.Equal(new Dictionary<string, object?> { ["outcome"] = "success" }, Tags(request));

        var span = await ServerSpanAsync("/send");
        Assert.Equal("060001", span.GetTagItem(InteractionsTelemetryNames.ActivityErrorCode));
        Assert.Equal("Server", span.GetTagItem(InteractionsTelemetryNames.ActivityErrorCategory));
        Assert.Equal("Retry", span.GetTagItem(InteractionsTelemetryNames.ActivityPolicy));
        Assert.Equal("retrying", span.GetTagItem(InteractionsTelemetryNames.ActivityOutcome));
        Assert.Equal(1, span.GetTagItem(InteractionsTelemetryNames.ActivityAttempts));
        var retry = Assert.Single(span.Events, e => e.Name == InteractionsTelemetryNames.RetryEvent);
        var retryTags = retry.Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("060001", retryTags["error.code"]);
        Assert.Equal("Retry", retryTags["policy"]);
        Assert.Equal(1, retryTags["attempt"]);
        Assert.True((double)retryTags["delay.ms"]! > 0);

        // The HTTP client instrumentation: one client span per attempt, both children of the app's span.
        var attempts = _spans.Where(s => s.Kind == ActivityKind.Client && s.ParentSpanId == span.SpanId).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal(2, _app.Simulator.RequestCount);
    }

    [Fact]
    public async Task Halt_ExportsTheHaltTheLocalFailureAndTheHaltedGauge()
    {
        _app.Simulator.FailNext(1, InteractionsErrorCode.TemporarilyBlocked);

        (await _http.PostAsync("/send", null)).Dispose();
        (await _http.PostAsync("/send", null)).Dispose();
        Flush();

        var error = Assert.Single(Points(InteractionsTelemetryNames.Errors));
        Assert.Equal(
            new Dictionary<string, object?> { ["error.code"] = "010002", ["error.category"] = "General", ["policy"] = "Halt", ["outcome"] = "halted" },
            Tags(error));
        var halted = Assert.Single(Points(InteractionsTelemetryNames.HaltedRequests));
        Assert.Equal(1, halted.GetSumLong());
        Assert.Equal(new Dictionary<string, object?> { ["error.code"] = "010002" }, Tags(halted));
        var failures = Assert.Single(Points(InteractionsTelemetryNames.Requests));
        Assert.Equal(2, failures.GetSumLong());
        Assert.Equal(new Dictionary<string, object?> { ["outcome"] = "failure" }, Tags(failures));

        var gauge = Assert.Single(Points(InteractionsTelemetryNames.Halted));
        Assert.Equal(1, gauge.GetGaugeLastValueDouble());
        Assert.Equal(new Dictionary<string, object?> { ["client.name"] = "interactions" }, Tags(gauge));
        Assert.Equal(0, Assert.Single(Points(InteractionsTelemetryNames.RateLimitWaiting)).GetGaugeLastValueDouble());
        Assert.Equal(0, Assert.Single(Points(InteractionsTelemetryNames.RateLimitPace)).GetGaugeLastValueDouble());

        var spans = await ServerSpansAsync("/send", 2);
        Assert.Equal("halted", spans[0].GetTagItem(InteractionsTelemetryNames.ActivityOutcome));
        Assert.Equal(1, spans[0].GetTagItem(InteractionsTelemetryNames.ActivityAttempts));
        Assert.Equal("010002", spans[1].GetTagItem(InteractionsTelemetryNames.ActivityErrorCode));
        Assert.Equal("halted", spans[1].GetTagItem(InteractionsTelemetryNames.ActivityOutcome));
        Assert.Equal(0, spans[1].GetTagItem(InteractionsTelemetryNames.ActivityAttempts));
        Assert.Equal(1, _app.Simulator.RequestCount);
    }

    public void Dispose()
    {
        _http.Dispose();
        _app.Dispose();
    }

    private static Dictionary<string, object?> Tags(MetricPoint point)
    {
        var tags = new Dictionary<string, object?>();
        foreach (var tag in point.Tags)
        {
            tags[tag.Key] = tag.Value;
        }

        return tags;
    }

    private void Flush()
    {
        _app.Services.GetRequiredService<MeterProvider>().ForceFlush();
        _app.Services.GetRequiredService<TracerProvider>().ForceFlush();
    }

    /// <summary>The points of the last export of <paramref name="name"/>.</summary>
    private List<MetricPoint> Points(string name)
        => [.. _metrics.Last(m => m.Name == name).MetricPoints];

    private async Task<Activity> ServerSpanAsync(string path) => (await ServerSpansAsync(path, 1))[0];

    /// <summary>The app's server spans of <paramref name="path"/>, in order; a span is exported when it stops, just after the response.</summary>
    private async Task<List<Activity>> ServerSpansAsync(string path, int count)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var spans = _spans.ToArray().Where(s => s.Kind == ActivityKind.Server && Equals(s.GetTagItem("url.path"), path)).OrderBy(s => s.StartTimeUtc).ToList();
            if (spans.Count >= count || waited.Elapsed > TimeSpan.FromSeconds(5))
            {
                Assert.Equal(count, spans.Count);
                return spans;
            }

            await Task.Delay(20);
        }
    }
}

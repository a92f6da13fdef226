using System.Diagnostics;
using System.Net;
using Interactions.Resilience.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;

namespace Interactions.Resilience.Tests.Telemetry;

/// <summary>What an operator reads from the meter, the logs and the traces.</summary>
[Collection(SerialFakeTime.Name)]
public sealed class InteractionsTelemetryTests : IDisposable
{
    private readonly CapturingLoggerProvider _logs = new();
    private readonly HandlerHarness _harness;
    private readonly MetricCollector<long> _errors;
    private readonly MetricCollector<double> _waits;
    private readonly MetricCollector<long> _halted;
    private readonly MetricCollector<long> _requests;

    public InteractionsTelemetryTests()
    {
        _harness = new HandlerHarness(services: s => s.AddMetrics().AddLogging(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace)));
        var meters = _harness.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        _errors = new MetricCollector<long>(meters, InteractionsTelemetryNames.MeterName, InteractionsTelemetryNames.Errors);
        _waits = new MetricCollector<double>(meters, InteractionsTelemetryNames.MeterName, InteractionsTelemetryNames.WaitDuration);
        _halted = new MetricCollector<long>(meters, InteractionsTelemetryNames.MeterName, InteractionsTelemetryNames.HaltedRequests);
        _requests = new MetricCollector<long>(meters, InteractionsTelemetryNames.MeterName, InteractionsTelemetryNames.Requests);
    }

    private IEnumerable<CapturedLog> OurLogs => _logs.Logs.Where(l => l.Category == "Interactions.Resilience");

    [Fact]
    public async Task FailFast_CountsOneFailedError_AndLogsOneWarning()
    {
        _harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.TemplateIsPaused));

        await _harness.RunAndCatchAsync<InteractionsTemplateException>(_harness.Client.GetAsync("v1/messages/1"));

        var error = Assert.Single(_errors.GetMeasurementSnapshot());
        Assert.Equal(1, error.Value);
        Assert.Equal("031006", error.Tags[InteractionsTelemetryNames.ErrorCodeTag]);
        Assert.Equal("Template", error.Tags[InteractionsTelemetryNames.ErrorCategoryTag]);
        Assert.Equal("FailFast", error.Tags[InteractionsTelemetryNames.PolicyTag]);
        Assert.Equal("failed", error.Tags[InteractionsTelemetryNames.OutcomeTag]);

        var log = Assert.Single(OurLogs);
        Assert.Equal(LogLevel.Warning, log.Level);
        Assert.Equal(3, log.EventId.Id);
        Assert.Equal("031006", log.State!.Single(kv => kv.Key == "ErrorCode").Value);
        Assert.Equal("failure", Assert.Single(_requests.GetMeasurementSnapshot()).Tags[InteractionsTelemetryNames.OutcomeTag]);
    }

    [Fact]
    public async Task RetryThenSuccess_CountsRetries_RecordsWaits_AndLogsNothingAboveDebug()
    {
        _harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.ServiceUnavailable, 503), times: 2);

        (await _harness.RunAsync(_harness.Client.GetAsync("v1/messages/1"))).Dispose();

        var errors = _errors.GetMeasurementSnapshot();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal("retrying", e.Tags[InteractionsTelemetryNames.OutcomeTag]));
        Assert.Equal([1.0, 2.0], _waits.GetMeasurementSnapshot().Select(m => m.Value));
        Assert.All(_waits.GetMeasurementSnapshot(), m => Assert.Equal("Retry", m.Tags[InteractionsTelemetryNames.PolicyTag]));
        Assert.All(OurLogs, l => Assert.Equal(LogLevel.Debug, l.Level));
        Assert.Equal(2, OurLogs.Count(l => l.EventId.Id == 1));
        Assert.Equal("success", Assert.Single(_requests.GetMeasurementSnapshot()).Tags[InteractionsTelemetryNames.OutcomeTag]);
    }

    [Fact]
    public async Task Halt_CountsHaltedOutcome_ThenHaltedRequests_AndTheGaugeSaysHalted()
    {
        _harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.AccountLocked, 403));
        var halted = new MetricCollector<double>(_harness.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), InteractionsTelemetryNames.MeterName, InteractionsTelemetryNames.Halted);

        await _harness.RunAndCatchAsync<InteractionsGeneralException>(_harness.Client.GetAsync("v1/messages/1"));
        await Assert.ThrowsAsync<InteractionsGeneralException>(() => _harness.Client.GetAsync("v1/messages/1"));
        await Assert.ThrowsAsync<InteractionsGeneralException>(() => _harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal("halted", Assert.Single(_errors.GetMeasurementSnapshot()).Tags[InteractionsTelemetryNames.OutcomeTag]);
        Assert.Equal(2, _halted.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(LogLevel.Error, Assert.Single(OurLogs, l => l.EventId.Id == 4).Level);
        halted.RecordObservableInstruments();
        Assert.Equal(1, halted.LastMeasurement!.Value);
        Assert.Equal("interactions", halted.LastMeasurement.Tags[InteractionsTelemetryNames.ClientTag]);
    }

    [Fact]
    public async Task RateLimit_GaugesShowRequestsWaitingAndThePace_AndTheWaitIsRecorded()
    {
        var meters = _harness.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var waiting = new MetricCollector<double>(meters, InteractionsTelemetryNames.MeterName, InteractionsTelemetryNames.RateLimitWaiting);
        var pace = new MetricCollector<double>(meters, InteractionsTelemetryNames.MeterName, InteractionsTelemetryNames.RateLimitPace);
        for (var i = 0; i < 3; i++)
        {
            (await _harness.Client.GetAsync("v1/messages/1")).Dispose();
        }

        _harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 400, TimeSpan.FromSeconds(2)), times: 3);
        var calls = Enumerable.Range(0, 4).Select(_ => _harness.Client.GetAsync("v1/messages/1")).ToArray();
        await _harness.AdvanceAsync(TimeSpan.FromMilliseconds(500));

        // Three limits against three accepted: the quota is spent. Three wait their Retry-After, one the pause; the
        // pace after it is Beta × the 3 a second the server accepted.
        waiting.RecordObservableInstruments();
        pace.RecordObservableInstruments();
        Assert.Equal(4, waiting.LastMeasurement!.Value);
        Assert.Equal(0.7 * 3, pace.LastMeasurement!.Value, 6);

        await _harness.RunAsync(Task.WhenAll(calls));
        Assert.All(_errors.GetMeasurementSnapshot(), m => Assert.Equal("waiting", m.Tags[InteractionsTelemetryNames.OutcomeTag]));
        Assert.Equal(3, _errors.GetMeasurementSnapshot().Count);
        Assert.Contains(_waits.GetMeasurementSnapshot(), m => m.Value >= 1.9 && (string?)m.Tags[InteractionsTelemetryNames.PolicyTag] == "WaitAndRetry");
    }

    [Fact]
    public async Task Activity_GetsTheCodeAndAnEventPerRetry()
    {
        using var source = new ActivitySource("app");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "app",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        _harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.MediaUploadError, 502), times: 5);

        using var activity = source.StartActivity("send")!;
        await _harness.RunAndCatchAsync<InteractionsMediaException>(_harness.Client.GetAsync("v1/media/1"));

        Assert.Equal("032002", activity.GetTagItem(InteractionsTelemetryNames.ActivityErrorCode));
        Assert.Equal("Media", activity.GetTagItem(InteractionsTelemetryNames.ActivityErrorCategory));
        Assert.Equal("failed", activity.GetTagItem(InteractionsTelemetryNames.ActivityOutcome));
        Assert.Equal(4, activity.GetTagItem(InteractionsTelemetryNames.ActivityAttempts));
        Assert.Equal(3, activity.Events.Count(e => e.Name == InteractionsTelemetryNames.RetryEvent));
    }

    [Fact]
    public async Task Success_OnTheFastPath_IsCountedAndLogsNothing()
    {
        using var response = await _harness.Client.GetAsync("v1/messages/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("success", Assert.Single(_requests.GetMeasurementSnapshot()).Tags[InteractionsTelemetryNames.OutcomeTag]);
        Assert.Empty(_errors.GetMeasurementSnapshot());
        Assert.Empty(OurLogs);
    }

    public void Dispose()
    {
        _errors.Dispose();
        _waits.Dispose();
        _halted.Dispose();
        _requests.Dispose();
        _harness.Dispose();
    }
}

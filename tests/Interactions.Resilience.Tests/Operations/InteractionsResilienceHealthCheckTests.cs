using Interactions.Resilience.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Interactions.Resilience.Tests.Operations;

/// <summary>
/// The health check as a probe sees it, through the app's <see cref="HealthCheckService"/>: its status for
/// each kind of pause, and what its description and data name.
/// </summary>
[Collection(SerialFakeTime.Name)]
public class InteractionsResilienceHealthCheckTests
{
    private static async Task SpendQuotaAsync(Func<Task<HttpResponseMessage>> send)
    {
        var calls = Enumerable.Range(0, 3).Select(_ => send()).ToArray();
        foreach (var call in calls)
        {
            await Assert.ThrowsAsync<InteractionsRateLimitException>(() => call);
        }
    }

    private const string Check = "interactions-resilience";

    [Fact]
    public async Task Check_NothingFailed_IsHealthy()
    {
        using var harness = Harness();
        _ = harness.Client;

        var entry = await CheckAsync(harness);

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal("Interactions clients send freely.", entry.Description);
    }

    [Fact]
    public async Task Check_Halted_IsUnhealthy_NamingTheClientTheCodeAndTheTimeLeft()
    {
        using var harness = Harness(o => o.HaltDuration = TimeSpan.FromSeconds(60));
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.TemporarilyBlocked, 403));
        await Assert.ThrowsAsync<InteractionsGeneralException>(() => harness.Client.GetAsync("v1/messages/1"));
        harness.Time.Advance(TimeSpan.FromSeconds(15));

        var entry = await CheckAsync(harness);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("Interactions client 'interactions' is halted by 010002 Temporarily Blocked, 45 s left", entry.Description);
        Assert.Equal("interactions", entry.Data["client.name"]);
        Assert.Equal("Halt", entry.Data["kind"]);
        Assert.Equal("010002", entry.Data["error.code"]);
        Assert.Equal("Temporarily Blocked", entry.Data["error.title"]);
        Assert.Equal(45.0, entry.Data["time_left_seconds"]);
        Assert.Equal(false, entry.Data["scoped"]);
        Assert.Equal(1, entry.Data["pauses_in_force"]);
    }

    [Fact]
    public async Task Check_RateLimitPause_IsDegraded_WithoutShowingTheScope()
    {
        using var harness = Harness(o =>
        {
            o.MaxWait = TimeSpan.FromSeconds(10);
            o.RateLimit.ScopeSelector = static r => r.Headers.TryGetValues("X-Sender", out var v) ? v.First() : null;
        });
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 429, TimeSpan.FromSeconds(120)), times: 3);
        await Quota.SpendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = new StringContent("{}") };
            request.Headers.Add("X-Sender", "+15550123");
            return harness.Client.SendAsync(request);
        });

        var entry = await CheckAsync(harness);

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal("Interactions client 'interactions' has a scope paused by 030003 Rate Limit Exceeded, 120 s left", entry.Description);
        Assert.Equal(true, entry.Data["scoped"]);
        Assert.DoesNotContain(entry.Data.Values, v => v.ToString()!.Contains("+15550123", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_OpenCircuit_IsDegraded()
    {
        using var harness = Harness(o =>
        {
            o.Retry.MaxRetryAttempts = 0;
            o.CircuitBreaker.MinimumThroughput = 2;
        });
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.InternalServerError, 500), times: 2);
        await Assert.ThrowsAsync<InteractionsServerException>(() => harness.Client.GetAsync("v1/messages/1"));
        await Assert.ThrowsAsync<InteractionsServerException>(() => harness.Client.GetAsync("v1/messages/2"));

        var entry = await CheckAsync(harness);

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal("Interactions client 'interactions' has its circuit open, failing with 060002 Service Unavailable, 5 s left", entry.Description);
        Assert.Equal("CircuitOpen", entry.Data["kind"]);
    }

    [Fact]
    public async Task Check_HaltAndRateLimit_IsUnhealthy_AndTheDataNamesTheHalt()
    {
        using var harness = Harness(o => o.MaxWait = TimeSpan.FromSeconds(10));
        harness.Server
            .Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 429, TimeSpan.FromSeconds(30)), times: 3);
        await Quota.SpendAsync(() => harness.Client.GetAsync("v1/messages/1"));
        harness.Services.GetRequiredService<InteractionsPauseBoard>()
            .ApplyRemote(new InteractionsPause("interactions", null, InteractionsErrorCode.AccountLocked, harness.Time.GetUtcNow() + TimeSpan.FromSeconds(20)));

        var entry = await CheckAsync(harness);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("010003", entry.Data["error.code"]);
        Assert.Equal(2, entry.Data["pauses_in_force"]);
        Assert.Contains("030003 Rate Limit Exceeded, 30 s left", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_AfterTheHaltIsLifted_IsHealthy()
    {
        using var harness = Harness();
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.TemporarilyBlocked, 403));
        await Assert.ThrowsAsync<InteractionsGeneralException>(() => harness.Client.GetAsync("v1/messages/1"));

        harness.Services.GetRequiredService<InteractionsPauses>().LiftAll();

        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(harness)).Status);
    }

    [Fact]
    public async Task Check_ForAnotherClient_IgnoresThisClientsHalt()
    {
        using var harness = Harness(clientName: "other");
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.TemporarilyBlocked, 403));
        await Assert.ThrowsAsync<InteractionsGeneralException>(() => harness.Client.GetAsync("v1/messages/1"));

        var entry = await CheckAsync(harness);

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal("Interactions client 'other' sends freely.", entry.Description);
    }

    [Fact]
    public async Task Check_WithFailureStatusDegraded_ReportsAHaltAsDegraded()
    {
        using var harness = Harness(failureStatus: HealthStatus.Degraded);
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.TemporarilyBlocked, 403));
        await Assert.ThrowsAsync<InteractionsGeneralException>(() => harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal(HealthStatus.Degraded, (await CheckAsync(harness)).Status);
    }

    private static async Task<HealthReportEntry> CheckAsync(HandlerHarness harness)
    {
        var report = await harness.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries[Check];
    }

    private static HandlerHarness Harness(Action<InteractionsResilienceOptions>? configure = null, string? clientName = null, HealthStatus failureStatus = HealthStatus.Unhealthy)
        => new(configure, services =>
        {
            services.AddLogging();
            services.AddHealthChecks().AddInteractionsResilience(clientName, failureStatus: failureStatus);
        });
}

using System.Net;
using System.Text.Json;

namespace Interactions.Resilience.WebSample.Tests;

/// <summary>
/// What a probe and an operator see over real HTTP: <c>/healthz</c> through a halt, a rate limit and a lift,
/// with the sample's client sending to the simulator.
/// </summary>
public sealed class HealthzTests : IDisposable
{
    private readonly WebSampleFactory _app = new();
    private readonly HttpClient _http;

    public HealthzTests() => _http = _app.CreateClient();

    [Fact]
    public async Task Healthz_HaltCode_IsUnhealthyNamingTheCode_ThenHealthyAfterLifting_AndTheNextSendReachesTheServer()
    {
        var healthy = await HealthzAsync();
        Assert.Equal((HttpStatusCode.OK, "Healthy"), healthy);

        (await _http.PostAsync("/simulator/fail/010002", null)).EnsureSuccessStatusCode();
        using var failed = await _http.PostAsync("/send", null);
        var problem = await WebSampleFactory.JsonAsync(failed);
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal("010002", problem.GetProperty("code").GetString());
        Assert.Equal("Temporarily Blocked", problem.GetProperty("title").GetString());

        using var halted = await _http.GetAsync("/healthz");
        var body = await WebSampleFactory.JsonAsync(halted);
        var check = body.GetProperty("checks")[0];
        Assert.Equal(HttpStatusCode.ServiceUnavailable, halted.StatusCode);
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        Assert.StartsWith("Interactions client 'interactions' is halted by 010002 Temporarily Blocked, ", check.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("010002", check.GetProperty("data").GetProperty("error.code").GetString());
        Assert.InRange(check.GetProperty("data").GetProperty("time_left_seconds").GetDouble(), 250, 300); // HaltDuration from appsettings.json: 5 min

        using var locally = await _http.PostAsync("/send", null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, locally.StatusCode); // failed locally, attempts 0
        Assert.Equal(1, _app.Simulator.RequestCount);

        using var lifted = await _http.DeleteAsync("/pauses");
        var liftedPause = (await WebSampleFactory.JsonAsync(lifted)).GetProperty("lifted")[0];
        Assert.Equal("Halt", liftedPause.GetProperty("kind").GetString());
        Assert.Equal("010002", liftedPause.GetProperty("code").GetString());

        Assert.Equal((HttpStatusCode.OK, "Healthy"), await HealthzAsync());
        using var sent = await _http.PostAsync("/send", null);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.StartsWith("msg_", (await WebSampleFactory.JsonAsync(sent)).GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, _app.Simulator.RequestCount);
    }

    [Fact]
    public async Task Healthz_RateLimitWithALongRetryAfter_IsDegraded_AndPausesListsIt_UntilLifted()
    {
        // The quota spent: three sends in flight together, each answered 030003 (a lone one pauses nobody).
        (await _http.PostAsync("/simulator/fail/030003?count=3&retryAfterSeconds=120", null)).EnsureSuccessStatusCode();
        var sends = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _http.PostAsync("/send", null)));
        foreach (var limited in sends)
        {
            var problem = await WebSampleFactory.JsonAsync(limited);
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal("030003", problem.GetProperty("code").GetString());
            Assert.Equal(120, problem.GetProperty("retryAfterSeconds").GetDouble());
            limited.Dispose();
        }

        using var degraded = await _http.GetAsync("/healthz");
        var check = (await WebSampleFactory.JsonAsync(degraded)).GetProperty("checks")[0];
        Assert.Equal(HttpStatusCode.OK, degraded.StatusCode);
        Assert.Equal("Degraded", check.GetProperty("status").GetString());
        Assert.StartsWith("Interactions client 'interactions' is paused by 030003 Rate Limit Exceeded, ", check.GetProperty("description").GetString(), StringComparison.Ordinal);

        var pause = Assert.Single((await WebSampleFactory.JsonAsync(await _http.GetAsync("/pauses"))).EnumerateArray());
        Assert.Equal("RateLimitPause", pause.GetProperty("kind").GetString());
        Assert.Equal("030003", pause.GetProperty("code").GetString());
        Assert.Equal("Rate Limit Exceeded", pause.GetProperty("title").GetString());
        Assert.InRange(pause.GetProperty("timeLeftSeconds").GetDouble(), 100, 120);
        Assert.Equal(JsonValueKind.Null, pause.GetProperty("scope").ValueKind);

        (await _http.DeleteAsync("/pauses")).EnsureSuccessStatusCode();
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await HealthzAsync());
        using var sent = await _http.PostAsync("/send", null);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal(4, _app.Simulator.RequestCount);
    }

    [Fact]
    public async Task Healthz_ALoneRateLimit_StaysHealthy_AndPausesNobody()
    {
        (await _http.PostAsync("/simulator/fail/030003?retryAfterSeconds=120", null)).EnsureSuccessStatusCode();
        using var limited = await _http.PostAsync("/send", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);

        Assert.Equal((HttpStatusCode.OK, "Healthy"), await HealthzAsync()); // one recipient's limit is not the account's quota
        Assert.Empty((await WebSampleFactory.JsonAsync(await _http.GetAsync("/pauses"))).EnumerateArray());
        using var sent = await _http.PostAsync("/send", null);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal(2, _app.Simulator.RequestCount);
    }

    [Fact]
    public async Task SimulatorFail_UnknownCode_IsABadRequest()
    {
        using var response = await _http.PostAsync("/simulator/fail/999999", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    public void Dispose()
    {
        _http.Dispose();
        _app.Dispose();
    }

    private async Task<(HttpStatusCode Status, string? Body)> HealthzAsync()
    {
        using var response = await _http.GetAsync("/healthz");
        return (response.StatusCode, (await WebSampleFactory.JsonAsync(response)).GetProperty("status").GetString());
    }
}

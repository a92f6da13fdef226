using System.Net;
using System.Text.Json;
using Interactions.Resilience.Testing;

namespace Interactions.Resilience.IntegrationTests.Simulator;

/// <summary>The simulator's Meta form, driven with a plain <see cref="HttpClient"/>: Meta's exact shape and status.</summary>
public sealed class InteractionsSimulatorMetaTests : IClassFixture<TestSupport.SimulatorFixture>, IDisposable
{
    private readonly InteractionsSimulator _simulator;
    private readonly HttpClient _client;

    public InteractionsSimulatorMetaTests(TestSupport.SimulatorFixture fixture)
    {
        _simulator = fixture.Simulator;
        _simulator.Reset();
        _client = new HttpClient { BaseAddress = _simulator.BaseAddress };
    }

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task FailNextMeta_AnswersMetasShape_WithMetasStatus()
    {
        _simulator.FailNextMeta(1, 130429);

        using var response = await _client.PostAsync("v1/messages", new StringContent("{}"));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("error");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("(#130429) Rate limit hit", error.GetProperty("message").GetString());
        Assert.Equal("OAuthException", error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Number, error.GetProperty("code").ValueKind);
        Assert.Equal(130429, error.GetProperty("code").GetInt32());
        Assert.Equal("whatsapp", error.GetProperty("error_data").GetProperty("messaging_product").GetString());
        Assert.Equal("Cloud API message throughput has been reached.", error.GetProperty("error_data").GetProperty("details").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("fbtrace_id").GetString()));

        var request = Assert.Single(_simulator.Requests);
        Assert.Equal(130429, request.MetaCode);
        Assert.Null(request.ErrorCode);
        Assert.Equal(SimulatorAnswer.Error, request.Answer);
    }

    [Fact]
    public async Task FailNextMeta_DetailsRetryAfterAndStatusGiven_AreAnswered()
    {
        _simulator.FailNextMeta(1, 133009, details: "Please wait 30 seconds.", retryAfter: TimeSpan.FromSeconds(2), statusCode: 403);

        using var response = await _client.GetAsync("v1/messages/1");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        Assert.Equal("Please wait 30 seconds.", json.RootElement.GetProperty("error").GetProperty("error_data").GetProperty("details").GetString());
    }

    [Fact]
    public async Task FailNextMeta_UndocumentedCode_Answers400()
    {
        _simulator.FailNextMeta(2, 777777);

        using var first = await _client.GetAsync("v1/messages/1");
        using var second = await _client.GetAsync("v1/messages/1");
        using var third = await _client.GetAsync("v1/messages/1");

        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(400, InteractionsSimulator.StatusCodeForMeta(777777));
    }

    [Fact]
    public void FailNextMeta_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _simulator.FailNextMeta(-1, 130429));
        Assert.Throws<ArgumentOutOfRangeException>(() => _simulator.FailNextMeta(1, -5));
        Assert.Throws<ArgumentOutOfRangeException>(() => _simulator.FailNextMeta(1, 130429, retryAfter: TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => _simulator.FailNextMeta(1, 130429, statusCode: 99));
    }

    [Fact]
    public void FailNext_MetaFormForACodeMetaLacks_Throws()
    {
        Assert.Throws<ArgumentException>(() => _simulator.FailNext(1, InteractionsErrorCode.AccountInactive, InteractionsErrorForm.Meta));
        Assert.Equal(0, _simulator.RequestCount);
    }
}

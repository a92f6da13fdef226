using System.Net;
using System.Net.Sockets;
using Interactions.Resilience.IntegrationTests.TestSupport;
using Interactions.Resilience.Testing;
using Polly.Timeout;

namespace Interactions.Resilience.IntegrationTests.Http;

/// <summary>Connections reset, bodies cut off, answers too slow and nobody listening: real sockets, real HttpClient.</summary>
public sealed class TransportFaultTests : IClassFixture<SimulatorFixture>
{
    private static readonly TimeSpan ShortAttemptTimeout = TimeSpan.FromMilliseconds(300);

    private readonly InteractionsSimulator _simulator;

    public TransportFaultTests(SimulatorFixture fixture)
    {
        _simulator = fixture.Simulator;
        _simulator.Reset();
    }

    // ---- connection reset after the request was sent ----

    [Fact]
    public async Task SendAsync_GetAfterConnectionReset_IsRetriedAndSucceeds()
    {
        using var client = new SimulatorClient(_simulator.BaseAddress);
        _simulator.ResetNext(1);

        using var response = await client.Client.GetAsync("v1/messages/msg_1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([SimulatorAnswer.Reset, SimulatorAnswer.Success], _simulator.Requests.Select(r => r.Answer));
    }

    [Fact]
    public async Task SendAsync_PostAfterConnectionReset_IsRetriedWithTheSameKeyAndCreatesOneMessage()
    {
        using var client = new SimulatorClient(_simulator.BaseAddress);
        _simulator.ResetNext(1);

        using var response = await client.Client.PostAsync("v1/messages", Message());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"id":"msg_1"}""", await response.Content.ReadAsStringAsync());
        var requests = _simulator.Requests;
        Assert.Equal([SimulatorAnswer.Reset, SimulatorAnswer.Success], requests.Select(r => r.Answer));
        var key = Assert.IsType<string>(requests[0].IdempotencyKey);
        Assert.Equal(key, requests[1].IdempotencyKey);
    }

    [Fact]
    public async Task SendAsync_PostWithoutKeyAfterConnectionReset_IsNotRetried_ThrowsServerException060002WithTheCause()
    {
        using var client = new SimulatorClient(_simulator.BaseAddress, o => o.Idempotency.GenerateKeys = false);
        _simulator.ResetNext(1);

        var ex = await Assert.ThrowsAsync<InteractionsServerException>(() => client.Client.PostAsync("v1/messages", Message()));

        Assert.Equal(InteractionsErrorCode.ServiceUnavailable, ex.Code);
        Assert.Equal(InteractionsErrorSource.Transport, ex.Error.Source);
        Assert.Equal(1, ex.Attempts);
        Assert.Null(ex.StatusCode);
        Assert.IsAssignableFrom<HttpRequestException>(ex.InnerException);
        var request = Assert.Single(_simulator.Requests); // maybe processed, and no key to tell a retry apart
        Assert.Null(request.IdempotencyKey);
    }

    // ---- error body cut off mid-way ----

    [Fact]
    public async Task SendAsync_ErrorBodyCutOff_IsClassifiedByItsStatus_AndFailsFast()
    {
        using var client = new SimulatorClient(_simulator.BaseAddress);
        _simulator.TruncateNext(1, InteractionsErrorCode.TemplateIsPaused); // HTTP 400; half a JSON body is not JSON

        var ex = await Assert.ThrowsAsync<InteractionsGeneralException>(() => client.Client.GetAsync("v1/templates/welcome"));

        Assert.Equal(InteractionsErrorCode.InvalidRequest, ex.Code);
        Assert.Equal(InteractionsErrorSource.StatusCode, ex.Error.Source);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal(1, ex.Attempts);
        Assert.Equal(1, _simulator.RequestCount);
    }

    [Fact]
    public async Task SendAsync_ErrorBodyCutOffWithRetryableStatus_IsRetriedAndSucceeds()
    {
        using var client = new SimulatorClient(_simulator.BaseAddress);
        _simulator.TruncateNext(1, InteractionsErrorCode.InternalServerError); // HTTP 500 -> 060001, maybe processed

        using var response = await client.Client.PostAsync("v1/messages", Message());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requests = _simulator.Requests;
        Assert.Equal([SimulatorAnswer.Truncated, SimulatorAnswer.Success], requests.Select(r => r.Answer));
        Assert.Equal(requests[0].IdempotencyKey, requests[1].IdempotencyKey);
    }

    [Fact]
    public async Task SendAsync_ErrorBodyCutOffEveryTime_ThrowsAfterRetries()
    {
        using var client = new SimulatorClient(_simulator.BaseAddress);
        _simulator.TruncateNext(10, InteractionsErrorCode.ServiceUnavailable); // HTTP 503 -> 060002

        var ex = await Assert.ThrowsAsync<InteractionsServerException>(() => client.Client.GetAsync("v1/messages/msg_1"));

        Assert.Equal(InteractionsErrorCode.ServiceUnavailable, ex.Code);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Equal(4, ex.Attempts);
        Assert.Equal(4, _simulator.RequestCount);
    }

    [Fact]
    public async Task SendAsync_ErrorBodyCutOff_WithoutThrowing_ReturnsTheResponseWithWhatArrived()
    {
        using var client = new SimulatorClient(_simulator.BaseAddress, o => o.ThrowOnFailure = false);
        _simulator.TruncateNext(1, InteractionsErrorCode.TemplateIsPaused);

        using var response = await client.Client.GetAsync("v1/templates/welcome");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(InteractionsErrorCode.InvalidRequest, response.GetInteractionsError()?.Code);
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("""{"error":{"code":"031006""", body);
        Assert.DoesNotContain("}}", body);
    }

    // ---- an answer slower than the attempt timeout ----

    [Fact]
    public async Task SendAsync_GetAnsweredAfterAttemptTimeout_IsRetriedAndSucceeds()
    {
        using var client = new SimulatorClient(_simulator.BaseAddress, o => o.AttemptTimeout = ShortAttemptTimeout);
        _simulator.DelayNext(1, TimeSpan.FromSeconds(5));

        using var response = await client.Client.GetAsync("v1/messages/msg_1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _simulator.RequestCount);
    }

    [Fact]
    public async Task SendAsync_PostAnsweredAfterAttemptTimeout_IsRetriedWithTheSameKey()
    {
        using var client = new SimulatorClient(_simulator.BaseAddress, o => o.AttemptTimeout = ShortAttemptTimeout);
        _simulator.DelayNext(1, TimeSpan.FromSeconds(5));

        using var response = await client.Client.PostAsync("v1/messages", Message());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requests = _simulator.Requests;
        Assert.Equal(2, requests.Count);
        Assert.NotNull(requests[0].IdempotencyKey);
        Assert.Equal(requests[0].IdempotencyKey, requests[1].IdempotencyKey);
    }

    [Fact]
    public async Task SendAsync_EveryAnswerSlowerThanAttemptTimeout_Throws060002WithTheTimeoutInside()
    {
        using var client = new SimulatorClient(_simulator.BaseAddress, o =>
        {
            o.AttemptTimeout = ShortAttemptTimeout;
            o.Retry.MaxRetryAttempts = 1;
        });
        _simulator.DelayNext(2, TimeSpan.FromSeconds(5));

        var ex = await Assert.ThrowsAsync<InteractionsServerException>(() => client.Client.GetAsync("v1/messages/msg_1"));

        Assert.Equal(InteractionsErrorCode.ServiceUnavailable, ex.Code);
        Assert.Equal(2, ex.Attempts);
        Assert.IsType<TimeoutRejectedException>(ex.InnerException);
        Assert.Equal(2, _simulator.RequestCount);
    }

    // ---- nobody listening ----

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task SendAsync_ConnectionRefused_IsRetried_ThenThrowsServerException060002WithTheCause(string method)
    {
        // Refused means not sent: retried even for a POST without a key.
        using var client = new SimulatorClient(ClosedLoopbackAddress(), o => o.Idempotency.GenerateKeys = false);
        using var request = new HttpRequestMessage(new HttpMethod(method), "v1/messages") { Content = method == "POST" ? Message() : null };

        var ex = await Assert.ThrowsAsync<InteractionsServerException>(() => client.Client.SendAsync(request));

        Assert.Equal(InteractionsErrorCode.ServiceUnavailable, ex.Code);
        Assert.Equal(InteractionsErrorSource.Transport, ex.Error.Source);
        Assert.Equal(4, ex.Attempts);
        Assert.Null(ex.StatusCode);
        var inner = Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.Equal(HttpRequestError.ConnectionError, inner.HttpRequestError);
    }

    private static StringContent Message() => new("""{"to":"+15550100","text":"hi"}""");

    /// <summary>A loopback address whose port nobody listens on: bound by the OS, then released.</summary>
    private static Uri ClosedLoopbackAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}

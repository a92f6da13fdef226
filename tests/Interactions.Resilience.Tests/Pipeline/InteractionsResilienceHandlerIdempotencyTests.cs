using System.Net;
using Interactions.Resilience.Tests.TestSupport;

namespace Interactions.Resilience.Tests.Pipeline;

[Collection(SerialFakeTime.Name)]
public class InteractionsResilienceHandlerIdempotencyTests
{
    [Fact]
    public async Task SendAsync_Post_StampsOneKeyKeptAcrossAttempts()
    {
        using var harness = new HandlerHarness();
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.InternalServerError, 500), times: 2);

        using var response = await harness.RunAsync(harness.Client.PostAsync("v1/messages", new StringContent("{}")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var keys = harness.Server.Calls.Select(c => c.IdempotencyKey).ToList();
        Assert.Equal(3, keys.Count);
        Assert.NotNull(keys[0]);
        Assert.Matches("^[0-9a-f]{16}-[0-9a-f]{16}$", keys[0]!);
        Assert.All(keys, k => Assert.Equal(keys[0], k));
    }

    [Fact]
    public async Task SendAsync_TwoPosts_GetDifferentKeys()
    {
        using var harness = new HandlerHarness();

        using var first = await harness.Client.PostAsync("v1/messages", new StringContent("{}"));
        using var second = await harness.Client.PostAsync("v1/messages", new StringContent("{}"));

        Assert.NotEqual(harness.Server.Calls[0].IdempotencyKey, harness.Server.Calls[1].IdempotencyKey);
    }

    [Fact]
    public async Task SendAsync_PatchIsStamped_GetPutDeleteAreNot()
    {
        using var harness = new HandlerHarness();

        (await harness.Client.PatchAsync("v1/messages/1", new StringContent("{}"))).Dispose();
        (await harness.Client.GetAsync("v1/messages/1")).Dispose();
        (await harness.Client.PutAsync("v1/messages/1", new StringContent("{}"))).Dispose();
        (await harness.Client.DeleteAsync("v1/messages/1")).Dispose();

        var keys = harness.Server.Calls.Select(c => c.IdempotencyKey).ToList();
        Assert.NotNull(keys[0]);
        Assert.Null(keys[1]);
        Assert.Null(keys[2]);
        Assert.Null(keys[3]);
    }

    [Fact]
    public async Task SendAsync_RequestWithOwnKey_KeepsIt()
    {
        using var harness = new HandlerHarness();
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.InternalServerError, 500));
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = new StringContent("{}") };
        request.Headers.Add("Idempotency-Key", "order-42");

        using var response = await harness.RunAsync(harness.Client.SendAsync(request));

        Assert.All(harness.Server.Calls, c => Assert.Equal("order-42", c.IdempotencyKey));
        Assert.Equal(2, harness.Server.CallCount);
    }

    [Fact]
    public async Task SendAsync_CustomHeaderName_IsUsed()
    {
        using var harness = new HandlerHarness(o => o.Idempotency.HeaderName = "X-Request-Key");
        string? seen = null;
        harness.Server.Default = (request, _) =>
        {
            seen = request.Headers.GetValues("X-Request-Key").Single();
            return Task.FromResult(StubServer.Ok());
        };

        using var response = await harness.Client.PostAsync("v1/messages", new StringContent("{}"));

        Assert.NotNull(seen);
        Assert.Null(harness.Server.Calls[0].IdempotencyKey);
    }

    [Theory]
    [InlineData(InteractionsErrorCode.InternalServerError, 500)]
    [InlineData(InteractionsErrorCode.UnknownError, 500)]
    public async Task SendAsync_PostWithoutKey_MaybeProcessedError_IsNotRetried(InteractionsErrorCode code, int status)
    {
        using var harness = new HandlerHarness(o => o.Idempotency.GenerateKeys = false);
        harness.Server.Default = (_, _) => Task.FromResult(StubServer.Error(code, status));

        var ex = await harness.RunAndCatchAsync<InteractionsException>(harness.Client.PostAsync("v1/messages", new StringContent("{}")));

        Assert.Equal(code, ex.Code);
        Assert.Equal(1, harness.Server.CallCount);
        Assert.Null(harness.Server.Calls[0].IdempotencyKey);
    }

    [Theory]
    [InlineData(InteractionsErrorCode.ServiceUnavailable)]
    [InlineData(InteractionsErrorCode.ServerTemporarilyUnavailable)]
    [InlineData(InteractionsErrorCode.ServerOverloaded)]
    [InlineData(InteractionsErrorCode.MediaUploadError)]
    [InlineData(InteractionsErrorCode.VendorAccountInMaintenanceMode)]
    public async Task SendAsync_PostWithoutKey_NotProcessedError_IsRetried(InteractionsErrorCode code)
    {
        using var harness = new HandlerHarness(o => o.Idempotency.GenerateKeys = false);
        harness.Server.Then(() => StubServer.Error(code, 503));

        using var response = await harness.RunAsync(harness.Client.PostAsync("v1/messages", new StringContent("{}")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, harness.Server.CallCount);
    }

    [Fact]
    public async Task SendAsync_GetWithoutKey_MaybeProcessedError_IsRetried()
    {
        using var harness = new HandlerHarness(o => o.Idempotency.GenerateKeys = false);
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.InternalServerError, 500));

        using var response = await harness.RunAsync(harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal(2, harness.Server.CallCount);
    }

    [Fact]
    public async Task SendAsync_PostWithoutKey_ConnectionRefused_IsRetried()
    {
        using var harness = new HandlerHarness(o => o.Idempotency.GenerateKeys = false);
        harness.Server.ThenThrow(() => new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"));

        using var response = await harness.RunAsync(harness.Client.PostAsync("v1/messages", new StringContent("{}")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, harness.Server.CallCount);
    }

    [Fact]
    public async Task SendAsync_PostWithoutKey_ResetAfterSend_IsNotRetried()
    {
        using var harness = new HandlerHarness(o => o.Idempotency.GenerateKeys = false);
        harness.Server.ThenThrow(() => new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.", new IOException("reset")));

        var ex = await harness.RunAndCatchAsync<InteractionsServerException>(harness.Client.PostAsync("v1/messages", new StringContent("{}")));

        Assert.Equal(InteractionsErrorCode.ServiceUnavailable, ex.Code);
        Assert.Equal(1, harness.Server.CallCount);
        Assert.IsType<HttpRequestException>(ex.InnerException);
    }

    [Fact]
    public async Task SendAsync_PostWithKey_ResetAfterSend_IsRetriedWithSameKey()
    {
        using var harness = new HandlerHarness();
        harness.Server.ThenThrow(() => new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."));

        using var response = await harness.RunAsync(harness.Client.PostAsync("v1/messages", new StringContent("{}")));

        Assert.Equal(2, harness.Server.CallCount);
        Assert.Equal(harness.Server.Calls[0].IdempotencyKey, harness.Server.Calls[1].IdempotencyKey);
    }

    [Fact]
    public async Task SendAsync_PostWithoutKey_AttemptTimeout_IsNotRetried()
    {
        using var harness = new HandlerHarness(o => o.Idempotency.GenerateKeys = false);
        harness.Server.ThenHang();

        var ex = await harness.RunAndCatchAsync<InteractionsServerException>(harness.Client.PostAsync("v1/messages", new StringContent("{}")), step: TimeSpan.FromSeconds(1));

        Assert.Equal(InteractionsErrorCode.ServiceUnavailable, ex.Code);
        Assert.Equal(1, harness.Server.CallCount);
        Assert.IsType<Polly.Timeout.TimeoutRejectedException>(ex.InnerException);
        AssertWait.Equal(TimeSpan.FromSeconds(30), harness.Elapsed, TimeSpan.FromSeconds(1));
    }
}

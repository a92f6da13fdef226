using System.Net;
using Interactions.Resilience.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Interactions.Resilience.Tests.Pipeline;

/// <summary>What the options change in what an app sees.</summary>
[Collection(SerialFakeTime.Name)]
public class InteractionsResilienceHandlerOptionsBehaviourTests
{
    [Fact]
    public async Task SendAsync_PolicyOverrideRetry_RetriesAFailFastCode()
    {
        using var harness = new HandlerHarness(o => o.Policies["031006"] = InteractionsPolicy.Retry);
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.TemplateIsPaused), times: 2);

        using var response = await harness.RunAsync(harness.Client.PostAsync("v1/messages", new StringContent("{}")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, harness.Server.CallCount);
    }

    [Fact]
    public async Task SendAsync_PolicyOverrideFailFast_StopsRetryingAServerError()
    {
        using var harness = new HandlerHarness(o => o.Policies["060002"] = InteractionsPolicy.FailFast);
        harness.Server.Default = (_, _) => Task.FromResult(StubServer.Error(InteractionsErrorCode.ServiceUnavailable, 503));

        var ex = await harness.RunAndCatchAsync<InteractionsServerException>(harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal(1, ex.Attempts);
        Assert.Equal(1, harness.Server.CallCount);
    }

    [Fact]
    public async Task SendAsync_PolicyOverrideHalt_HaltsOnAPermissionError()
    {
        using var harness = new HandlerHarness(o => o.Policies["040002"] = InteractionsPolicy.Halt);
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.PermissionsRemoved, 403));

        await harness.RunAndCatchAsync<InteractionsPermissionException>(harness.Client.GetAsync("v1/messages/1"));
        var local = await Assert.ThrowsAsync<InteractionsPermissionException>(() => harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal(0, local.Attempts);
        Assert.Equal(1, harness.Server.CallCount);
    }

    [Fact]
    public async Task SendAsync_PolicyOverridesFromConfiguration_AreApplied()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Resilience:Policies:031006"] = "Retry",
            ["Resilience:Retry:MaxRetryAttempts"] = "1",
            ["Resilience:Retry:UseJitter"] = "false",
        }).Build();
        var server = new StubServer(new Microsoft.Extensions.Time.Testing.FakeTimeProvider());
        server.Default = (_, _) => Task.FromResult(StubServer.Error(InteractionsErrorCode.TemplateIsPaused));
        var services = new ServiceCollection();
        services.AddHttpClient("c", c => c.BaseAddress = new Uri("https://api.example/"))
            .AddInteractionsResilience(configuration.GetSection("Resilience"))
            .ConfigurePrimaryHttpMessageHandler(() => server);
        using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("c");

        // Retry.BaseDelay is 1 s on the real clock here: one retry, then the exception.
        var ex = await Assert.ThrowsAsync<InteractionsTemplateException>(() => client.GetAsync("v1/messages/1"));

        Assert.Equal(2, ex.Attempts);
        Assert.Equal(2, server.CallCount);
    }

    [Fact]
    public async Task SendAsync_ThrowOnFailureFalse_ReturnsFinalResponseWithItsErrorAndReadableBody()
    {
        using var harness = new HandlerHarness(o => o.ThrowOnFailure = false);
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.TemplateIsPaused));

        using var response = await harness.RunAsync(harness.Client.PostAsync("v1/messages", new StringContent("{}")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = response.GetInteractionsError();
        Assert.NotNull(error);
        Assert.Equal(InteractionsErrorCode.TemplateIsPaused, error.Code);
        Assert.Contains("\"031006\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SendAsync_ThrowOnFailureFalse_StillThrowsWhenThereIsNoResponse()
    {
        using var harness = new HandlerHarness(o =>
        {
            o.ThrowOnFailure = false;
            o.Retry.MaxRetryAttempts = 0;
        });
        harness.Server.ThenThrow(() => new HttpRequestException(HttpRequestError.ConnectionError, "refused"));

        var ex = await harness.RunAndCatchAsync<InteractionsServerException>(harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal(InteractionsErrorCode.ServiceUnavailable, ex.Code);
    }

    [Fact]
    public async Task SendAsync_ThrowOnFailureFalse_RetriesBeforeReturningTheFinalResponse()
    {
        using var harness = new HandlerHarness(o => o.ThrowOnFailure = false);
        harness.Server.Default = (_, _) => Task.FromResult(StubServer.Error(InteractionsErrorCode.ServerOverloaded, 503));

        using var response = await harness.RunAsync(harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(InteractionsErrorCode.ServerOverloaded, response.GetInteractionsError()!.Code);
        Assert.Equal(4, harness.Server.CallCount);
    }

    [Fact]
    public async Task GetInteractionsError_OnSuccess_IsNull()
    {
        using var harness = new HandlerHarness(o => o.ThrowOnFailure = false);

        using var response = await harness.Client.GetAsync("v1/messages/1");

        Assert.Null(response.GetInteractionsError());
    }

    [Fact]
    public async Task SendAsync_MaxWaitRaised_WaitsALongerRetryAfter()
    {
        using var harness = new HandlerHarness(o => o.MaxWait = TimeSpan.FromMinutes(3));
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.ServiceUnavailable, 503, TimeSpan.FromSeconds(90)));

        using var response = await harness.RunAsync(harness.Client.GetAsync("v1/messages/1"), step: TimeSpan.FromMilliseconds(500));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertWait.Equal(TimeSpan.FromSeconds(90), harness.Server.Calls[1].At - harness.Server.Calls[0].At, TimeSpan.FromMilliseconds(600));
    }

    [Fact]
    public async Task SendAsync_RegistrationCooldownWithinMaxWait_WaitsThenRetriesOnce()
    {
        using var harness = new HandlerHarness(o => o.RegistrationCooldown = TimeSpan.FromSeconds(45));
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.WaitBeforeRegistering));

        using var response = await harness.RunAsync(harness.Client.PostAsync("v1/account/register", new StringContent("{}")), step: TimeSpan.FromMilliseconds(500));

        Assert.Equal(2, harness.Server.CallCount);
        AssertWait.Equal(TimeSpan.FromSeconds(45), harness.Server.Calls[1].At - harness.Server.Calls[0].At, TimeSpan.FromMilliseconds(600));
    }

    [Fact]
    public async Task SendAsync_CustomClassifierInDI_DecidesTheCode()
    {
        using var harness = new HandlerHarness(services: s => s.AddSingleton<IInteractionsErrorClassifier>(new GatewayClassifier()));
        harness.Server.Then(() => Responses.Json(400, """{"fault":"QUOTA"}"""));

        // 400 alone would be 010001 and fail fast; the app's classifier makes it a rate limit, which waits and retries.
        using var response = await harness.RunAsync(harness.Client.GetAsync("v1/messages/1"), step: TimeSpan.FromMilliseconds(100));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, harness.Server.CallCount);
        AssertWait.Equal(TimeSpan.FromSeconds(1), harness.Server.Calls[1].At - harness.Server.Calls[0].At, TimeSpan.FromMilliseconds(110));
    }

    [Fact]
    public async Task SendAsync_CustomClassifierReadsTheContent_FindsTheWholeBody_AndSoDoesTheApp()
    {
        // The app's classifier is handed the response: its content reads whole, as the app's later read does.
        var body = Responses.ErrorBody("031006", "paused " + new string('x', 3000));
        var classifier = new ContentReadingClassifier();
        using var harness = new HandlerHarness(o => o.ThrowOnFailure = false, services: s => s.AddSingleton<IInteractionsErrorClassifier>(classifier));
        harness.Server.Then(() => Responses.Json(400, body));

        using var response = await harness.RunAsync(harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal(body, classifier.Read);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        Assert.Equal(InteractionsErrorCode.TemplateIsPaused, response.GetInteractionsError()?.Code);
    }

    [Fact]
    public async Task SendAsync_RetriedErrorThenFinalError_TheAppReadsTheFinalBodyWhole()
    {
        var final = Responses.ErrorBody("031006", "paused " + new string('y', 70_000)); // past the 64 KiB the classifier reads
        using var harness = new HandlerHarness(o =>
        {
            o.ThrowOnFailure = false;
            o.Retry.BaseDelay = TimeSpan.Zero;
            o.Retry.UseJitter = false;
        });
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.InternalServerError, 500)).Then(() => Responses.Json(400, final));

        using var response = await harness.RunAsync(harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal(2, harness.Server.CallCount);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(final, await response.Content.ReadAsStringAsync());
        Assert.Equal(InteractionsErrorCode.TemplateIsPaused, response.GetInteractionsError()?.Code);
    }

    private sealed class ContentReadingClassifier : IInteractionsErrorClassifier
    {
        public string? Read { get; private set; }

        public InteractionsErrorCode? Classify(HttpResponseMessage response, ReadOnlySpan<byte> body)
        {
            using var reader = new StreamReader(response.Content.ReadAsStream());
            Read = reader.ReadToEnd();
            return null;
        }
    }

    private sealed class GatewayClassifier : IInteractionsErrorClassifier
    {
        public InteractionsErrorCode? Classify(HttpResponseMessage response, ReadOnlySpan<byte> body)
            => body.IndexOf("QUOTA"u8) >= 0 ? InteractionsErrorCode.RateLimitExceeded : null;
    }
}

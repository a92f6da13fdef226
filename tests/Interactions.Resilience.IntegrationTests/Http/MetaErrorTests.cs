using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Interactions.Resilience.IntegrationTests.TestSupport;
using Interactions.Resilience.Testing;

namespace Interactions.Resilience.IntegrationTests.Http;

/// <summary>
/// Meta's WhatsApp Cloud API errors as the vendor relays them, over real HTTP through <c>AddInteractionsResilience()</c>
/// against the simulator's Meta form: what each of Meta's codes costs in calls, and what the user catches.
/// </summary>
public sealed class MetaErrorTests : IClassFixture<SimulatorFixture>
{
    private const int DefaultRetries = 3;
    private const int DefaultRateLimitRetries = 5;

    private readonly InteractionsSimulator _simulator;

    public MetaErrorTests(SimulatorFixture fixture)
    {
        _simulator = fixture.Simulator;
        _simulator.Reset();
    }

    /// <summary>Meta's codes and the catalog code each stands for, as docs/meta-errors.md states them.</summary>
    public static TheoryData<int, InteractionsErrorCode> EveryTableRow() => new()
    {
        { 0, InteractionsErrorCode.TokenExpired },
        { 2, InteractionsErrorCode.ServerOverloaded },
        { 3, InteractionsErrorCode.PermissionDenied },
        { 4, InteractionsErrorCode.RateLimitExceeded },
        { 10, InteractionsErrorCode.PermissionDenied },
        { 33, InteractionsErrorCode.PhoneNumberDeleted },
        { 100, InteractionsErrorCode.InvalidParameters },
        { 190, InteractionsErrorCode.TokenExpired },
        { 200, InteractionsErrorCode.PermissionsRemoved },
        { 299, InteractionsErrorCode.PermissionsRemoved },
        { 368, InteractionsErrorCode.TemporarilyBlocked },
        { 80007, InteractionsErrorCode.RateLimitExceeded },
        { 130429, InteractionsErrorCode.RateLimitExceeded },
        { 131000, InteractionsErrorCode.InternalServerError },
        { 131005, InteractionsErrorCode.PermissionDenied },
        { 131008, InteractionsErrorCode.InvalidParameters },
        { 131009, InteractionsErrorCode.InvalidParameters },
        { 131016, InteractionsErrorCode.ServiceUnavailable },
        { 131021, InteractionsErrorCode.RecipientCannotBeSender },
        { 131026, InteractionsErrorCode.MessageUndeliverable },
        { 131031, InteractionsErrorCode.AccountLocked },
        { 131042, InteractionsErrorCode.BusinessEligibilityPaymentIssue },
        { 131045, InteractionsErrorCode.IncorrectCertificate },
        { 131047, InteractionsErrorCode.ReengagementMessage },
        { 131051, InteractionsErrorCode.UnsupportedMessageType },
        { 131052, InteractionsErrorCode.MediaDownloadError },
        { 131053, InteractionsErrorCode.MediaUploadError },
        { 131056, InteractionsErrorCode.RateLimitExceeded },
        { 131057, InteractionsErrorCode.VendorAccountInMaintenanceMode },
        { 132000, InteractionsErrorCode.ParameterCountMismatch },
        { 132001, InteractionsErrorCode.TemplateNotExist },
        { 132005, InteractionsErrorCode.HydratedTextTooLong },
        { 132007, InteractionsErrorCode.FormatCharacterPolicyViolated },
        { 132012, InteractionsErrorCode.ParameterFormatMismatch },
        { 132015, InteractionsErrorCode.TemplateIsPaused },
        { 133004, InteractionsErrorCode.ServerTemporarilyUnavailable },
        { 133005, InteractionsErrorCode.TwoStepVerificationPinMismatch },
        { 133006, InteractionsErrorCode.PhoneNumberReVerificationNeeded },
        { 133008, InteractionsErrorCode.TwoStepPinGuessedTooFast },
        { 133009, InteractionsErrorCode.TwoStepPinGuessedTooFast },
        { 133010, InteractionsErrorCode.PhoneNumberNotRegistered },
        { 133015, InteractionsErrorCode.WaitBeforeRegistering },
        { 133016, InteractionsErrorCode.WaitBeforeRegistering },
    };

    [Theory]
    [MemberData(nameof(EveryTableRow))]
    public async Task SendAsync_ServerFailsEveryCallWithMetaCode_ThrowsTheMappedTypedExceptionKeepingMetasCode(int metaCode, InteractionsErrorCode expected)
    {
        var calls = CallsUntilTheHandlerGivesUp(expected);
        using var client = new SimulatorClient(_simulator.BaseAddress);
        _simulator.FailNextMeta(calls + 2, metaCode); // more than the policy may use: extra calls would show

        var ex = await Assert.ThrowsAnyAsync<InteractionsException>(() => SendAsync(client.Client));

        Assert.Equal(ExpectedException.For(expected), ex.GetType());
        Assert.Equal(expected, ex.Code);
        Assert.Equal(Text(metaCode), ex.Error.RawCode);
        Assert.Equal(calls, ex.Attempts);
        Assert.Equal(calls, _simulator.RequestCount);
        Assert.Equal((HttpStatusCode)InteractionsSimulator.StatusCodeForMeta(metaCode), ex.StatusCode);
        Assert.Equal(InteractionsErrorSource.Body, ex.Error.Source);
        Assert.StartsWith($"(#{Text(metaCode)}) ", ex.ServerMessage, StringComparison.Ordinal);
        Assert.All(_simulator.Requests, r => Assert.Equal(metaCode, r.MetaCode));
    }

    [Fact]
    public async Task SendAsync_RateLimitHit_IsWaitedOutAndRetriedLike030003()
    {
        using var client = new SimulatorClient(_simulator.BaseAddress);
        _simulator.FailNextMeta(1, 130429, retryAfter: TimeSpan.FromSeconds(1));

        using var response = await SendAsync(client.Client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requests = _simulator.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal(130429, requests[0].MetaCode);
        Assert.Equal(SimulatorAnswer.Success, requests[1].Answer);
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(950), $"retried after {requests[1].ReceivedAt - requests[0].ReceivedAt}");
    }

    [Fact]
    public async Task SendAsync_RateLimitHitEveryCall_FailsAsTheVendors030003Would_WithMetasCode()
    {
        using var client = new SimulatorClient(_simulator.BaseAddress);
        _simulator.FailNextMeta(20, 130429);

        var ex = await Assert.ThrowsAsync<InteractionsRateLimitException>(() => SendAsync(client.Client));

        Assert.Equal(InteractionsErrorCode.RateLimitExceeded, ex.Code);
        Assert.Equal("130429", ex.Error.RawCode);
        Assert.Equal("(#130429) Rate limit hit: Cloud API message throughput has been reached.", ex.ServerMessage);
        Assert.Equal(1 + DefaultRateLimitRetries, ex.Attempts);
        Assert.Equal(1 + DefaultRateLimitRetries, _simulator.RequestCount);
    }

    [Fact]
    public async Task SendAsync_PinGuessedTooFast_WaitsThePinCooldownThenRetriesOnce()
    {
        using var client = new SimulatorClient(_simulator.BaseAddress, o => o.PinCooldown = TimeSpan.FromMilliseconds(400));
        _simulator.FailNextMeta(1, 133009);

        using var response = await SendAsync(client.Client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requests = _simulator.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(380), $"retried after {requests[1].ReceivedAt - requests[0].ReceivedAt}");
    }

    [Fact]
    public async Task SendAsync_PinGuessedTooFast_DetailsStatingAWait_CountAsRetryAfter()
    {
        using var client = new SimulatorClient(_simulator.BaseAddress, o => o.PinCooldown = TimeSpan.FromMilliseconds(50));
        _simulator.FailNextMeta(1, 133009, details: "Two step verification PIN was entered too quickly. Please wait 1 second.");

        using var response = await SendAsync(client.Client);

        var requests = _simulator.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(950), $"retried after {requests[1].ReceivedAt - requests[0].ReceivedAt}");
    }

    [Fact]
    public async Task SendAsync_WaitBeforeRegistering_FailsAtOnceCarryingTheWaitMetaStated()
    {
        using var client = new SimulatorClient(_simulator.BaseAddress, o => o.RegistrationCooldown = TimeSpan.FromMilliseconds(10));
        _simulator.FailNextMeta(5, 133015); // Meta's details say: "Wait 5 minutes before re-trying the request."

        var ex = await Assert.ThrowsAsync<InteractionsAuthenticationException>(() => SendAsync(client.Client));

        Assert.Equal(InteractionsErrorCode.WaitBeforeRegistering, ex.Code);
        Assert.Equal(TimeSpan.FromMinutes(5), ex.RetryAfter); // beyond MaxWait: the caller schedules it
        Assert.Equal(1, _simulator.RequestCount);
    }

    [Fact]
    public async Task SendAsync_AccountInMaintenanceMode_IsRetriedWithBackoff()
    {
        using var client = new SimulatorClient(_simulator.BaseAddress, o =>
        {
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(100);
            o.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        });
        _simulator.FailNextMeta(2, 131057);

        using var response = await SendAsync(client.Client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requests = _simulator.Requests;
        Assert.Equal(3, requests.Count);
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(90), $"first retry after {requests[1].ReceivedAt - requests[0].ReceivedAt}");
        Assert.True(requests[2].ReceivedAt - requests[1].ReceivedAt >= TimeSpan.FromMilliseconds(190), $"second retry after {requests[2].ReceivedAt - requests[1].ReceivedAt}");
    }

    [Theory]
    [InlineData(131047, InteractionsErrorCode.ReengagementMessage)]
    [InlineData(132000, InteractionsErrorCode.ParameterCountMismatch)]
    [InlineData(132001, InteractionsErrorCode.TemplateNotExist)]
    [InlineData(132005, InteractionsErrorCode.HydratedTextTooLong)]
    [InlineData(132007, InteractionsErrorCode.FormatCharacterPolicyViolated)]
    [InlineData(132012, InteractionsErrorCode.ParameterFormatMismatch)]
    [InlineData(132015, InteractionsErrorCode.TemplateIsPaused)]
    [InlineData(131021, InteractionsErrorCode.RecipientCannotBeSender)]
    [InlineData(131026, InteractionsErrorCode.MessageUndeliverable)]
    [InlineData(133005, InteractionsErrorCode.TwoStepVerificationPinMismatch)]
    [InlineData(133006, InteractionsErrorCode.PhoneNumberReVerificationNeeded)]
    [InlineData(133010, InteractionsErrorCode.PhoneNumberNotRegistered)]
    public async Task SendAsync_ReengagementTemplateRecipientOrRegistrationCode_FailsFastAfterOneCall(int metaCode, InteractionsErrorCode expected)
    {
        using var client = new SimulatorClient(_simulator.BaseAddress);
        _simulator.FailNextMeta(5, metaCode);

        var ex = await Assert.ThrowsAnyAsync<InteractionsException>(() => SendAsync(client.Client));

        Assert.Equal(ExpectedException.For(expected), ex.GetType());
        Assert.Equal(expected, ex.Code);
        Assert.Equal(Text(metaCode), ex.Error.RawCode);
        Assert.Equal(1, ex.Attempts);
        Assert.Equal(1, _simulator.RequestCount);
    }

    [Theory]
    [InlineData(135000)]
    [InlineData(131048)] // spam rate limit: deliberately not waited out
    [InlineData(999999)]
    public async Task SendAsync_UnknownMetaCodeUnder4xx_Is080001AndCostsOneCall(int metaCode)
    {
        using var client = new SimulatorClient(_simulator.BaseAddress);
        _simulator.FailNextMeta(5, metaCode);

        var ex = await Assert.ThrowsAsync<InteractionsUnknownException>(() => SendAsync(client.Client));

        Assert.Equal(InteractionsErrorCode.UnknownError, ex.Code);
        Assert.Equal(Text(metaCode), ex.Error.RawCode);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal(1, ex.Attempts);
        Assert.Equal(1, _simulator.RequestCount);
    }

    [Fact]
    public async Task SendAsync_UnknownMetaCodeUnder5xx_IsRetriedLike080001()
    {
        using var client = new SimulatorClient(_simulator.BaseAddress);
        _simulator.FailNextMeta(10, 135000, statusCode: 500);

        var ex = await Assert.ThrowsAsync<InteractionsUnknownException>(() => SendAsync(client.Client));

        Assert.Equal("135000", ex.Error.RawCode);
        Assert.Equal(1 + DefaultRetries, ex.Attempts);
        Assert.Equal(1 + DefaultRetries, _simulator.RequestCount);
    }

    [Fact]
    public async Task SendAsync_Override080001_WinsOverTheStatus()
    {
        using var client = new SimulatorClient(_simulator.BaseAddress, o =>
        {
            o.Policies["080001"] = InteractionsPolicy.Retry;
            o.Retry.MaxRetryAttempts = 1;
        });
        _simulator.FailNextMeta(10, 135000);

        var ex = await Assert.ThrowsAsync<InteractionsUnknownException>(() => SendAsync(client.Client));

        Assert.Equal(2, ex.Attempts);
        Assert.Equal(2, _simulator.RequestCount);
    }

    [Fact]
    public async Task SendAsync_RecognizeMetaErrorsOff_RateLimitHitIsAnUnknownCodeAndFailsFastUnder4xx()
    {
        using var client = new SimulatorClient(_simulator.BaseAddress, o => o.RecognizeMetaErrors = false);
        _simulator.FailNextMeta(10, 130429);

        var ex = await Assert.ThrowsAsync<InteractionsUnknownException>(() => SendAsync(client.Client));

        Assert.Equal("130429", ex.Error.RawCode);
        Assert.Equal(1, _simulator.RequestCount);
    }

    [Fact]
    public async Task SendAsync_MetaForm_AnswersTheCatalogCodesMetaCounterpart()
    {
        using var client = new SimulatorClient(_simulator.BaseAddress);
        _simulator.FailNext(1, InteractionsErrorCode.ReengagementMessage, InteractionsErrorForm.Meta);

        var ex = await Assert.ThrowsAsync<InteractionsVendorException>(() => SendAsync(client.Client));

        Assert.Equal(InteractionsErrorCode.ReengagementMessage, ex.Code);
        Assert.Equal("131047", ex.Error.RawCode);
        Assert.Equal(131047, Assert.Single(_simulator.Requests).MetaCode);
    }

    [Fact]
    public async Task SendAsync_PairRateLimitOnOneRecipient_LeavesAnotherRecipientUntouched()
    {
        using var client = new SimulatorClient(_simulator.BaseAddress);
        _simulator.FailNextMeta(1, 131056, retryAfter: TimeSpan.FromSeconds(2));

        var a = Stopwatch.StartNew();
        var sendA = SendAsync(client.Client, to: "+15550100");
        await WaitUntilAsync(() => _simulator.RequestCount >= 1); // A met the pair limit and now waits

        using var responseB = await SendAsync(client.Client, to: "+15550199");
        var b = a.Elapsed;
        using var responseA = await sendA;
        a.Stop();

        Assert.Equal(HttpStatusCode.OK, responseB.StatusCode);
        Assert.Equal(HttpStatusCode.OK, responseA.StatusCode);
        Assert.True(b < TimeSpan.FromMilliseconds(1500), $"recipient B was answered after {b}");
        Assert.True(a.Elapsed >= TimeSpan.FromMilliseconds(1950), $"recipient A took {a.Elapsed}");
        Assert.Equal(3, _simulator.RequestCount);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string to = "+15550100")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages")
        {
            Content = new StringContent($$$"""{"messaging_product":"whatsapp","to":"{{{to}}}","type":"text","text":{"body":"hi"}}""", Encoding.UTF8, "application/json"),
        };
        return await client.SendAsync(request);
    }

    private static string Text(int metaCode) => metaCode.ToString(CultureInfo.InvariantCulture);

    /// <summary>How many calls reach the server for a code that every call answers, with the fast timings and default retries.</summary>
    private static int CallsUntilTheHandlerGivesUp(InteractionsErrorCode code) => InteractionsErrorCatalog.Get(code).DefaultPolicy switch
    {
        InteractionsPolicy.Retry => 1 + DefaultRetries,
        InteractionsPolicy.WaitAndRetry => 1 + DefaultRateLimitRetries,

        // 020007's 5-minute cooldown (or Meta's stated 5 minutes) exceeds MaxWait: it fails at once. 020008's short one is waited out once.
        InteractionsPolicy.Cooldown => code == InteractionsErrorCode.WaitBeforeRegistering ? 1 : 2,
        _ => 1, // FailFast, Halt
    };

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(5), "timed out waiting for the server");
            await Task.Delay(5);
        }
    }
}

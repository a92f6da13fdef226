using System.Net;
using System.Text;
using Interactions.Resilience.Classification.Internal;
using Interactions.Resilience.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Interactions.Resilience.Tests.Classification;

/// <summary>Meta's WhatsApp Cloud API error body, relayed by the vendor: recognized after the vendor's shapes, mapped by meaning.</summary>
public class MetaErrorClassificationTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    /// <summary>The table as the issue and docs/meta-errors.md state it: written out here, not read from the code under test.</summary>
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
        { 250, InteractionsErrorCode.PermissionsRemoved },
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

    private InteractionsErrorClassifier Classifier(bool recognizeMeta = true, IInteractionsErrorClassifier? custom = null)
        => new(_time, InteractionsErrorClassifier.DefaultMaxBodyBytes, custom, recognizeMeta);

    private static string MetaBody(int code, string details = "what Meta said", string type = "OAuthException") =>
        $$$"""{"error":{"message":"(#{{{code}}}) title","type":"{{{type}}}","code":{{{code}}},"error_data":{"messaging_product":"whatsapp","details":"{{{details}}}"},"error_subcode":2494055,"fbtrace_id":"Az8or2yhqkZfEZ-_4Qn_Bam"}}""";

    private async Task<InteractionsError> ClassifyAsync(HttpResponseMessage response, bool recognizeMeta = true, IInteractionsErrorClassifier? custom = null)
        => await Classifier(recognizeMeta, custom).ClassifyAsync(response) ?? throw new InvalidOperationException("not classified");

    [Theory]
    [MemberData(nameof(EveryTableRow))]
    public async Task Classify_MetaTableRow_ReturnsItsCatalogCode_AndKeepsMetasCodeAsRawCode(int metaCode, InteractionsErrorCode expected)
    {
        var error = await ClassifyAsync(Responses.Json(400, MetaBody(metaCode)));

        Assert.Equal(expected, error.Code);
        Assert.Equal(metaCode.ToString(System.Globalization.CultureInfo.InvariantCulture), error.RawCode);
        Assert.Equal(InteractionsErrorSource.Body, error.Source);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public void EveryTableRow_MatchesTheCodesTable()
    {
        // Each code the test lists maps as listed, and the table maps nothing the test does not list (in Meta's ranges).
        var listed = EveryTableRow().Select(row => (int)row[0]).ToHashSet();
        foreach (var meta in Enumerable.Range(0, 1000).Concat(Enumerable.Range(80000, 10)).Concat(Enumerable.Range(130000, 6000)))
        {
            if (MetaErrorTable.Map(meta) is not null && !(meta is >= 200 and <= 299))
            {
                Assert.Contains(meta, listed);
            }
        }
    }

    [Fact]
    public async Task Classify_IssueExample_RateLimitHit_Is030003WithMessageAndDetails()
    {
        const string body = """{"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429,"error_data":{"messaging_product":"whatsapp","details":"Cloud API message throughput has been reached."},"fbtrace_id":"AbCd"}}""";

        var error = await ClassifyAsync(Responses.Json(400, body));

        Assert.Equal(InteractionsErrorCode.RateLimitExceeded, error.Code);
        Assert.Equal("130429", error.RawCode);
        Assert.Equal("(#130429) Rate limit hit: Cloud API message throughput has been reached.", error.ServerMessage);
        Assert.Null(error.RetryAfter);
        Assert.Null(error.Scope);
    }

    [Theory]
    [InlineData(1)]          // API Unknown: deliberately unmapped
    [InlineData(131048)]     // spam rate limit: no wait of seconds lifts it
    [InlineData(135000)]
    [InlineData(999999)]
    [InlineData(2494055)]    // seven digits: beyond the vendor's codes, still Meta's
    public async Task Classify_MetaCodeNotInTable_Returns080001KeepingMetasCode(int metaCode)
    {
        var error = await ClassifyAsync(Responses.Json(400, MetaBody(metaCode)));

        Assert.Equal(InteractionsErrorCode.UnknownError, error.Code);
        Assert.Equal(metaCode.ToString(System.Globalization.CultureInfo.InvariantCulture), error.RawCode);
        Assert.Equal(InteractionsErrorSource.Body, error.Source);
    }

    [Theory]
    [InlineData("""{"error":{"code":130429,"type":"OAuthException"}}""")]                        // type only
    [InlineData("""{"error":{"code":130429,"fbtrace_id":"x"}}""")]                               // trace id only
    [InlineData("""{"error":{"fbtrace_id":"x","type":"GraphMethodException","code":130429}}""")] // code last
    [InlineData("""{"error":{"code":130429,"message":"(#130429) Rate limit hit","type":"FacebookApiException","error_data":"not an object"}}""")]
    public async Task Classify_MetaShapeWithTypeOrTraceId_IsRecognized(string json)
    {
        var error = await ClassifyAsync(Responses.Json(400, json));

        Assert.Equal(InteractionsErrorCode.RateLimitExceeded, error.Code);
        Assert.Equal("130429", error.RawCode);
    }

    [Theory]
    [InlineData("""{"error":{"code":130429,"message":"no marks"}}""")]                    // neither type nor trace id
    [InlineData("""{"error":{"code":130429,"type":"validation"}}""")]                     // a type that is not Meta's
    [InlineData("""{"error":{"code":"130429","type":"OAuthException","fbtrace_id":"x"}}""")] // Meta writes numbers, not strings
    [InlineData("""{"code":130429,"type":"OAuthException","fbtrace_id":"x"}""")]           // not inside "error"
    public async Task Classify_BodyWithoutMetasShape_IsTheVendorsUnknownCode(string json)
    {
        var error = await ClassifyAsync(Responses.Json(400, json));

        Assert.Equal(InteractionsErrorCode.UnknownError, error.Code);
        Assert.Equal("130429", error.RawCode);
    }

    [Fact]
    public async Task Classify_MetaLookingBodyWithCatalogCode_TheVendorsShapeWins()
    {
        var error = await ClassifyAsync(Responses.Json(400, """{"error":{"code":30004,"type":"OAuthException","fbtrace_id":"x","message":"vendor"}}"""));

        Assert.Equal(InteractionsErrorCode.UnsupportedMessageType, error.Code);
        Assert.Equal("030004", error.RawCode);
        Assert.Equal("vendor", error.ServerMessage);
    }

    [Fact]
    public async Task Classify_HeaderNamesCode_WinsOverMetaBody()
    {
        var response = Responses.Json(400, MetaBody(130429));
        response.Headers.Add(InteractionsHeaderNames.ErrorCode, "031006");

        var error = await ClassifyAsync(response);

        Assert.Equal(InteractionsErrorCode.TemplateIsPaused, error.Code);
        Assert.Equal(InteractionsErrorSource.Header, error.Source);
        Assert.Equal("031006", error.RawCode);
    }

    [Fact]
    public async Task Classify_OptionOff_MetaBodyIsTheVendorsUnknownCode()
    {
        var error = await ClassifyAsync(Responses.Json(400, MetaBody(131047)), recognizeMeta: false);

        Assert.Equal(InteractionsErrorCode.UnknownError, error.Code);
        Assert.Equal("131047", error.RawCode);
        Assert.Equal("(#131047) title", error.ServerMessage); // no details joined: the body is not read as Meta's
    }

    [Fact]
    public async Task Classify_OptionOff_SevenDigitMetaCode_FallsThroughToStatus()
    {
        var error = await ClassifyAsync(Responses.Json(503, MetaBody(2494055)), recognizeMeta: false);

        Assert.Equal(InteractionsErrorCode.ServiceUnavailable, error.Code);
        Assert.Equal(InteractionsErrorSource.StatusCode, error.Source);
    }

    [Theory]
    [InlineData("""{"error":{"code":130429,"type":"OAuthException" "fbtrace_id":"x"}}""")] // missing comma
    [InlineData("""{"error":{"code":130429,"type":"OAuthException","fbtrace_id":"x"}""")]  // unclosed
    [InlineData("""{"error":{"code":-130429,"type":"OAuthException"}}""")]                 // negative
    [InlineData("""{"error":{"code":130429.5,"type":"OAuthException"}}""")]                // not an integer
    [InlineData("""{"error":{"code":99999999999,"type":"OAuthException"}}""")]             // beyond an int
    [InlineData("""{"error":{"code":null,"type":"OAuthException","fbtrace_id":"x"}}""")]
    [InlineData("""{"error":{"type":"OAuthException","fbtrace_id":"x"}}""")]               // no code at all
    public async Task Classify_MalformedOrPartialMetaBody_FallsThroughToStatus(string json)
    {
        var error = await ClassifyAsync(Responses.Json(502, json));

        Assert.Equal(InteractionsErrorCode.ServerTemporarilyUnavailable, error.Code);
        Assert.Equal(InteractionsErrorSource.StatusCode, error.Source);
    }

    [Fact]
    public void Classify_MetaBodyCutByTheCap_KeepsWhatCameBeforeTheCut()
    {
        var body = Encoding.UTF8.GetBytes(MetaBody(131047, details: new string('x', 500)));
        using var response = Responses.Status(400);

        // The cap cuts inside details: the code and the type came first.
        var error = Classifier().Classify(response, body.AsSpan(0, 150), bodyIsComplete: false);

        Assert.Equal(InteractionsErrorCode.ReengagementMessage, error.Code);
        Assert.Equal("131047", error.RawCode);
    }

    [Fact]
    public async Task Classify_MetaBodyWithoutDetails_KeepsTheMessageAlone()
    {
        var error = await ClassifyAsync(Responses.Json(400, """{"error":{"message":"(#131026) Message Undeliverable","type":"OAuthException","code":131026,"fbtrace_id":"x"}}"""));

        Assert.Equal(InteractionsErrorCode.MessageUndeliverable, error.Code);
        Assert.Equal("(#131026) Message Undeliverable", error.ServerMessage);
    }

    [Fact]
    public async Task Classify_MetaBodyWithDetailsOnly_KeepsTheDetails()
    {
        var error = await ClassifyAsync(Responses.Json(400, """{"error":{"type":"OAuthException","code":131026,"error_data":{"details":"Unable to deliver message."}}}"""));

        Assert.Equal("Unable to deliver message.", error.ServerMessage);
    }

    [Theory]
    [InlineData(133009, "Two step verification PIN was entered too quickly. Please wait 45 seconds.", 45)]
    [InlineData(133015, "The phone number was recently deleted. Wait 5 minutes before re-trying the request.", 300)]
    [InlineData(133008, "Too many guesses. Try again in 2 hours.", 7200)]
    public async Task Classify_DetailsStateAWait_CountsAsRetryAfter(int metaCode, string details, int seconds)
    {
        var error = await ClassifyAsync(Responses.Json(400, MetaBody(metaCode, details)));

        Assert.Equal(TimeSpan.FromSeconds(seconds), error.RetryAfter);
    }

    [Fact]
    public async Task Classify_DetailsStateAWait_RetryAfterHeaderWins()
    {
        var response = Responses.Json(400, MetaBody(133009, "Please wait 45 seconds."));
        response.Headers.TryAddWithoutValidation("Retry-After", "3");

        Assert.Equal(TimeSpan.FromSeconds(3), (await ClassifyAsync(response)).RetryAfter);
    }

    [Theory]
    [InlineData(133009, "Two step verification PIN was entered too quickly.")] // no number
    [InlineData(133009, "Please wait 999999 hours.")]                         // beyond a day: not believed
    [InlineData(130429, "Please wait 5 minutes.")]                            // not a code whose details carry a wait
    [InlineData(131047, "more than 24 hours have passed since the customer last replied")]
    public async Task Classify_DetailsWithoutABelievableWait_LeaveRetryAfterNull(int metaCode, string details)
    {
        var error = await ClassifyAsync(Responses.Json(400, MetaBody(metaCode, details)));

        Assert.Null(error.RetryAfter);
    }

    [Fact]
    public async Task Classify_PairRateLimit_IsScopedToAHashOfTheRecipient()
    {
        var a = await ClassifyAsync(PairLimitFor("""{"messaging_product":"whatsapp","to":"+1 555-0100","type":"text"}"""));
        var sameNumber = await ClassifyAsync(PairLimitFor("""{"to":"15550100"}"""));
        var other = await ClassifyAsync(PairLimitFor("""{"to":"+15550199"}"""));

        Assert.Equal(InteractionsErrorCode.RateLimitExceeded, a.Code);
        Assert.Equal("131056", a.RawCode);
        Assert.NotNull(a.Scope);
        Assert.StartsWith("recipient:", a.Scope, StringComparison.Ordinal);
        Assert.Equal(22, a.Scope!.Length); // "recipient:" and 12 hex digits
        Assert.DoesNotContain("5550100", a.Scope, StringComparison.Ordinal);
        Assert.Equal(a.Scope, sameNumber.Scope);
        Assert.NotEqual(a.Scope, other.Scope);
    }

    [Fact]
    public void Classify_PairRateLimit_ScopeIsStableAcrossProcesses()
    {
        // A fixed value: instances sharing pauses through Redis must agree on it (SHA-256 of "15550100", first 6 bytes).
        Assert.Equal("recipient:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("15550100"u8)[..6]), RecipientScope.ForRecipient("+1 555 0100"));
    }

    [Fact]
    public async Task Classify_PairRateLimit_StreamedRequestContent_GivesNoScope_AndIsNotConsumed()
    {
        var stream = new MemoryStream(Encoding.UTF8.GetBytes("""{"to":"+15550100"}"""));
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://api.example/v1/messages") { Content = new StreamContent(stream) };
        var response = Responses.Json(400, MetaBody(131056));
        response.RequestMessage = request;

        var error = await ClassifyAsync(response);

        Assert.Equal(InteractionsErrorCode.RateLimitExceeded, error.Code);
        Assert.Null(error.Scope);
        Assert.Equal(0, stream.Position);
    }

    [Theory]
    [InlineData("""{"text":"no recipient"}""")]
    [InlineData("""{"to":15550100}""")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task Classify_PairRateLimit_RequestWithoutReadableRecipient_GivesNoScope(string requestBody)
    {
        var error = await ClassifyAsync(PairLimitFor(requestBody));

        Assert.Null(error.Scope);
    }

    [Fact]
    public async Task Classify_PairRateLimit_RequestContentStaysSendable()
    {
        var response = PairLimitFor("""{"to":"+15550100"}""");

        await ClassifyAsync(response);

        Assert.Equal("""{"to":"+15550100"}""", await response.RequestMessage!.Content!.ReadAsStringAsync());
    }

    [Fact]
    public async Task Classify_ThroughputLimit_IsNotScopedToTheRecipient()
    {
        var response = Responses.Json(400, MetaBody(130429));
        response.RequestMessage = new HttpRequestMessage(HttpMethod.Post, "https://api.example/v1/messages") { Content = new StringContent("""{"to":"+15550100"}""") };

        Assert.Null((await ClassifyAsync(response)).Scope);
    }

    [Fact]
    public async Task Classify_CustomClassifierRemapsMetaCode_KeepsMetasCodeAsRawCode()
    {
        var custom = new DelegateClassifier((_, body) => body.AsSpan().IndexOf("131047"u8) >= 0 ? InteractionsErrorCode.RateLimitExceeded : null);

        var error = await ClassifyAsync(Responses.Json(400, MetaBody(131047)), custom: custom);

        Assert.Equal(InteractionsErrorCode.RateLimitExceeded, error.Code);
        Assert.Equal(InteractionsErrorSource.Custom, error.Source);
        Assert.Equal("131047", error.RawCode);
    }

    [Fact]
    public async Task Classify_CustomClassifierMapsVendorCode_KeepsTheVendorsCodeAsRawCode()
    {
        var custom = new DelegateClassifier((_, _) => InteractionsErrorCode.RateLimitExceeded);

        var error = await ClassifyAsync(Responses.Json(400, """{"code":"010001","message":"QUOTA"}"""), custom: custom);

        Assert.Equal(InteractionsErrorCode.RateLimitExceeded, error.Code);
        Assert.Equal("010001", error.RawCode);
    }

    [Fact]
    public async Task Classify_CustomClassifierOnBareStatus_RawCodeIsTheCustomCode()
    {
        var custom = new DelegateClassifier((_, _) => InteractionsErrorCode.RateLimitExceeded);

        var error = await ClassifyAsync(Responses.Status(400), custom: custom);

        Assert.Equal("030003", error.RawCode); // the server named no code
    }

    private static HttpResponseMessage PairLimitFor(string requestBody)
    {
        var response = Responses.Json(400, MetaBody(131056));
        response.RequestMessage = new HttpRequestMessage(HttpMethod.Post, "https://api.example/v1/messages") { Content = new StringContent(requestBody, Encoding.UTF8, "application/json") };
        return response;
    }

    private sealed class DelegateClassifier(Func<HttpResponseMessage, byte[], InteractionsErrorCode?> classify) : IInteractionsErrorClassifier
    {
        public InteractionsErrorCode? Classify(HttpResponseMessage response, ReadOnlySpan<byte> body) => classify(response, body.ToArray());
    }
}

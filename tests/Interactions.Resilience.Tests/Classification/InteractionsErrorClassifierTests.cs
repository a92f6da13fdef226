using System.Net;
using System.Text;
using Interactions.Resilience.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Interactions.Resilience.Tests.Classification;

public class InteractionsErrorClassifierTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    private InteractionsErrorClassifier Classifier(int maxBodyBytes = InteractionsErrorClassifier.DefaultMaxBodyBytes, IInteractionsErrorClassifier? custom = null)
        => new(_time, maxBodyBytes, custom);

    private async Task<InteractionsError> ClassifyAsync(HttpResponseMessage response)
        => await Classifier().ClassifyAsync(response) ?? throw new InvalidOperationException("not classified");

    [Theory]
    [InlineData("""{"error":{"code":"031002","title":"Template Not Exist","message":"no such template"}}""")]
    [InlineData("""{"code":"031002","message":"no such template"}""")]
    [InlineData("""{"errorCode":"031002","message":"no such template"}""")]
    [InlineData("""{"error":{"code":31002,"message":"no such template"}}""")]
    [InlineData("""{"code":31002,"message":"no such template"}""")]
    [InlineData("""{"errorCode":31002,"message":"no such template"}""")]
    [InlineData("""{"errorCode":"31002","message":"no such template"}""")]
    [InlineData("""  {"requestId":"r-1","details":[1,{"a":null}],"error":{"message":"no such template","code":"031002"}}""")]
    public async Task Classify_EveryBodyShape_ReturnsCodeAndServerMessage(string json)
    {
        var error = await ClassifyAsync(Responses.Json(404, json));

        Assert.Equal(InteractionsErrorCode.TemplateNotExist, error.Code);
        Assert.Equal(InteractionsErrorCategory.Template, error.Category);
        Assert.Equal("Template Not Exist", error.Title);
        Assert.Equal("no such template", error.ServerMessage);
        Assert.Equal("031002", error.RawCode);
        Assert.Equal(InteractionsErrorSource.Body, error.Source);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Classify_RateLimitIn400Body_Returns030003()
    {
        var error = await ClassifyAsync(Responses.Json(400, Responses.ErrorBody("030003")));

        Assert.Equal(InteractionsErrorCode.RateLimitExceeded, error.Code);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task Classify_HeaderNamesCode_WinsOverBodyAndStatus_AndKeepsBodyMessage()
    {
        var response = Responses.Json(500, """{"code":"060001","message":"from the body"}""");
        response.Headers.Add(InteractionsHeaderNames.ErrorCode, "031006");

        var error = await ClassifyAsync(response);

        Assert.Equal(InteractionsErrorCode.TemplateIsPaused, error.Code);
        Assert.Equal(InteractionsErrorSource.Header, error.Source);
        Assert.Equal("from the body", error.ServerMessage);
    }

    [Fact]
    public async Task Classify_MalformedHeader_FallsThroughToBody()
    {
        var response = Responses.Json(400, """{"code":"020004"}""");
        response.Headers.TryAddWithoutValidation(InteractionsHeaderNames.ErrorCode, "not-a-code");

        var error = await ClassifyAsync(response);

        Assert.Equal(InteractionsErrorCode.TwoStepVerificationPinMismatch, error.Code);
        Assert.Equal(InteractionsErrorSource.Body, error.Source);
    }

    [Theory]
    [InlineData("""{"code":"099999"}""", "099999")]
    [InlineData("""{"code":99999}""", "99999")]
    [InlineData("""{"error":{"code":"031007"}}""", "031007")]
    public async Task Classify_WellFormedCodeNotInCatalog_Returns080001WithRawText(string json, string raw)
    {
        var error = await ClassifyAsync(Responses.Json(400, json));

        Assert.Equal(InteractionsErrorCode.UnknownError, error.Code);
        Assert.Equal(raw, error.RawCode);
        Assert.Equal(InteractionsErrorSource.Body, error.Source);
    }

    [Fact]
    public async Task Classify_UnknownCodeInHeader_Returns080001WithRawText()
    {
        var response = Responses.Status(503);
        response.Headers.Add(InteractionsHeaderNames.ErrorCode, "091234");

        var error = await ClassifyAsync(response);

        Assert.Equal(InteractionsErrorCode.UnknownError, error.Code);
        Assert.Equal("091234", error.RawCode);
    }

    [Theory]
    [InlineData("""{"code":"0310020"}""")]          // seven digits
    [InlineData("""{"code":"31O02"}""")]            // letter O
    [InlineData("""{"code":-31002}""")]
    [InlineData("""{"code":31002.5}""")]
    [InlineData("""{"code":true}""")]
    [InlineData("""{"code":{"value":"031002"}}""")]
    [InlineData("""{"code":""}""")]
    public async Task Classify_CodeNotWellFormed_FallsThroughToStatus(string json)
    {
        var error = await ClassifyAsync(Responses.Json(503, json));

        Assert.Equal(InteractionsErrorCode.ServiceUnavailable, error.Code);
        Assert.Equal(InteractionsErrorSource.StatusCode, error.Source);
    }

    [Theory]
    [InlineData("""{"code":"031002",""")]                  // truncated
    [InlineData("""{"code":"031002","message":"abc""")]    // truncated inside a string
    [InlineData("""{"code":"031002" "message":"x"}""")]    // missing comma
    [InlineData("""{code:"031002"}""")]                    // unquoted name
    [InlineData("""{"code":"031002"}}}}""")]               // trailing garbage
    [InlineData("{")]
    public async Task Classify_MalformedOrTruncatedJson_FallsThroughToStatus(string json)
    {
        var error = await ClassifyAsync(Responses.Json(502, json));

        Assert.Equal(InteractionsErrorCode.ServerTemporarilyUnavailable, error.Code);
        Assert.Equal(InteractionsErrorSource.StatusCode, error.Source);
        Assert.Null(error.ServerMessage);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("application/octet-stream")]
    [InlineData(null)]
    public async Task Classify_JsonBodyWithWrongContentType_IsStillParsed(string? contentType)
    {
        var response = Responses.Bytes(400, Encoding.UTF8.GetBytes(Responses.ErrorBody("031006")), contentType);

        var error = await ClassifyAsync(response);

        Assert.Equal(InteractionsErrorCode.TemplateIsPaused, error.Code);
    }

    [Fact]
    public async Task Classify_JsonBodyWithByteOrderMarkAndWhitespace_IsParsed()
    {
        var body = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("\r\n  " + Responses.ErrorBody("040003"))).ToArray();

        var error = await ClassifyAsync(Responses.Bytes(403, body));

        Assert.Equal(InteractionsErrorCode.IncorrectCertificate, error.Code);
    }

    [Theory]
    [InlineData("<html><body>502 Bad Gateway</body></html>", 502, InteractionsErrorCode.ServerTemporarilyUnavailable)]
    [InlineData("Too many requests", 429, InteractionsErrorCode.RateLimitExceeded)]
    [InlineData("[\"031002\"]", 400, InteractionsErrorCode.InvalidRequest)]
    [InlineData("", 401, InteractionsErrorCode.InvalidCredentials)]
    public async Task Classify_NonJsonOrEmptyBody_UsesStatusTable(string body, int status, InteractionsErrorCode expected)
    {
        var error = await ClassifyAsync(Responses.Bytes(status, Encoding.UTF8.GetBytes(body), "text/html"));

        Assert.Equal(expected, error.Code);
        Assert.Equal(InteractionsErrorSource.StatusCode, error.Source);
    }

    [Fact]
    public async Task Classify_ResponseWithoutContent_UsesStatusTable()
    {
        var response = new HttpResponseMessage(HttpStatusCode.Forbidden);

        var error = await ClassifyAsync(response);

        Assert.Equal(InteractionsErrorCode.PermissionDenied, error.Code);
    }

    [Fact]
    public async Task Classify_NonUtf8BytesInMessage_KeepsCodeAndDropsMessage()
    {
        var body = Encoding.UTF8.GetBytes("""{"code":"032001","message":"ab""")
            .Concat(new byte[] { 0xFF, 0xFE, 0xC3 })
            .Concat(Encoding.UTF8.GetBytes("\"}"))
            .ToArray();

        var error = await ClassifyAsync(Responses.Bytes(500, body));

        Assert.Equal(InteractionsErrorCode.MediaDownloadError, error.Code);
        Assert.Null(error.ServerMessage);
    }

    [Fact]
    public async Task Classify_BinaryGarbageBody_UsesStatusTable()
    {
        var body = new byte[] { 0x7B, 0xFF, 0x00, 0xC3, 0x28, 0xA0, 0xA1, 0x7D };

        var error = await ClassifyAsync(Responses.Bytes(500, body, "application/json"));

        Assert.Equal(InteractionsErrorCode.InternalServerError, error.Code);
    }

    [Fact]
    public async Task Classify_8MegabyteBody_ReadsOnlyTheCap_AndLeavesWholeBodyReadable()
    {
        const long length = 8L * 1024 * 1024;
        var prefix = Encoding.UTF8.GetBytes("""{"code":"060004","message":"busy","padding":" """);
        var source = new GeneratedStream(prefix, length);
        var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StreamContent(source) };
        response.Content.Headers.ContentType = new("application/json");

        var before = GC.GetAllocatedBytesForCurrentThread();
        var classification = Classifier().ClassifyAsync(response);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(classification.IsCompleted, "the generated body is synchronous, so classification completes on this thread");
        var error = await classification;

        Assert.Equal(InteractionsErrorCode.ServerOverloaded, error!.Code);
        Assert.Equal("busy", error.ServerMessage);
        Assert.InRange(source.BytesRead, 1, InteractionsErrorClassifier.DefaultMaxBodyBytes);
        Assert.InRange(allocated, 0, 512 * 1024); // the cap's buffer and a copy, not the 8 MB body

        // The caller still gets every byte, from the first.
        using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[81920];
        long total = 0;
        var first = new byte[prefix.Length];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            if (total < prefix.Length)
            {
                Array.Copy(buffer, 0, first, total, Math.Min(n, prefix.Length - (int)total));
            }

            total += n;
        }

        Assert.Equal(length, total);
        Assert.Equal(prefix, first);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Classify_EndlessBody_ReturnsAfterTheCap()
    {
        var source = new GeneratedStream(Encoding.UTF8.GetBytes("""{"error":{"code":"060002","message":"down","x":" """), long.MaxValue);
        var response = new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StreamContent(source) };

        var error = await Classifier(maxBodyBytes: 4096).ClassifyAsync(response);

        Assert.Equal(InteractionsErrorCode.ServiceUnavailable, error!.Code);
        Assert.Equal(4096, source.BytesRead);
    }

    [Fact]
    public async Task Classify_CodeAfterTheCap_FallsThroughToStatus()
    {
        var json = """{"padding":" """ + new string('x', 5000) + """ ","code":"031002"}""";

        var error = await Classifier(maxBodyBytes: 1024).ClassifyAsync(Responses.Json(400, json));

        Assert.Equal(InteractionsErrorCode.InvalidRequest, error!.Code);
        Assert.Equal(InteractionsErrorSource.StatusCode, error.Source);
    }

    [Fact]
    public async Task Classify_SmallBody_StaysReadableForTheCaller()
    {
        var json = Responses.ErrorBody("031001", "count mismatch");
        var response = Responses.Json(400, json);

        await ClassifyAsync(response);

        Assert.Equal(json, await response.Content.ReadAsStringAsync());
        Assert.Equal(Encoding.UTF8.GetByteCount(json), response.Content.Headers.ContentLength);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(204)]
    [InlineData(302)]
    [InlineData(304)]
    [InlineData(101)]
    [InlineData(399)]
    public async Task Classify_StatusBelow400_ReturnsNullWithoutReadingBody(int status)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new ThrowingContent() };

        var error = await Classifier().ClassifyAsync(response);

        Assert.Null(error);
    }

    [Theory]
    [InlineData(400, InteractionsErrorCode.InvalidRequest)]
    [InlineData(401, InteractionsErrorCode.InvalidCredentials)]
    [InlineData(403, InteractionsErrorCode.PermissionDenied)]
    [InlineData(405, InteractionsErrorCode.MethodNotAllowed)]
    [InlineData(429, InteractionsErrorCode.RateLimitExceeded)]
    [InlineData(500, InteractionsErrorCode.InternalServerError)]
    [InlineData(502, InteractionsErrorCode.ServerTemporarilyUnavailable)]
    [InlineData(503, InteractionsErrorCode.ServiceUnavailable)]
    [InlineData(504, InteractionsErrorCode.ServerTemporarilyUnavailable)]
    [InlineData(402, InteractionsErrorCode.InvalidRequest)]
    [InlineData(404, InteractionsErrorCode.InvalidRequest)]
    [InlineData(409, InteractionsErrorCode.InvalidRequest)]
    [InlineData(499, InteractionsErrorCode.InvalidRequest)]
    [InlineData(501, InteractionsErrorCode.InternalServerError)]
    [InlineData(505, InteractionsErrorCode.InternalServerError)]
    [InlineData(599, InteractionsErrorCode.InternalServerError)]
    [InlineData(600, InteractionsErrorCode.InternalServerError)]
    public async Task Classify_StatusOnly_FollowsStatusTable(int status, InteractionsErrorCode expected)
    {
        var error = await ClassifyAsync(Responses.Status(status));

        Assert.Equal(expected, error.Code);
        Assert.Equal(InteractionsErrorSource.StatusCode, error.Source);
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
    }

    [Fact]
    public async Task Classify_RetryAfterDeltaSeconds_IsRead()
    {
        var response = Responses.Status(429);
        response.Headers.TryAddWithoutValidation("Retry-After", "7");

        Assert.Equal(TimeSpan.FromSeconds(7), (await ClassifyAsync(response)).RetryAfter);
    }

    [Fact]
    public async Task Classify_RetryAfterHttpDate_IsMeasuredFromTheInjectedClock()
    {
        var response = Responses.Status(429);
        response.Headers.TryAddWithoutValidation("Retry-After", _time.GetUtcNow().AddSeconds(42).ToString("R"));

        Assert.Equal(TimeSpan.FromSeconds(42), (await ClassifyAsync(response)).RetryAfter);
    }

    [Fact]
    public async Task Classify_RetryAfterDateInThePast_IsZero()
    {
        var response = Responses.Status(503);
        response.Headers.TryAddWithoutValidation("Retry-After", _time.GetUtcNow().AddMinutes(-5).ToString("R"));

        Assert.Equal(TimeSpan.Zero, (await ClassifyAsync(response)).RetryAfter);
    }

    [Theory]
    [InlineData("1500", 1500)]
    [InlineData("0.5", 0.5)]
    [InlineData("-20", 0)]
    [InlineData("0", 0)]
    public async Task Classify_RetryAfterMs_IsRead_NegativeIsZero(string value, double expectedMs)
    {
        var response = Responses.Status(429);
        response.Headers.TryAddWithoutValidation(InteractionsHeaderNames.RetryAfterMs, value);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), (await ClassifyAsync(response)).RetryAfter);
    }

    [Fact]
    public async Task Classify_RetryAfterMsAndRetryAfter_MillisecondsWin()
    {
        var response = Responses.Status(429);
        response.Headers.TryAddWithoutValidation(InteractionsHeaderNames.RetryAfterMs, "250");
        response.Headers.TryAddWithoutValidation("Retry-After", "9");

        Assert.Equal(TimeSpan.FromMilliseconds(250), (await ClassifyAsync(response)).RetryAfter);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("")]
    [InlineData("Tuesday at noon")]
    public async Task Classify_GarbageRetryAfter_IsIgnored(string value)
    {
        var response = Responses.Status(429);
        response.Headers.TryAddWithoutValidation("Retry-After", value);
        response.Headers.TryAddWithoutValidation(InteractionsHeaderNames.RetryAfterMs, "never");

        var error = await ClassifyAsync(response);

        Assert.Equal(InteractionsErrorCode.RateLimitExceeded, error.Code);
        Assert.Null(error.RetryAfter);
    }

    [Fact]
    public async Task Classify_AbsurdRetryAfter_IsKeptForThePolicyToJudge()
    {
        var response = Responses.Status(429);
        response.Headers.TryAddWithoutValidation("Retry-After", "999999999");

        Assert.Equal(TimeSpan.FromSeconds(999999999), (await ClassifyAsync(response)).RetryAfter);
    }

    [Fact]
    public async Task Classify_NoRetryAfter_IsNull()
    {
        Assert.Null((await ClassifyAsync(Responses.Status(503))).RetryAfter);
    }

    [Fact]
    public async Task Classify_CustomClassifierNamesCode_WinsOverDefaultRules()
    {
        var custom = new DelegateClassifier((_, body) => body.IndexOf("QUOTA"u8) >= 0 ? InteractionsErrorCode.RateLimitExceeded : null);
        var response = Responses.Json(400, """{"code":"010001","message":"QUOTA exhausted"}""");

        var error = await Classifier(custom: custom).ClassifyAsync(response);

        Assert.Equal(InteractionsErrorCode.RateLimitExceeded, error!.Code);
        Assert.Equal(InteractionsErrorSource.Custom, error.Source);
        Assert.Equal("QUOTA exhausted", error.ServerMessage);
    }

    [Fact]
    public async Task Classify_CustomClassifierDefers_DefaultRulesApply()
    {
        var custom = new DelegateClassifier((_, _) => null);

        var error = await Classifier(custom: custom).ClassifyAsync(Responses.Json(400, Responses.ErrorBody("031003")));

        Assert.Equal(InteractionsErrorCode.HydratedTextTooLong, error!.Code);
        Assert.Equal(InteractionsErrorSource.Body, error.Source);
    }

    [Fact]
    public void ClassifyTransportFailure_Is060002WithTheCause()
    {
        var cause = new HttpRequestException(HttpRequestError.ConnectionError, "refused");

        var error = InteractionsErrorClassifier.ClassifyTransportFailure(cause);

        Assert.Equal(InteractionsErrorCode.ServiceUnavailable, error.Code);
        Assert.Equal(InteractionsErrorSource.Transport, error.Source);
        Assert.Same(cause, error.Exception);
        Assert.Null(error.StatusCode);
    }

    [Fact]
    public void Constructor_NegativeBodyCap_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InteractionsErrorClassifier(_time, maxBodyBytes: -1));
    }

    [Fact]
    public async Task ClassifyAsync_NullResponse_ThrowsArgumentNullException()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await Classifier().ClassifyAsync(null!));
    }

    [Fact]
    public void Classify_NullResponse_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => Classifier().Classify(null!, "{}"u8));
    }

    [Fact]
    public void ClassifyTransportFailure_NullException_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => InteractionsErrorClassifier.ClassifyTransportFailure(null!));
    }

    [Fact]
    public void Classify_WithoutHeaders_ReadsTheBodyAndNoWait()
    {
        // The internal overload the benchmarks call: no headers means no Retry-After, not a failure.
        var error = Classifier().Classify(HttpStatusCode.TooManyRequests, headers: null, Encoding.UTF8.GetBytes(Responses.ErrorBody("030003")), bodyIsComplete: true);

        Assert.Equal(InteractionsErrorCode.RateLimitExceeded, error.Code);
        Assert.Equal(InteractionsErrorSource.Body, error.Source);
        Assert.Null(error.RetryAfter);
    }

    [Theory]
    [InlineData("31006")]
    [InlineData(" 031006 ")]
    public async Task Classify_HeaderCatalogCodeWrittenLoosely_RawCodeIsItsSixDigits(string header)
    {
        var response = Responses.Status(400);
        response.Headers.TryAddWithoutValidation(InteractionsHeaderNames.ErrorCode, header);

        var error = await ClassifyAsync(response);

        Assert.Equal(InteractionsErrorCode.TemplateIsPaused, error.Code);
        Assert.Equal("031006", error.RawCode);
    }

    [Fact]
    public async Task Classify_UnknownHeaderCodeWithoutLeadingZero_KeepsTheRawTextAsSent()
    {
        var response = Responses.Status(503);
        response.Headers.TryAddWithoutValidation(InteractionsHeaderNames.ErrorCode, "91234");

        var error = await ClassifyAsync(response);

        Assert.Equal(InteractionsErrorCode.UnknownError, error.Code);
        Assert.Equal("91234", error.RawCode);
    }

    [Fact]
    public async Task Classify_CustomClassifierNamesCodeNotInCatalog_Is080001WithThatCodeAsRawCode()
    {
        var custom = new DelegateClassifier((_, _) => (InteractionsErrorCode)99999);

        var error = await Classifier(custom: custom).ClassifyAsync(Responses.Status(400));

        Assert.Equal(InteractionsErrorCode.UnknownError, error!.Code);
        Assert.Equal(InteractionsErrorSource.Custom, error.Source);
        Assert.Equal("099999", error.RawCode);
    }

    private sealed class DelegateClassifier(Func<HttpResponseMessage, byte[], InteractionsErrorCode?> classify) : IInteractionsErrorClassifier
    {
        public InteractionsErrorCode? Classify(HttpResponseMessage response, ReadOnlySpan<byte> body) => classify(response, body.ToArray());
    }
}

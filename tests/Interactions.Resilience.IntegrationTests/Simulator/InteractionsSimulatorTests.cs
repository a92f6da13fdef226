using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Interactions.Resilience.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Interactions.Resilience.IntegrationTests.Simulator;

/// <summary>Drives the simulator with a plain <see cref="HttpClient"/>: no resilience handler in between.</summary>
public sealed class InteractionsSimulatorTests : IAsyncLifetime
{
    private readonly InteractionsSimulator _simulator = InteractionsSimulator.Start();
    private readonly HttpClient _client;

    public InteractionsSimulatorTests() => _client = new HttpClient { BaseAddress = _simulator.BaseAddress };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _simulator.DisposeAsync();
    }

    // ---- default behaviour ----

    [Fact]
    public void Start_BaseAddress_IsLoopbackWithAPort()
    {
        Assert.Equal("http", _simulator.BaseAddress.Scheme);
        Assert.Equal("127.0.0.1", _simulator.BaseAddress.Host);
        Assert.True(_simulator.BaseAddress.Port > 0);
        Assert.EndsWith("/", _simulator.BaseAddress.AbsoluteUri);
    }

    [Fact]
    public async Task Default_PostMessages_Answers200WithNumberedMessageIds()
    {
        using var first = await SendMessageAsync();
        using var second = await SendMessageAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("application/json", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"id":"msg_1"}""", await first.Content.ReadAsStringAsync());
        Assert.Equal("""{"id":"msg_2"}""", await second.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("GET", "v1/messages")]
    [InlineData("GET", "v1/templates/welcome")]
    [InlineData("DELETE", "v1/media/42")]
    [InlineData("PUT", "anything/at/all")]
    public async Task Default_AnyOtherRequest_Answers200WithOkTrue(string method, string path)
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"ok":true}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Default_RepeatedIdempotencyKey_AnswersTheMessageItAlreadyCreated()
    {
        using var first = await SendMessageAsync("key-a");
        using var again = await SendMessageAsync("key-a");
        using var other = await SendMessageAsync("key-b");

        Assert.Equal("""{"id":"msg_1"}""", await first.Content.ReadAsStringAsync());
        Assert.Equal("""{"id":"msg_1"}""", await again.Content.ReadAsStringAsync());
        Assert.Equal("""{"id":"msg_2"}""", await other.Content.ReadAsStringAsync());
    }

    // ---- FailNext: the three forms ----

    [Theory]
    [InlineData(InteractionsErrorCode.TemplateIsPaused, 400)]
    [InlineData(InteractionsErrorCode.TokenExpired, 401)]
    [InlineData(InteractionsErrorCode.InternalServerError, 500)]
    [InlineData(InteractionsErrorCode.MediaUploadError, 502)]
    [InlineData(InteractionsErrorCode.ReengagementMessage, 400)]
    public async Task FailNext_BodyForm_AnswersCatalogTitleAndMessage(InteractionsErrorCode code, int status)
    {
        _simulator.FailNext(1, code);

        using var response = await SendMessageAsync();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains(InteractionsHeaderNames.ErrorCode));
        Assert.Null(response.Headers.RetryAfter);
        var error = await ReadErrorAsync(response);
        var entry = InteractionsErrorCatalog.Get(code);
        Assert.Equal(entry.FormattedCode, error.Code);
        Assert.Equal(entry.Title, error.Title);
        Assert.Equal(entry.Message, error.Message);
    }

    [Theory]
    [InlineData(InteractionsErrorCode.TemplateIsPaused, "031006", 400)]
    [InlineData(InteractionsErrorCode.PermissionDenied, "040001", 403)]
    [InlineData(InteractionsErrorCode.ServiceUnavailable, "060002", 503)]
    public async Task FailNext_HeaderForm_AnswersCodeInHeaderWithNonJsonBody(InteractionsErrorCode code, string sixDigits, int status)
    {
        _simulator.FailNext(1, code, InteractionsErrorForm.Header);

        using var response = await SendMessageAsync();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(sixDigits, Assert.Single(response.Headers.GetValues(InteractionsHeaderNames.ErrorCode)));
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(InteractionsErrorCatalog.Get(code).Title, body);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Theory]
    [InlineData(InteractionsErrorCode.TemplateNotExist, 400)]
    [InlineData(InteractionsErrorCode.MethodNotAllowed, 405)]
    [InlineData(InteractionsErrorCode.BusinessEligibilityPaymentIssue, 402)]
    [InlineData(InteractionsErrorCode.ServerTemporarilyUnavailable, 502)]
    public async Task FailNext_StatusOnlyForm_AnswersBareStatusWithEmptyBody(InteractionsErrorCode code, int status)
    {
        _simulator.FailNext(1, code, InteractionsErrorForm.StatusOnly);

        using var response = await SendMessageAsync();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.False(response.Headers.Contains(InteractionsHeaderNames.ErrorCode));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(InteractionsErrorForm.Body)]
    [InlineData(InteractionsErrorForm.Header)]
    [InlineData(InteractionsErrorForm.StatusOnly)]
    public async Task FailNext_RetryAfter_AnswersWholeSecondsRoundedUpInEveryForm(InteractionsErrorForm form)
    {
        _simulator.FailNext(1, InteractionsErrorCode.ServerOverloaded, form, retryAfter: TimeSpan.FromMilliseconds(2_100));
        _simulator.FailNext(1, InteractionsErrorCode.ServerOverloaded, form, retryAfter: TimeSpan.FromSeconds(3));

        using var rounded = await SendMessageAsync();
        using var exact = await SendMessageAsync();

        Assert.Equal(TimeSpan.FromSeconds(3), rounded.Headers.RetryAfter?.Delta);
        Assert.Equal(TimeSpan.FromSeconds(3), exact.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task FailNext_StatusCodeGiven_AnswersThatStatusWithTheCodeInTheBody()
    {
        _simulator.FailNext(1, InteractionsErrorCode.RateLimitExceeded, statusCode: 400);

        using var response = await SendMessageAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("030003", (await ReadErrorAsync(response)).Code);
    }

    [Fact]
    public async Task FailNext_CodeOutsideTheCatalog_AnswersItAsSixDigitsWithStatus500()
    {
        _simulator.FailNext(1, (InteractionsErrorCode)99_999);

        using var response = await SendMessageAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var error = await ReadErrorAsync(response);
        Assert.Equal("099999", error.Code);
        Assert.Equal("Undocumented Error", error.Title);
    }

    [Fact]
    public async Task FailNext_QueuedScripts_AnswerInOrderThenSucceed()
    {
        _simulator.FailNext(2, InteractionsErrorCode.InternalServerError);
        _simulator.FailNext(1, InteractionsErrorCode.TemplateIsPaused, InteractionsErrorForm.Header);

        var answers = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await SendMessageAsync();
            answers.Add(response.Headers.TryGetValues(InteractionsHeaderNames.ErrorCode, out var header)
                ? $"{(int)response.StatusCode} {header.Single()}"
                : response.IsSuccessStatusCode
                    ? $"{(int)response.StatusCode}"
                    : $"{(int)response.StatusCode} {(await ReadErrorAsync(response)).Code}");
        }

        Assert.Equal(new[] { "500 060001", "500 060001", "400 031006", "200", "200" }, answers);
    }

    [Fact]
    public async Task FailNext_ConcurrentRequests_EachScriptedAnswerIsUsedExactlyOnce()
    {
        _simulator.FailNext(10, InteractionsErrorCode.ServiceUnavailable);

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => SendMessageAsync()));

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.ServiceUnavailable));
        Assert.Equal(20, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(30, _simulator.RequestCount);
        DisposeAll(responses);
    }

    [Fact]
    public void FailNext_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _simulator.FailNext(-1, InteractionsErrorCode.UnknownError));
        Assert.Throws<ArgumentOutOfRangeException>(() => _simulator.FailNext(1, (InteractionsErrorCode)1_000_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => _simulator.FailNext(1, InteractionsErrorCode.UnknownError, (InteractionsErrorForm)42));
        Assert.Throws<ArgumentOutOfRangeException>(() => _simulator.FailNext(1, InteractionsErrorCode.UnknownError, retryAfter: TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => _simulator.FailNext(1, InteractionsErrorCode.UnknownError, statusCode: 600));
        Assert.Throws<ArgumentOutOfRangeException>(() => _simulator.RateLimit(0));
    }

    // ---- StatusCodeFor ----

    [Theory]
    [MemberData(nameof(VendorStatuses))]
    public void StatusCodeFor_EveryCatalogCode_AnswersTheVendorStatus(InteractionsErrorCode code, int status)
        => Assert.Equal(status, InteractionsSimulator.StatusCodeFor(code));

    [Fact]
    public void StatusCodeFor_Table_CoversTheWholeCatalog()
        => Assert.Equal(
            InteractionsErrorCatalog.All.Select(e => e.Code).Order(),
            VendorStatuses().Select(row => (InteractionsErrorCode)row[0]).Order());

    public static TheoryData<InteractionsErrorCode, int> VendorStatuses() => new()
    {
        { InteractionsErrorCode.InvalidRequest, 400 },
        { InteractionsErrorCode.TemporarilyBlocked, 400 },
        { InteractionsErrorCode.AccountLocked, 400 },
        { InteractionsErrorCode.RecipientCannotBeSender, 400 },
        { InteractionsErrorCode.MessageUndeliverable, 400 },
        { InteractionsErrorCode.AccountInactive, 400 },
        { InteractionsErrorCode.TokenExpired, 401 },
        { InteractionsErrorCode.InvalidCredentials, 401 },
        { InteractionsErrorCode.UnauthorizedAccess, 401 },
        { InteractionsErrorCode.TwoStepVerificationPinMismatch, 400 },
        { InteractionsErrorCode.PhoneNumberReVerificationNeeded, 400 },
        { InteractionsErrorCode.PhoneNumberNotRegistered, 400 },
        { InteractionsErrorCode.WaitBeforeRegistering, 400 },
        { InteractionsErrorCode.TwoStepPinGuessedTooFast, 400 },
        { InteractionsErrorCode.MethodNotAllowed, 405 },
        { InteractionsErrorCode.InvalidParameters, 400 },
        { InteractionsErrorCode.RateLimitExceeded, 429 },
        { InteractionsErrorCode.UnsupportedMessageType, 400 },
        { InteractionsErrorCode.PhoneNumberDeleted, 400 },
        { InteractionsErrorCode.ParameterCountMismatch, 400 },
        { InteractionsErrorCode.TemplateNotExist, 400 },
        { InteractionsErrorCode.HydratedTextTooLong, 400 },
        { InteractionsErrorCode.FormatCharacterPolicyViolated, 400 },
        { InteractionsErrorCode.ParameterFormatMismatch, 400 },
        { InteractionsErrorCode.TemplateIsPaused, 400 },
        { InteractionsErrorCode.MediaDownloadError, 502 },
        { InteractionsErrorCode.MediaUploadError, 502 },
        { InteractionsErrorCode.PermissionDenied, 403 },
        { InteractionsErrorCode.PermissionsRemoved, 403 },
        { InteractionsErrorCode.IncorrectCertificate, 403 },
        { InteractionsErrorCode.VendorAccountInMaintenanceMode, 503 },
        { InteractionsErrorCode.ReengagementMessage, 400 },
        { InteractionsErrorCode.InternalServerError, 500 },
        { InteractionsErrorCode.ServiceUnavailable, 503 },
        { InteractionsErrorCode.ServerTemporarilyUnavailable, 502 },
        { InteractionsErrorCode.ServerOverloaded, 503 },
        { InteractionsErrorCode.BusinessEligibilityPaymentIssue, 402 },
        { InteractionsErrorCode.UnknownError, 500 },
    };

    // ---- RateLimit ----

    [Fact]
    public async Task RateLimit_TwelveConcurrentRequests_AcceptsFiveAndAnswersTheRest400With030003AndRetryAfter()
    {
        await WarmUpAsync(); // so the burst below is not slowed by first-call costs
        _simulator.Reset();
        _simulator.RateLimit(5);

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => SendMessageAsync()));

        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var rejected = responses.Where(r => r.StatusCode != HttpStatusCode.OK).ToList();
        Assert.Equal(7, rejected.Count);
        foreach (var response in rejected)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("030003", (await ReadErrorAsync(response)).Code);
            Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        }

        Assert.Equal(7, _simulator.RateLimitedCount);
        Assert.Equal(7, _simulator.Requests.Count(r => r.Answer == SimulatorAnswer.RateLimited));
        DisposeAll(responses);
    }

    [Fact]
    public async Task RateLimit_WindowEnds_AcceptsAgainAndRejectedRequestsConsumeNoScript()
    {
        var clock = new FakeTimeProvider();
        await using var simulator = InteractionsSimulator.Start(clock);
        using var client = new HttpClient { BaseAddress = simulator.BaseAddress };
        simulator.RateLimit(2);
        simulator.FailNext(1, InteractionsErrorCode.TemplateIsPaused);

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("v1/a")).StatusCode); // scripted 031006
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("v1/a")).StatusCode);
        clock.Advance(TimeSpan.FromMilliseconds(999));
        using var limited = await client.GetAsync("v1/a");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        using var nextWindow = await client.GetAsync("v1/a");

        Assert.Equal("030003", (await ReadErrorAsync(limited)).Code);
        Assert.Equal(TimeSpan.FromSeconds(1), limited.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, nextWindow.StatusCode);
        Assert.Equal(
            new[] { SimulatorAnswer.Error, SimulatorAnswer.Success, SimulatorAnswer.RateLimited, SimulatorAnswer.Success },
            simulator.Requests.Select(r => r.Answer));
    }

    [Fact]
    public async Task ClearRateLimit_AfterLimiting_AcceptsEveryRequest()
    {
        _simulator.RateLimit(1);
        using (await SendMessageAsync())
        {
        }

        _simulator.ClearRateLimit();
        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => SendMessageAsync()));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        DisposeAll(responses);
    }

    // ---- PinCooldown ----

    [Fact]
    public async Task PinCooldown_UntilItPasses_Answers400With020008AndRetryAfterThenSucceeds()
    {
        await WarmUpAsync(); // the first error answer of a process can take longer than the whole cooldown

        // Long enough that a request on a busy two-core machine still arrives within it.
        var cooldown = TimeSpan.FromSeconds(2);
        var started = Stopwatch.StartNew();
        _simulator.PinCooldown(cooldown);

        using var during = await SendMessageAsync();
        Assert.Equal(HttpStatusCode.BadRequest, during.StatusCode);
        var error = await ReadErrorAsync(during);
        Assert.Equal("020008", error.Code);
        Assert.Equal("Two-Step PIN Guessed Too Fast", error.Title);
        Assert.InRange(during.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)); // the whole seconds left

        // Real clock: this is a real server. Poll until the cooldown has passed.
        HttpStatusCode status;
        do
        {
            await Task.Delay(50);
            using var probe = await SendMessageAsync();
            status = probe.StatusCode;
        }
        while (status != HttpStatusCode.OK && started.Elapsed < TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(started.Elapsed >= cooldown, $"succeeded after {started.Elapsed}, before the cooldown passed");
    }

    [Fact]
    public async Task PinCooldown_LongCooldown_RetryAfterCountsDownTheWholeSecondsLeft()
    {
        var clock = new FakeTimeProvider();
        await using var simulator = InteractionsSimulator.Start(clock);
        using var client = new HttpClient { BaseAddress = simulator.BaseAddress };
        simulator.PinCooldown(TimeSpan.FromSeconds(30));

        using var atStart = await client.PostAsync("v1/account/verify", null);
        clock.Advance(TimeSpan.FromSeconds(29.5));
        using var nearEnd = await client.PostAsync("v1/account/verify", null);
        clock.Advance(TimeSpan.FromSeconds(0.5));
        using var after = await client.PostAsync("v1/account/verify", null);

        Assert.Equal(TimeSpan.FromSeconds(30), atStart.Headers.RetryAfter?.Delta);
        Assert.Equal(TimeSpan.FromSeconds(1), nearEnd.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(2, simulator.Requests.Count(r => r.ErrorCode == InteractionsErrorCode.TwoStepPinGuessedTooFast));
    }

    // ---- transport faults ----

    [Fact]
    public async Task ResetNext_OnAReusedConnection_ThrowsHttpRequestExceptionThenSucceeds()
    {
        using (await _client.GetAsync("v1/warm-up"))
        {
            // Leaves a pooled keep-alive connection, on which HttpClient could silently retry a reset GET.
        }

        _simulator.ResetNext(2);

        await Assert.ThrowsAsync<HttpRequestException>(() => _client.GetAsync("v1/templates"));
        await Assert.ThrowsAsync<HttpRequestException>(() => SendMessageAsync());
        using var after = await SendMessageAsync();

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(4, _simulator.RequestCount); // no hidden retry by HttpClient
        var resets = _simulator.Requests.Where(r => r.Answer == SimulatorAnswer.Reset).ToList();
        Assert.Equal(2, resets.Count);
        Assert.All(resets, r => Assert.Null(r.StatusCode));
    }

    [Fact]
    public async Task TruncateNext_BufferedRead_ThrowsBecauseTheBodyEndsPrematurely()
    {
        _simulator.TruncateNext(1, InteractionsErrorCode.InternalServerError);

        var exception = await Assert.ThrowsAsync<HttpRequestException>(() => SendMessageAsync());

        var ended = Assert.IsType<HttpIOException>(exception.InnerException);
        Assert.Equal(HttpRequestError.ResponseEnded, ended.HttpRequestError);
        using var after = await SendMessageAsync();
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task TruncateNext_HeadersRead_StatusArrivesButReadingTheBodyThrows()
    {
        _simulator.TruncateNext(1, InteractionsErrorCode.ServiceUnavailable);

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages");
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Content.Headers.ContentLength > 0);
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            await body.CopyToAsync(Stream.Null);
        });
        var record = Assert.Single(_simulator.Requests);
        Assert.Equal(SimulatorAnswer.Truncated, record.Answer);
        Assert.Equal(InteractionsErrorCode.ServiceUnavailable, record.ErrorCode);
        Assert.Equal(503, record.StatusCode);
    }

    [Fact]
    public async Task DelayNext_AnswersSuccessOnlyAfterTheDelay()
    {
        var delay = TimeSpan.FromMilliseconds(300);
        _simulator.DelayNext(1, delay);

        var elapsed = Stopwatch.StartNew();
        using var delayed = await SendMessageAsync();
        var delayedTook = elapsed.Elapsed;
        elapsed.Restart();
        using var prompt = await SendMessageAsync();
        var promptTook = elapsed.Elapsed;

        Assert.Equal(HttpStatusCode.OK, delayed.StatusCode);
        Assert.Equal("""{"id":"msg_1"}""", await delayed.Content.ReadAsStringAsync());
        Assert.True(delayedTook >= delay - TimeSpan.FromMilliseconds(20), $"answered after {delayedTook}");
        Assert.True(promptTook < delay, $"the second request also waited: {promptTook}");
    }

    [Fact]
    public async Task DelayNext_ClientGivesUp_ThrowsTaskCanceledAndTheNextRequestIsAnswered()
    {
        _simulator.DelayNext(1, TimeSpan.FromSeconds(30));
        using var impatient = new HttpClient { BaseAddress = _simulator.BaseAddress, Timeout = TimeSpan.FromMilliseconds(200) };

        await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.GetAsync("v1/messages"));
        using var next = await impatient.GetAsync("v1/messages");

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Dispose_WhileADelayedAnswerIsPending_StopsPromptly()
    {
        var simulator = InteractionsSimulator.Start();
        using var client = new HttpClient { BaseAddress = simulator.BaseAddress };
        simulator.DelayNext(1, TimeSpan.FromSeconds(60));
        var pending = client.GetAsync("v1/slow");
        while (simulator.RequestCount == 0)
        {
            await Task.Delay(10);
        }

        var stopping = Stopwatch.StartNew();
        await simulator.DisposeAsync();

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stopping.Elapsed}");
        await Assert.ThrowsAsync<HttpRequestException>(() => pending);
    }

    // ---- recording ----

    [Fact]
    public async Task Requests_RecordMethodPathKeyAndAuthorizationPresenceOnly()
    {
        using (var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages?to=+15550100"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cr3t-token");
            request.Headers.Add(InteractionsHeaderNames.IdempotencyKey, "key-1");
            request.Content = new StringContent("""{"pin":"123456"}""", Encoding.UTF8, "application/json");
            using var _ = await _client.SendAsync(request);
        }

        _simulator.FailNext(1, InteractionsErrorCode.TemplateIsPaused);
        using (await _client.GetAsync("v1/templates/welcome"))
        {
        }

        var requests = _simulator.Requests;
        Assert.Equal(2, requests.Count);

        var post = requests[0];
        Assert.Equal("POST", post.Method);
        Assert.Equal("/v1/messages", post.Path);
        Assert.Equal("key-1", post.IdempotencyKey);
        Assert.True(post.HadAuthorization);
        Assert.Equal(SimulatorAnswer.Success, post.Answer);
        Assert.Equal(200, post.StatusCode);
        Assert.Null(post.ErrorCode);
        Assert.InRange(post.ReceivedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);

        var get = requests[1];
        Assert.Equal("GET", get.Method);
        Assert.Equal("/v1/templates/welcome", get.Path);
        Assert.Null(get.IdempotencyKey);
        Assert.False(get.HadAuthorization);
        Assert.Equal(SimulatorAnswer.Error, get.Answer);
        Assert.Equal(400, get.StatusCode);
        Assert.Equal(InteractionsErrorCode.TemplateIsPaused, get.ErrorCode);
        Assert.True(get.ReceivedAt >= post.ReceivedAt);

        // Nothing secret is kept anywhere a test could print it.
        Assert.All(requests, r => Assert.DoesNotContain("s3cr3t", r.ToString()));
        Assert.All(requests, r => Assert.DoesNotContain("123456", r.ToString()));
        Assert.DoesNotContain("s3cr3t", JsonSerializer.Serialize(requests));
        Assert.DoesNotContain("15550100", JsonSerializer.Serialize(requests));
    }

    [Fact]
    public async Task CountByIdempotencyKey_RetriedRequest_CountsEveryAttemptPerKey()
    {
        _simulator.FailNext(2, InteractionsErrorCode.InternalServerError);

        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var _ = await SendMessageAsync("order-7");
        }

        using (await SendMessageAsync("order-8"))
        using (await SendMessageAsync())
        {
        }

        Assert.Equal(3, _simulator.CountByIdempotencyKey("order-7"));
        Assert.Equal(1, _simulator.CountByIdempotencyKey("order-8"));
        Assert.Equal(0, _simulator.CountByIdempotencyKey("never-sent"));
        Assert.Equal(
            new Dictionary<string, int> { ["order-7"] = 3, ["order-8"] = 1 },
            _simulator.RequestsPerIdempotencyKey);
        Assert.Equal(5, _simulator.RequestCount);
    }

    [Fact]
    public async Task RateLimitedCount_CountsScriptedAndLimiter030003Answers()
    {
        _simulator.FailNext(1, InteractionsErrorCode.RateLimitExceeded);
        _simulator.FailNext(1, InteractionsErrorCode.InternalServerError);

        for (var i = 0; i < 3; i++)
        {
            using var _ = await SendMessageAsync();
        }

        Assert.Equal(1, _simulator.RateLimitedCount);
    }

    [Fact]
    public async Task Reset_ClearsScriptsLimitsCooldownAndRecords()
    {
        _simulator.FailNext(5, InteractionsErrorCode.InternalServerError);
        using (await SendMessageAsync("k"))
        {
        }

        _simulator.RateLimit(1);
        _simulator.PinCooldown(TimeSpan.FromMinutes(5));
        _simulator.ResetNext(3);

        _simulator.Reset();

        Assert.Empty(_simulator.Requests);
        Assert.Equal(0, _simulator.RequestCount);
        Assert.Empty(_simulator.RequestsPerIdempotencyKey);
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SendMessageAsync()));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Equal(Enumerable.Range(1, 4).Select(n => $$"""{"id":"msg_{{n}}"}"""), bodies.Order());
        Assert.Equal(4, _simulator.RequestCount);
        DisposeAll(responses);
    }

    // ---- helpers ----

    private Task<HttpResponseMessage> SendMessageAsync(string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages")
        {
            Content = new StringContent("""{"to":"+15550100","text":"hi"}""", Encoding.UTF8, "application/json"),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add(InteractionsHeaderNames.IdempotencyKey, idempotencyKey);
        }

        return _client.SendAsync(request);
    }

    /// <summary>Runs the success and error paths once, so a timing-sensitive test does not pay for first calls.</summary>
    private async Task WarmUpAsync()
    {
        _simulator.FailNext(1, InteractionsErrorCode.TwoStepPinGuessedTooFast, retryAfter: TimeSpan.FromSeconds(1));
        using (var error = await SendMessageAsync())
        {
            await ReadErrorAsync(error);
        }

        using (await SendMessageAsync())
        {
        }
    }

    private static async Task<(string? Code, string? Title, string? Message)> ReadErrorAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("error");
        return (error.GetProperty("code").GetString(), error.GetProperty("title").GetString(), error.GetProperty("message").GetString());
    }

    private static void DisposeAll(IEnumerable<HttpResponseMessage> responses)
    {
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}

using System.Text;
using Interactions.Resilience.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Interactions.Resilience.Tests.Telemetry;

/// <summary>
/// No secret of a request — its bearer token, cookie, idempotency key, the PIN in its body — and no body of a
/// response appears in any log (ours, HttpClientFactory's, Polly's), exception message or ToString(), whatever
/// the policy.
/// </summary>
[Collection(SerialFakeTime.Name)]
public class RedactionTests
{
    private const string Token = "sk_live_TOKEN_6f1d2e9a";
    private const string Cookie = "session=COOKIE_77c1b0";
    private const string Pin = "482915";
    private const string OwnKey = "idem_KEY_5b3e8c";
    private const string ResponseSecret = "RESPONSE_BODY_SECRET_91a";

    public static TheoryData<string, InteractionsErrorCode> EveryPolicy() => new()
    {
        { "FailFast", InteractionsErrorCode.TwoStepVerificationPinMismatch },
        { "Retry", InteractionsErrorCode.ServiceUnavailable },
        { "Retry, maybe processed", InteractionsErrorCode.InternalServerError },
        { "WaitAndRetry", InteractionsErrorCode.RateLimitExceeded },
        { "Cooldown", InteractionsErrorCode.TwoStepPinGuessedTooFast },
        { "Cooldown beyond MaxWait", InteractionsErrorCode.WaitBeforeRegistering },
        { "Halt", InteractionsErrorCode.AccountLocked },
        { "Unknown", InteractionsErrorCode.UnknownError },
    };

    [Theory]
    [MemberData(nameof(EveryPolicy))]
    public async Task SecretsNeverAppear_InLogsOrExceptions(string policy, InteractionsErrorCode code)
    {
        _ = policy;
        var logs = new CapturingLoggerProvider();
        using var harness = new HandlerHarness(services: s => s.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)));
        harness.Server.Default = (_, _) => Task.FromResult(ErrorEchoingSecrets(code));

        var exception = await harness.RunAndCatchAsync<InteractionsException>(harness.Client.SendAsync(SecretRequest()), step: TimeSpan.FromMilliseconds(500));

        // After a halt, the local failure too.
        var local = code == InteractionsErrorCode.AccountLocked
            ? await Assert.ThrowsAsync<InteractionsGeneralException>(() => harness.Client.SendAsync(SecretRequest()))
            : null;

        var outputs = logs.Logs.Select(l => l.Message + " " + string.Join(" ", l.State?.Select(kv => kv.Value) ?? []) + " " + l.Exception)
            .Append(exception.Message)
            .Append(exception.ToString())
            .Append(exception.Error.ToString())
            .Append(local?.ToString() ?? string.Empty)
            .ToList();
        Assert.NotEmpty(logs.Logs);
        foreach (var output in outputs)
        {
            Assert.DoesNotContain(Token, output);
            Assert.DoesNotContain("COOKIE_77c1b0", output);
            Assert.DoesNotContain(Pin, output);
            Assert.DoesNotContain(OwnKey, output);
            Assert.DoesNotContain(ResponseSecret, output);
        }
    }

    [Fact]
    public async Task SecretsNeverAppear_OnATransportFailure()
    {
        var logs = new CapturingLoggerProvider();
        using var harness = new HandlerHarness(services: s => s.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)));
        harness.Server.Default = (_, _) => Task.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (api.example:443)"));

        var exception = await harness.RunAndCatchAsync<InteractionsServerException>(harness.Client.SendAsync(SecretRequest()));

        foreach (var output in logs.Logs.Select(l => l.Message + " " + l.Exception).Append(exception.ToString()))
        {
            Assert.DoesNotContain(Token, output);
            Assert.DoesNotContain(Pin, output);
            Assert.DoesNotContain(OwnKey, output);
        }
    }

    private static HttpRequestMessage SecretRequest()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/account/verify")
        {
            Content = new StringContent($$"""{"pin":"{{Pin}}","to":"+4915112345678"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", Token);
        request.Headers.Add("Cookie", Cookie);
        request.Headers.Add("Idempotency-Key", OwnKey);
        return request;
    }

    private static HttpResponseMessage ErrorEchoingSecrets(InteractionsErrorCode code)
    {
        // A careless gateway that echoes the request back in its error body.
        var info = InteractionsErrorCatalog.Get(code);
        var response = Responses.Json(code == InteractionsErrorCode.RateLimitExceeded ? 429 : 400, $$$"""
            {"error":{"code":"{{{info.FormattedCode}}}","message":"{{{info.Message}}} {{{ResponseSecret}}}","echo":"Bearer {{{Token}}} pin {{{Pin}}} {{{ResponseSecret}}}"}}
            """);
        response.Headers.TryAddWithoutValidation("Set-Cookie", Cookie);
        return response;
    }
}

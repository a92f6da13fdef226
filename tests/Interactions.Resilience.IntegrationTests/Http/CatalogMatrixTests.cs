using System.Net;
using Interactions.Resilience.IntegrationTests.TestSupport;
using Interactions.Resilience.Testing;

namespace Interactions.Resilience.IntegrationTests.Http;

/// <summary>
/// Every code of the catalog, in every form the simulator answers it, for a safe and an unsafe method: real HTTP
/// through <c>AddInteractionsResilience()</c>, with the server failing every call, and what the user then sees.
/// </summary>
public sealed class CatalogMatrixTests : IClassFixture<SimulatorFixture>
{
    // The defaults a user relies on: 3 retries for the Retry codes, 5 for a rate limit, one after a cooldown.
    private const int DefaultRetries = 3;
    private const int DefaultRateLimitRetries = 5;

    private static readonly InteractionsErrorClassifier Classifier = new();

    private readonly InteractionsSimulator _simulator;

    public CatalogMatrixTests(SimulatorFixture fixture)
    {
        _simulator = fixture.Simulator;
        _simulator.Reset();
    }

    public static TheoryData<InteractionsErrorCode, InteractionsErrorForm, string> EveryCodeFormAndMethod()
    {
        var data = new TheoryData<InteractionsErrorCode, InteractionsErrorForm, string>();
        foreach (var entry in InteractionsErrorCatalog.All)
        {
            // Meta's form names Meta's codes, not the catalog's: MetaErrorTests covers it, row by row.
            foreach (var form in Enum.GetValues<InteractionsErrorForm>().Where(f => f != InteractionsErrorForm.Meta))
            {
                data.Add(entry.Code, form, "GET");
                data.Add(entry.Code, form, "POST");
            }
        }

        return data;
    }

    public static TheoryData<InteractionsErrorCode, InteractionsErrorForm> HaltCodesThatNameTheCode()
    {
        var data = new TheoryData<InteractionsErrorCode, InteractionsErrorForm>();
        foreach (var entry in InteractionsErrorCatalog.All.Where(e => e.DefaultPolicy == InteractionsPolicy.Halt))
        {
            data.Add(entry.Code, InteractionsErrorForm.Body);
            data.Add(entry.Code, InteractionsErrorForm.Header);
        }

        return data;
    }

    [Fact]
    public void EveryCodeFormAndMethod_CoversTheWholeCatalog()
    {
        Assert.Equal(38, InteractionsErrorCatalog.All.Count);
        Assert.Equal(38 * 3 * 2, EveryCodeFormAndMethod().Count);
    }

    [Theory]
    [MemberData(nameof(EveryCodeFormAndMethod))]
    public async Task SendAsync_ServerFailsEveryCallWithCode_ThrowsTypedExceptionAfterThePolicysNumberOfCalls(
        InteractionsErrorCode code, InteractionsErrorForm form, string method)
    {
        var status = InteractionsSimulator.StatusCodeFor(code);
        var expectedCode = form == InteractionsErrorForm.StatusOnly ? CodeOfBareStatus(status) : code;
        var expectedCalls = CallsUntilTheHandlerGivesUp(expectedCode);
        using var client = new SimulatorClient(_simulator.BaseAddress);
        _simulator.FailNext(expectedCalls + 2, code, form); // more than the policy may use: extra calls would show

        var ex = await Assert.ThrowsAnyAsync<InteractionsException>(() => SendAsync(client.Client, method));

        Assert.Equal(ExpectedException.For(expectedCode), ex.GetType());
        Assert.Equal(expectedCode, ex.Code);
        Assert.Equal(expectedCalls, ex.Attempts);
        Assert.Equal(expectedCalls, _simulator.RequestCount);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(ExpectedSource(form), ex.Error.Source);
        if (form == InteractionsErrorForm.Body)
        {
            Assert.Equal(InteractionsErrorCatalog.Get(code).Message, ex.ServerMessage);
        }

        if (expectedCode == InteractionsErrorCode.WaitBeforeRegistering)
        {
            Assert.Equal(TimeSpan.FromMinutes(5), ex.RetryAfter); // the default RegistrationCooldown, beyond MaxWait
        }

        var requests = _simulator.Requests;
        Assert.All(requests, r => Assert.Equal(method, r.Method));
        Assert.All(requests, r => Assert.Equal(SimulatorAnswer.Error, r.Answer));
        if (method == "POST")
        {
            // One key for the logical request, on every attempt: what lets a maybe-processed POST be retried.
            var key = Assert.IsType<string>(requests[0].IdempotencyKey);
            Assert.All(requests, r => Assert.Equal(key, r.IdempotencyKey));
            Assert.Equal(expectedCalls, _simulator.CountByIdempotencyKey(key));
        }
        else
        {
            Assert.All(requests, r => Assert.Null(r.IdempotencyKey));
        }
    }

    [Theory]
    [MemberData(nameof(HaltCodesThatNameTheCode))]
    public async Task SendAsync_AfterHaltCode_LaterRequestsFailLocallyWithoutCallingTheServer(InteractionsErrorCode code, InteractionsErrorForm form)
    {
        using var client = new SimulatorClient(_simulator.BaseAddress, o => o.HaltDuration = TimeSpan.FromMinutes(1));
        _simulator.FailNext(1, code, form);

        var first = await Assert.ThrowsAsync<InteractionsGeneralException>(() => SendAsync(client.Client, "GET"));
        var local = await Assert.ThrowsAsync<InteractionsGeneralException>(() => SendAsync(client.Client, "POST"));

        Assert.Equal(code, first.Code);
        Assert.Equal(1, first.Attempts);
        Assert.Equal(code, local.Code);
        Assert.Equal(0, local.Attempts);
        Assert.Equal(InteractionsErrorSource.Local, local.Error.Source);
        Assert.InRange(local.RetryAfter!.Value, TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1));
        Assert.Equal(1, _simulator.RequestCount);
    }

    private static async Task SendAsync(HttpClient client, string method)
    {
        using var request = method == "POST"
            ? new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = new StringContent("""{"to":"+15550100","text":"hi"}""") }
            : new HttpRequestMessage(HttpMethod.Get, "v1/messages/msg_1");
        using var response = await client.SendAsync(request);
    }

    /// <summary>The code the handler infers from a bare status with an empty body, by the classifier's own table.</summary>
    private static InteractionsErrorCode CodeOfBareStatus(int status)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        return Classifier.Classify(response, ReadOnlySpan<byte>.Empty).Code;
    }

    /// <summary>How many calls reach the server for a code that every call answers, with the default policies.</summary>
    private static int CallsUntilTheHandlerGivesUp(InteractionsErrorCode code) => InteractionsErrorCatalog.Get(code).DefaultPolicy switch
    {
        InteractionsPolicy.Retry => 1 + DefaultRetries,
        InteractionsPolicy.WaitAndRetry => 1 + DefaultRateLimitRetries,

        // 020007's 5-minute cooldown exceeds MaxWait: it fails at once. 020008's short one is waited out once.
        InteractionsPolicy.Cooldown => code == InteractionsErrorCode.WaitBeforeRegistering ? 1 : 2,
        _ => 1, // FailFast, Halt
    };

    private static InteractionsErrorSource ExpectedSource(InteractionsErrorForm form) => form switch
    {
        InteractionsErrorForm.Body => InteractionsErrorSource.Body,
        InteractionsErrorForm.Header => InteractionsErrorSource.Header,
        _ => InteractionsErrorSource.StatusCode,
    };
}

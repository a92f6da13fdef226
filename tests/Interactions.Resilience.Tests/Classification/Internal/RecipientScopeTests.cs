using System.Text;
using Interactions.Resilience.Classification.Internal;
using Interactions.Resilience.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Interactions.Resilience.Tests.Classification.Internal;

// Which scope Meta's 131056 pair rate limit pauses: the recipient the request names, or none (the client's scope applies).
public class RecipientScopeTests
{
    private const string PairLimitBody = """{"error":{"message":"(#131056) Pair rate limit hit","type":"OAuthException","code":131056,"fbtrace_id":"Az8or2yhqkZfEZ"}}""";

    private readonly InteractionsErrorClassifier _classifier = new(new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero)));

    private async Task<InteractionsError> ClassifyPairLimitAsync(HttpContent requestContent)
    {
        var response = Responses.Json(400, PairLimitBody);
        response.RequestMessage = new HttpRequestMessage(HttpMethod.Post, "https://api.example/v1/messages") { Content = requestContent };
        var error = await _classifier.ClassifyAsync(response) ?? throw new InvalidOperationException("not classified");
        Assert.Equal(InteractionsErrorCode.RateLimitExceeded, error.Code);
        return error;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string PaddedTo(int bytes)
    {
        var head = """{"to":"+15550100","text":" """;
        return head + new string('x', bytes - head.Length - 2) + "\"}";
    }

    [Fact]
    public async Task Of_RequestBodyOfExactlyTheLimit_IsScopedToItsRecipient()
    {
        var body = PaddedTo(64 * 1024);
        Assert.Equal(64 * 1024, Encoding.UTF8.GetByteCount(body));

        var error = await ClassifyPairLimitAsync(Json(body));

        Assert.Equal(RecipientScope.ForRecipient("+15550100"), error.Scope);
    }

    [Fact]
    public async Task Of_RequestBodyOverTheLimit_GivesNoScope()
    {
        var error = await ClassifyPairLimitAsync(Json(PaddedTo((64 * 1024) + 1)));

        Assert.Null(error.Scope);
    }

    [Fact]
    public async Task Of_RequestContentDisposedAfterSending_GivesNoScope_AndDoesNotThrow()
    {
        var content = Json("""{"to":"+15550100"}""");
        _ = content.Headers.ContentLength; // computed when the request was sent
        content.Dispose();

        var error = await ClassifyPairLimitAsync(content);

        Assert.Null(error.Scope);
    }

    [Fact]
    public async Task Of_RequestContentThatFailsToSerialize_GivesNoScope_AndDoesNotThrow()
    {
        var error = await ClassifyPairLimitAsync(new FailingContent());

        Assert.Null(error.Scope);
    }

    [Theory]
    [InlineData("""["+15550100"]""")]
    [InlineData("\"+15550100\"")]
    [InlineData("""{"to":""}""")]
    [InlineData("""{"to":"   "}""")]
    [InlineData("""{"context":{"to":"+15550199"}}""")]
    public async Task Of_RequestWithoutATopLevelRecipient_GivesNoScope(string requestBody)
    {
        var error = await ClassifyPairLimitAsync(Json(requestBody));

        Assert.Null(error.Scope);
    }

    [Fact]
    public async Task Of_ToInsideANestedObject_IsNotTheRecipient()
    {
        var error = await ClassifyPairLimitAsync(Json("""{"context":{"to":"+15550199"},"to":"+15550100"}"""));

        Assert.Equal(RecipientScope.ForRecipient("+15550100"), error.Scope);
    }

    [Fact]
    public void ForRecipient_IdsWithoutDigits_AreHashedAsWrittenTrimmed()
    {
        var alice = RecipientScope.ForRecipient("alice");

        Assert.NotNull(alice);
        Assert.NotEqual(alice, RecipientScope.ForRecipient("bob"));
        Assert.Equal(alice, RecipientScope.ForRecipient("  alice "));
    }

    [Fact]
    public void ForRecipient_LongerThan64Digits_OnlyTheFirst64Count()
    {
        var digits = new string('1', 64);

        var a = RecipientScope.ForRecipient(digits + "2345");
        var b = RecipientScope.ForRecipient(digits + "6789");

        Assert.NotNull(a);
        Assert.Equal(RecipientScope.ForRecipient(digits), a);
        Assert.Equal(a, b);
    }

    /// <summary>An app's own in-memory content whose synchronous copy fails.</summary>
    private sealed class FailingContent() : ByteArrayContent(Encoding.UTF8.GetBytes("""{"to":"+15550100"}"""))
    {
        protected override void SerializeToStream(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
            => throw new InvalidOperationException("cannot copy synchronously");
    }
}

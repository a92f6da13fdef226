using Interactions.Resilience.Idempotency.Internal;

namespace Interactions.Resilience.Tests.Idempotency;

/// <summary>Which requests get an idempotency key, and which outcomes count as "maybe processed".</summary>
public class IdempotencyRulesTests
{
    [Theory]
    [InlineData("POST", true)]
    [InlineData("PATCH", true)]
    [InlineData("GET", false)]
    [InlineData("PUT", false)]
    [InlineData("DELETE", false)]
    public void Stamp_UnsafeMethodsOnly_GetOneKey(string method, bool stamped)
    {
        var rules = new IdempotencyRules(new InteractionsIdempotencyOptions());
        using var request = new HttpRequestMessage(new HttpMethod(method), "http://x/v1/messages");

        rules.Stamp(request);
        rules.Stamp(request); // a second pass (a retry) keeps the one key

        Assert.Equal(stamped, rules.HasKey(request));
        Assert.Equal(stamped ? 1 : 0, request.Headers.NonValidated.TryGetValues("Idempotency-Key", out var values) ? values.Count : 0);
    }

    [Fact]
    public void Stamp_RequestWithItsOwnKey_KeepsIt()
    {
        var rules = new IdempotencyRules(new InteractionsIdempotencyOptions());
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://x/v1/messages");
        request.Headers.Add("Idempotency-Key", "app-key-1");

        rules.Stamp(request);

        Assert.Equal(["app-key-1"], request.Headers.GetValues("Idempotency-Key"));
    }

    [Fact]
    public void Stamp_GenerateKeysOff_OrAnotherHeaderName_IsFollowed()
    {
        var off = new IdempotencyRules(new InteractionsIdempotencyOptions { GenerateKeys = false });
        var renamed = new IdempotencyRules(new InteractionsIdempotencyOptions { HeaderName = "X-Request-Id" });
        using var first = new HttpRequestMessage(HttpMethod.Post, "http://x/v1/messages");
        using var second = new HttpRequestMessage(HttpMethod.Post, "http://x/v1/messages");

        off.Stamp(first);
        renamed.Stamp(second);

        Assert.False(off.HasKey(first));
        Assert.True(second.Headers.Contains("X-Request-Id"));
        Assert.False(second.Headers.Contains("Idempotency-Key"));
    }

    [Fact]
    public void NewKey_IsUniqueAndOfOneShape()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => IdempotencyRules.NewKey()).ToList();

        Assert.Equal(1000, keys.Distinct().Count());
        Assert.All(keys, k => Assert.Matches("^[0-9a-f]{16}-[0-9a-f]{16}$", k));
    }

    [Theory]
    [InlineData(InteractionsErrorCode.InternalServerError, true)]
    [InlineData(InteractionsErrorCode.UnknownError, true)]
    [InlineData(InteractionsErrorCode.ServiceUnavailable, false)]
    [InlineData(InteractionsErrorCode.RateLimitExceeded, false)]
    [InlineData(InteractionsErrorCode.MediaUploadError, false)]
    public void MaybeProcessed_FollowsTheCode(InteractionsErrorCode code, bool maybe)
    {
        var info = InteractionsErrorCatalog.Get(code);
        var error = new InteractionsError(info, InteractionsErrorSource.Body, System.Net.HttpStatusCode.InternalServerError, null, null, info.FormattedCode);

        Assert.Equal(maybe, IdempotencyRules.MaybeProcessed(error));
        Assert.False(IdempotencyRules.MaybeProcessed(InteractionsError.Local(code))); // a local failure never reached the server
    }

    [Theory]
    [InlineData(System.Net.Sockets.SocketError.ConnectionRefused, false)]
    [InlineData(System.Net.Sockets.SocketError.HostNotFound, false)]
    [InlineData(System.Net.Sockets.SocketError.HostUnreachable, false)]
    [InlineData(System.Net.Sockets.SocketError.NetworkUnreachable, false)]
    [InlineData(System.Net.Sockets.SocketError.ConnectionReset, true)]
    [InlineData(System.Net.Sockets.SocketError.TimedOut, true)]
    public void MaybeProcessed_SocketFailure_OnlyThoseBeforeTheRequestLeftAreSafe(System.Net.Sockets.SocketError socketError, bool maybe)
    {
        var failure = new HttpRequestException("transport", new System.Net.Sockets.SocketException((int)socketError));

        Assert.Equal(maybe, IdempotencyRules.MaybeProcessed(InteractionsErrorClassifier.ClassifyTransportFailure(failure)));
    }

    [Theory]
    [InlineData(HttpRequestError.ConnectionError, false)]
    [InlineData(HttpRequestError.NameResolutionError, false)]
    [InlineData(HttpRequestError.SecureConnectionError, false)]
    [InlineData(HttpRequestError.ProxyTunnelError, false)]
    [InlineData(HttpRequestError.ResponseEnded, true)]
    [InlineData(HttpRequestError.Unknown, true)]
    public void MaybeProcessed_HttpRequestError_OnlyThoseBeforeTheRequestLeftAreSafe(HttpRequestError httpError, bool maybe)
    {
        var failure = new HttpRequestException(httpError, "transport");

        Assert.Equal(maybe, IdempotencyRules.MaybeProcessed(InteractionsErrorClassifier.ClassifyTransportFailure(failure)));
    }
}

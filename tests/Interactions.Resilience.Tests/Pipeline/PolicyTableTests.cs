using System.Net;
using Interactions.Resilience.Pipeline.Internal;

namespace Interactions.Resilience.Tests.Pipeline;

/// <summary>080001's policy follows the status for a code the catalog lacks: an unknown caller-side answer is not retried.</summary>
public class PolicyTableTests
{
    private static readonly InteractionsErrorInfo Unknown = InteractionsErrorCatalog.Get(InteractionsErrorCode.UnknownError);

    private static InteractionsError UnknownCode(int status, string raw, InteractionsErrorSource source = InteractionsErrorSource.Body)
        => new(Unknown, source, (HttpStatusCode)status, serverMessage: null, retryAfter: null, raw);

    [Theory]
    [InlineData(400, "099999")]
    [InlineData(404, "131048")]
    [InlineData(499, "1")]
    public void For_CodeTheCatalogLacks_Under4xx_FailsFast(int status, string raw)
    {
        Assert.Equal(InteractionsPolicy.FailFast, new PolicyTable(new Dictionary<string, InteractionsPolicy>()).For(UnknownCode(status, raw)));
    }

    [Fact]
    public void For_CodeTheCatalogLacks_InAHeader_Under4xx_FailsFast()
    {
        var table = new PolicyTable(new Dictionary<string, InteractionsPolicy>());

        Assert.Equal(InteractionsPolicy.FailFast, table.For(UnknownCode(400, "091234", InteractionsErrorSource.Header)));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public void For_CodeTheCatalogLacks_Under5xx_IsRetried(int status)
    {
        Assert.Equal(InteractionsPolicy.Retry, new PolicyTable(new Dictionary<string, InteractionsPolicy>()).For(UnknownCode(status, "099999")));
    }

    [Fact]
    public void For_TheVendorsOwn080001_Under4xx_IsRetried()
    {
        Assert.Equal(InteractionsPolicy.Retry, new PolicyTable(new Dictionary<string, InteractionsPolicy>()).For(UnknownCode(400, "080001")));
    }

    [Fact]
    public void For_CustomClassifiersUnknownError_Under4xx_Keeps080001sPolicy()
    {
        var table = new PolicyTable(new Dictionary<string, InteractionsPolicy>());

        Assert.Equal(InteractionsPolicy.Retry, table.For(UnknownCode(400, "010001", InteractionsErrorSource.Custom)));
    }

    [Theory]
    [InlineData(InteractionsPolicy.Retry)]
    [InlineData(InteractionsPolicy.Halt)]
    public void For_OverrideOf080001_WinsForCodesTheCatalogLacks(InteractionsPolicy policy)
    {
        var table = new PolicyTable(new Dictionary<string, InteractionsPolicy> { ["080001"] = policy });

        Assert.Equal(policy, table.For(UnknownCode(400, "099999")));
    }

    [Fact]
    public void For_CatalogCode_Under4xx_KeepsItsPolicy()
    {
        var info = InteractionsErrorCatalog.Get(InteractionsErrorCode.RateLimitExceeded);
        var error = new InteractionsError(info, InteractionsErrorSource.Body, HttpStatusCode.BadRequest, null, null, "130429");

        Assert.Equal(InteractionsPolicy.WaitAndRetry, new PolicyTable(new Dictionary<string, InteractionsPolicy>()).For(error));
    }
}

namespace Interactions.Resilience.Tests.TestSupport;

/// <summary>Makes a scope's quota evidently spent, as the rate controller reads evidence.</summary>
internal static class Quota
{
    /// <summary>Three requests of one scope in flight together, each answered 030003 with a Retry-After beyond MaxWait.</summary>
    public static async Task SpendAsync(Func<Task<HttpResponseMessage>> send)
    {
        var calls = Enumerable.Range(0, 3).Select(_ => send()).ToArray();
        foreach (var call in calls)
        {
            await Assert.ThrowsAsync<InteractionsRateLimitException>(() => call);
        }
    }
}

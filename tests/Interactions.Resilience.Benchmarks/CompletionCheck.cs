namespace Interactions.Resilience.Benchmarks;

/// <summary>Checks in <c>GlobalSetup</c> that a stub completes the way its row says, so no row measures the wrong path.</summary>
internal static class CompletionCheck
{
    private static readonly Uri AnyUri = new("http://interactions.invalid/v1/messages/check");

    /// <summary>Throws unless <paramref name="handler"/>'s <c>SendAsync</c> returns an incomplete task exactly when <paramref name="expectIncomplete"/>.</summary>
    public static void ThrowUnless(HttpMessageHandler handler, bool expectIncomplete)
    {
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, AnyUri);
        var pending = invoker.SendAsync(request, CancellationToken.None);
        var incompleteAtReturn = !pending.IsCompleted;
        pending.GetAwaiter().GetResult().Dispose();
        if (incompleteAtReturn != expectIncomplete)
        {
            throw new InvalidOperationException(expectIncomplete
                ? $"{handler.GetType().Name}'s SendAsync returned a completed task; the asynchronous rows would measure the synchronous path."
                : $"{handler.GetType().Name}'s SendAsync returned an incomplete task; the synchronous rows would measure the asynchronous path.");
        }
    }
}

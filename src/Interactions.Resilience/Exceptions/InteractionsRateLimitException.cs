namespace Interactions.Resilience;

/// <summary>
/// 030003 Rate Limit Exceeded: the server's limit, or a wait the handler would not make because it
/// exceeds <c>MaxWait</c>. <see cref="InteractionsException.RetryAfter"/> says when to try again.
/// </summary>
public sealed class InteractionsRateLimitException : InteractionsApiException
{
    internal InteractionsRateLimitException(InteractionsError error, int attempts, TimeSpan? retryAfter, Uri? requestUri, Exception? innerException, string? detail)
        : base(error, attempts, retryAfter, requestUri, innerException, detail)
    {
    }
}

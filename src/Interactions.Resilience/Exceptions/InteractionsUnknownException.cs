namespace Interactions.Resilience;

/// <summary>A unknown (080001) error of the Interactions API.</summary>
public sealed class InteractionsUnknownException : InteractionsException
{
    internal InteractionsUnknownException(InteractionsError error, int attempts, TimeSpan? retryAfter, Uri? requestUri, Exception? innerException, string? detail)
        : base(error, attempts, retryAfter, requestUri, innerException, detail)
    {
    }
}

namespace Interactions.Resilience;

/// <summary>A server (060xxx) error of the Interactions API.</summary>
public sealed class InteractionsServerException : InteractionsException
{
    internal InteractionsServerException(InteractionsError error, int attempts, TimeSpan? retryAfter, Uri? requestUri, Exception? innerException, string? detail)
        : base(error, attempts, retryAfter, requestUri, innerException, detail)
    {
    }
}

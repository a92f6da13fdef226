namespace Interactions.Resilience;

/// <summary>A API call (030xxx) error of the Interactions API.</summary>
public class InteractionsApiException : InteractionsException
{
    internal InteractionsApiException(InteractionsError error, int attempts, TimeSpan? retryAfter, Uri? requestUri, Exception? innerException, string? detail)
        : base(error, attempts, retryAfter, requestUri, innerException, detail)
    {
    }
}

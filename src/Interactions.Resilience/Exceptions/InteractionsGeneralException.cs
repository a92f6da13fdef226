namespace Interactions.Resilience;

/// <summary>A general (010xxx) error of the Interactions API.</summary>
public sealed class InteractionsGeneralException : InteractionsException
{
    internal InteractionsGeneralException(InteractionsError error, int attempts, TimeSpan? retryAfter, Uri? requestUri, Exception? innerException, string? detail)
        : base(error, attempts, retryAfter, requestUri, innerException, detail)
    {
    }
}

namespace Interactions.Resilience;

/// <summary>A vendor account (050xxx) error of the Interactions API.</summary>
public sealed class InteractionsVendorException : InteractionsException
{
    internal InteractionsVendorException(InteractionsError error, int attempts, TimeSpan? retryAfter, Uri? requestUri, Exception? innerException, string? detail)
        : base(error, attempts, retryAfter, requestUri, innerException, detail)
    {
    }
}

namespace Interactions.Resilience;

/// <summary>A payment (070xxx) error of the Interactions API.</summary>
public sealed class InteractionsPaymentException : InteractionsException
{
    internal InteractionsPaymentException(InteractionsError error, int attempts, TimeSpan? retryAfter, Uri? requestUri, Exception? innerException, string? detail)
        : base(error, attempts, retryAfter, requestUri, innerException, detail)
    {
    }
}

namespace Interactions.Resilience;

/// <summary>A media (032xxx) error of the Interactions API.</summary>
public sealed class InteractionsMediaException : InteractionsException
{
    internal InteractionsMediaException(InteractionsError error, int attempts, TimeSpan? retryAfter, Uri? requestUri, Exception? innerException, string? detail)
        : base(error, attempts, retryAfter, requestUri, innerException, detail)
    {
    }
}

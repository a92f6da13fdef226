namespace Interactions.Resilience;

/// <summary>A permission (040xxx) error of the Interactions API.</summary>
public sealed class InteractionsPermissionException : InteractionsException
{
    internal InteractionsPermissionException(InteractionsError error, int attempts, TimeSpan? retryAfter, Uri? requestUri, Exception? innerException, string? detail)
        : base(error, attempts, retryAfter, requestUri, innerException, detail)
    {
    }
}

namespace Interactions.Resilience;

/// <summary>A authentication (020xxx) error of the Interactions API.</summary>
public sealed class InteractionsAuthenticationException : InteractionsException
{
    internal InteractionsAuthenticationException(InteractionsError error, int attempts, TimeSpan? retryAfter, Uri? requestUri, Exception? innerException, string? detail)
        : base(error, attempts, retryAfter, requestUri, innerException, detail)
    {
    }
}

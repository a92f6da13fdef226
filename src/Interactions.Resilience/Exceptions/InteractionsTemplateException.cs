namespace Interactions.Resilience;

/// <summary>A template (031xxx) error of the Interactions API.</summary>
public sealed class InteractionsTemplateException : InteractionsException
{
    internal InteractionsTemplateException(InteractionsError error, int attempts, TimeSpan? retryAfter, Uri? requestUri, Exception? innerException, string? detail)
        : base(error, attempts, retryAfter, requestUri, innerException, detail)
    {
    }
}

namespace Interactions.Resilience;

/// <summary>
/// Reads an app's own error shape: register one in DI when a gateway in front of the vendor answers
/// with a format the default classifier does not know. Runs before the default rules.
/// </summary>
public interface IInteractionsErrorClassifier
{
    /// <summary>Names the code of a failed response, or defers to the default classification.</summary>
    /// <param name="response">The response, status 400 or above. Do not read its content: use <paramref name="body"/>.</param>
    /// <param name="body">The start of the body, at most <c>MaxErrorBodyBytes</c> long.</param>
    /// <returns>
    /// The code, or <see langword="null"/> to let the default rules classify the response. The error's
    /// <see cref="InteractionsError.RawCode"/> stays the code the server sent (a Meta code such as <c>131047</c>, say),
    /// when it sent one.
    /// </returns>
    InteractionsErrorCode? Classify(HttpResponseMessage response, ReadOnlySpan<byte> body);
}

namespace Interactions.Resilience;

/// <summary>Reads the Interactions error that the resilience handler attached to a response.</summary>
public static class HttpResponseMessageExtensions
{
    private static readonly HttpRequestOptionsKey<InteractionsError> ErrorKey = new("Interactions.Error");

    /// <summary>
    /// Gets the classified error of a failed response returned by the handler with <c>ThrowOnFailure = false</c>.
    /// </summary>
    /// <param name="response">The response.</param>
    /// <returns>The error, or <see langword="null"/> when the response is not a classified failure.</returns>
    public static InteractionsError? GetInteractionsError(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.RequestMessage is { } request && request.Options.TryGetValue(ErrorKey, out var error) ? error : null;
    }

    internal static void SetInteractionsError(this HttpResponseMessage response, InteractionsError error)
        => response.RequestMessage?.Options.Set(ErrorKey, error);
}

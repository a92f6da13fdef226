using System.Net.Http.Headers;

namespace Interactions.Resilience;

/// <summary>
/// Renews the credentials when the server answers 020001 Token Expired. Register one in DI; the handler then
/// calls it once per expiry — concurrent expiries share one refresh — sets the returned value as the
/// request's <c>Authorization</c> header and replays the request once. Without one, 020001 fails fast.
/// </summary>
public interface IInteractionsCredentialRefresher
{
    /// <summary>Gets fresh credentials.</summary>
    /// <param name="cancellationToken">Stops the refresh.</param>
    /// <returns>The new <c>Authorization</c> header value.</returns>
    ValueTask<AuthenticationHeaderValue> RefreshAsync(CancellationToken cancellationToken);
}

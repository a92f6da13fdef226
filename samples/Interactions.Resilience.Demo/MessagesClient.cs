using System.Net.Http.Json;

namespace Interactions.Resilience.Demo;

/// <summary>
/// A typed client of the Interactions API, as an app writes it: no retry loops, no status checks per code.
/// The handler added by <c>AddInteractionsResilience()</c> retries, waits or throws a typed exception.
/// </summary>
internal sealed class MessagesClient(HttpClient http)
{
    /// <summary>Sends a text message; returns the id the server gave it.</summary>
    public async Task<string> SendAsync(string to, string text, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("v1/messages", new SendMessageRequest(to, text), cancellationToken);

        // Reached with an error only when the options say ThrowOnFailure = false.
        response.EnsureSuccessStatusCode();
        var sent = await response.Content.ReadFromJsonAsync<SentMessage>(cancellationToken);
        return sent?.Id ?? throw new InvalidOperationException("The server answered without a message id.");
    }

    /// <summary>Checks the account's two-step verification PIN.</summary>
    public async Task VerifyPinAsync(string pin, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("v1/account/verify", new VerifyPinRequest(pin), cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private sealed record SendMessageRequest(string To, string Text);

    private sealed record SentMessage(string Id);

    private sealed record VerifyPinRequest(string Pin);
}

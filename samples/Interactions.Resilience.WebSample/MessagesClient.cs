
namespace Interactions.Resilience.WebSample;

/// <summary>
/// A typed client of the Interactions API, as an app writes it: no retry loops, no status checks per code.
/// The handler added by <c>AddInteractionsResilience()</c> retries, waits or throws a typed exception.
/// </summary>
public sealed class MessagesClient(HttpClient http)
{
    /// <summary>The name of the <c>HttpClient</c>: the name pauses and health are reported under.</summary>
    public const string Name = "interactions";

    /// <summary>Sends a text message; returns the id the server gave it.</summary>
    public async Task<string> SendAsync(string to, string text, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("v1/messages", new SendMessageRequest(to, text), cancellationToken);
        response.EnsureSuccessStatusCode();
        var sent = await response.Content.ReadFromJsonAsync<SentMessage>(cancellationToken);
        return sent?.Id ?? throw new InvalidOperationException("The server answered without a message id.");
    }

    private sealed record SendMessageRequest(string To, string Text);

    private sealed record SentMessage(string Id);
}

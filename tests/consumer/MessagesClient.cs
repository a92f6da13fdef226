using System.Net.Http.Json;

namespace Consumer;

/// <summary>A typed client: no retry loop, no status checks; the handler retries, waits or throws.</summary>
public sealed class MessagesClient(HttpClient http)
{
    public async Task<string> SendAsync(string to, string text, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("v1/messages", new { to, text }, cancellationToken);
        response.EnsureSuccessStatusCode();
        var sent = await response.Content.ReadFromJsonAsync<SentMessage>(cancellationToken);
        return sent?.Id ?? throw new InvalidOperationException("The server answered without a message id.");
    }

    private sealed record SentMessage(string Id);
}

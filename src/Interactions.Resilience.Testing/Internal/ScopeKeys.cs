using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using WireMock;

namespace Interactions.Resilience.Testing.Internal;

/// <summary>
/// The key of a request for a quota scoped to senders (<c>X-Sender</c>) or to sender/recipient pairs
/// (<c>X-Sender</c> and the JSON body's top-level <c>to</c>). Read only while such a quota is in force.
/// </summary>
internal static class ScopeKeys
{
    public const string SenderHeader = "X-Sender";

    public static string For(RateLimitScope? scope, HttpRequest request, IRequestMessage message) => scope switch
    {
        RateLimitScope.Sender => SenderOf(request),
        RateLimitScope.SenderAndRecipient => SenderOf(request) + "\n" + RecipientOf(message),
        _ => string.Empty,
    };

    private static string SenderOf(HttpRequest request)
        => request.Headers[SenderHeader] is { Count: > 0 } values ? values[0] ?? string.Empty : string.Empty;

    /// <summary>The top-level string <c>to</c> of a JSON body; empty when there is none or the body is not JSON.</summary>
    private static string RecipientOf(IRequestMessage message)
    {
        var body = message.BodyData?.BodyAsBytes
            ?? (message.BodyData?.BodyAsString is { } text ? Encoding.UTF8.GetBytes(text) : null);
        if (body is null || body.Length == 0)
        {
            return string.Empty;
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return string.Empty;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isTo = reader.ValueTextEquals("to"u8);
                if (!reader.Read())
                {
                    break;
                }

                if (isTo && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString() ?? string.Empty;
                }

                reader.Skip(); // a nested object or array
            }
        }
        catch (JsonException)
        {
            // Not JSON: the request counts as having no recipient.
        }

        return string.Empty;
    }
}

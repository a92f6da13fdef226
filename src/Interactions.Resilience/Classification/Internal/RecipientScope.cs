using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Interactions.Resilience.Classification.Internal;

/// <summary>
/// The rate-limit scope of one recipient, for Meta's 131056 pair rate limit: <c>recipient:</c> and a short, stable
/// hash of the number in the request's JSON <c>to</c>, so logs and the shared pause board never carry the number.
/// </summary>
/// <remarks>
/// Read only from content already in memory (<see cref="ByteArrayContent"/>, which <see cref="StringContent"/> derives
/// from): a stream is never buffered or consumed, and a content the handler cannot read gives no scope (the client's
/// scope applies). The hash is the same in every process, so instances sharing pauses agree on the scope; it hides
/// the number from a reader of logs, not from someone who hashes every possible number.
/// </remarks>
internal static class RecipientScope
{
    public const string Prefix = "recipient:";

    /// <summary>Larger bodies are not a message send's: not worth copying to find a recipient.</summary>
    private const int MaxRequestBodyBytes = 64 * 1024;

    /// <summary>Bytes of the SHA-256 kept: 12 hex digits, unique enough among one sender's recipients.</summary>
    private const int HashBytes = 6;

    /// <summary>The scope of the recipient the request names, or <see langword="null"/>.</summary>
    public static string? Of(HttpRequestMessage? request)
    {
        if (request?.Content is not ByteArrayContent content
            || content.Headers.ContentLength is not { } length
            || length > MaxRequestBodyBytes) // an empty body is no JSON: FromJson gives it no scope
        {
            return null;
        }

        try
        {
            // CopyTo writes ByteArrayContent's own buffer: nothing is consumed, and the content can still be sent again.
            using var copy = new MemoryStream((int)length);
            content.CopyTo(copy, context: null, CancellationToken.None);
            return FromJson(copy.GetBuffer().AsSpan(0, (int)copy.Length));
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException or IOException or HttpRequestException or NotSupportedException)
        {
            return null; // disposed or unreadable content: the client's scope applies
        }
    }

    /// <summary>The scope of the top-level <c>to</c> of a JSON request body, or <see langword="null"/>.</summary>
    public static string? FromJson(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            // Stryker disable once Logical,Block : after a first token that opens no object the next token is never a property name, so the loop finds no "to" either
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (
                // Stryker disable once Logical : the only other token here is the object's end, on which ValueTextEquals throws and null is returned all the same
                reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isTo = reader.ValueTextEquals("to"u8);
                reader.Read();
                if (isTo && reader.TokenType == JsonTokenType.String)
                {
                    return ForRecipient(reader.GetString());
                }

                reader.Skip();
            }

            return null;
        }
        // Stryker disable once Block : without its return the method returns default, null as well
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null; // not JSON, or not UTF-8
        }
    }

    /// <summary>
    /// The scope of a recipient: its digits only, so <c>+1 555-0100</c> and <c>15550100</c> are one recipient; a
    /// recipient without digits (an id) is hashed as written.
    /// </summary>
    public static string? ForRecipient(string? recipient)
    {
        if (string.IsNullOrWhiteSpace(recipient))
        {
            return null;
        }

        Span<char> digits = stackalloc char[Math.Min(recipient.Length, 64)];
        var count = 0;
        foreach (var c in recipient)
        {
            if (char.IsAsciiDigit(c) && count < digits.Length)
            {
                digits[count++] = c;
            }
        }

        var key = count > 0 ? digits[..count] : recipient.AsSpan().Trim();
        // Stryker disable once Linq : a larger stack buffer only (a recipient comes from a body of at most 64 KB, so under 200 KB); at most 256 characters are encoded into it
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(Math.Min(key.Length, 256))];
        var written = Encoding.UTF8.GetBytes(key[..Math.Min(key.Length, 256)], utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..written], hash);
        return string.Concat(Prefix, Convert.ToHexStringLower(hash[..HashBytes]));
    }
}

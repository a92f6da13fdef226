using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Interactions.Resilience.Redis.Internal;

/// <summary>
/// The wire form of a pause, on the channel and in its key: "client/scope paused until T (code)", from one
/// instance. JSON, so that an operator reading Redis sees what is paused and until when:
/// <c>{"v":1,"instance":"…","client":"sms","scope":null,"code":"030003","until":"2026-11-28T12:00:02.0000000+00:00"}</c>.
/// </summary>
internal static class PauseMessage
{
    /// <summary>The largest message (and key value) read: a pause takes about 150 bytes; anything larger is not one.</summary>
    public const int MaxBytes = 4096;

    /// <summary>Why a message was not read; the tag of the ignored counter.</summary>
    public const string Malformed = "malformed";

    /// <inheritdoc cref="Malformed"/>
    public const string Oversized = "oversized";

    /// <inheritdoc cref="Malformed"/>
    public const string UnknownVersion = "version";

    private const int Version = 1;

    // Written for people and Redis, never into HTML: a sender number stays "+111", not "\u002B111".
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(string instanceId, InteractionsPause pause)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", Version);
            writer.WriteString("instance", instanceId);
            writer.WriteString("client", pause.ClientName);
            writer.WriteString("scope", pause.Scope);
            writer.WriteString("code", InteractionsErrorCatalog.Format(pause.Code));
            writer.WriteString("until", pause.Until.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a message; <see langword="false"/> for anything malformed, from a newer version or with a code the catalog lacks.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out string instanceId, out InteractionsPause pause)
        => TryRead(json, out instanceId, out pause, out _);

    /// <summary>Reads a message; <see langword="false"/>, with the reason (<see cref="Malformed"/>, <see cref="Oversized"/>, <see cref="UnknownVersion"/>), for anything else.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out string instanceId, out InteractionsPause pause, out string reason)
    {
        instanceId = string.Empty;
        pause = null!;
        reason = Malformed;
        if (json.Length > MaxBytes)
        {
            reason = Oversized;
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("v", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v))
            {
                return false;
            }

            if (v != Version)
            {
                reason = UnknownVersion;
                return false;
            }

            if (!JsonFields.TryGetString(root, "instance", out var instance)
                || !JsonFields.TryGetString(root, "client", out var client)
                || !JsonFields.TryGetString(root, "code", out var codeText) || !InteractionsErrorCatalog.TryParse(codeText, out var code)
                || !JsonFields.TryGetString(root, "until", out var untilText)
                || !DateTimeOffset.TryParseExact(untilText, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var until))
            {
                return false;
            }

            string? scope = null;
            if (root.TryGetProperty("scope", out var scopeElement))
            {
                if (scopeElement.ValueKind == JsonValueKind.String)
                {
                    scope = scopeElement.GetString();
                }
                else if (scopeElement.ValueKind != JsonValueKind.Null)
                {
                    return false;
                }
            }

            instanceId = instance;
            pause = new InteractionsPause(client, scope, code, until);
            reason = string.Empty;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

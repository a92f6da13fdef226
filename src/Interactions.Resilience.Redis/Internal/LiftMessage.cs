using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Interactions.Resilience.Redis.Internal;

/// <summary>
/// The wire form of a lift on the pauses channel: "lift the pauses of client/scope of this kind", from one
/// instance: <c>{"v":1,"type":"lift","instance":"…","client":"sms","kind":"Halt","scope":null}</c>; a
/// <see langword="null"/> kind or scope lifts every kind or scope. Versions that predate lifts ignore it (it
/// names no code), as they ignore any message they do not read.
/// </summary>
internal static class LiftMessage
{
    private const int Version = 1;
    private const string Type = "lift";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(string instanceId, InteractionsPauseLift lift)
    {
        var buffer = new ArrayBufferWriter<byte>(192);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", Version);
            writer.WriteString("type", Type);
            writer.WriteString("instance", instanceId);
            writer.WriteString("client", lift.ClientName);
            writer.WriteString("kind", lift.Kind?.ToString());
            writer.WriteString("scope", lift.Scope);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a lift; <see langword="false"/> for anything else, malformed, from a newer version or with a kind this version lacks.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out string instanceId, out InteractionsPauseLift lift)
    {
        instanceId = string.Empty;
        lift = null!;
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("v", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v) || v != Version
                || !root.TryGetProperty("type", out var type) || !type.ValueEquals(Type)
                || !JsonFields.TryGetString(root, "instance", out var instance)
                || !JsonFields.TryGetString(root, "client", out var client)
                || !JsonFields.TryGetOptional(root, "kind", out var kindText)
                || !JsonFields.TryGetOptional(root, "scope", out var scope))
            {
                return false;
            }

            InteractionsPauseKind? kind = null;
            if (kindText is not null)
            {
                if (!Enum.TryParse<InteractionsPauseKind>(kindText, ignoreCase: false, out var parsed) || !Enum.IsDefined(parsed) || char.IsAsciiDigit(kindText[0]))
                {
                    return false;
                }

                kind = parsed;
            }

            instanceId = instance;
            lift = new InteractionsPauseLift(client, kind, scope);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

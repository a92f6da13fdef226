using System.Buffers.Text;
using System.Text.Json;

namespace Interactions.Resilience.Classification.Internal;

/// <summary>
/// Reads the code and message from the vendor's error shapes with <see cref="Utf8JsonReader"/>:
/// <c>{"error":{"code":…,"message":…}}</c>, <c>{"code":…}</c> and <c>{"errorCode":…}</c>; inside <c>error</c>, also
/// the fields of Meta's relayed shape (<c>type</c>, <c>fbtrace_id</c>, <c>error_data.details</c>).
/// Allocates only the strings it returns.
/// </summary>
internal static class JsonErrorBodyReader
{
    /// <summary>Reads the fields; malformed JSON yields nothing, a body cut by the cap yields what came before the cut.</summary>
    /// <param name="body">The body, or its first bytes.</param>
    /// <param name="isComplete">Whether <paramref name="body"/> is the whole body.</param>
    public static ErrorBodyFields Read(ReadOnlySpan<byte> body, bool isComplete)
    {
        var fields = default(ErrorBodyFields);
        body = SkipPreamble(body);
        // Stryker disable once Block : a body that opens no object yields no property name to the reader, so it finds nothing either; this only spares the parse
        if (body is not [(byte)'{', ..])
        {
            return fields;
        }

        try
        {
            var reader = new Utf8JsonReader(body, isComplete, default);
            reader.Read(); // the opening brace
            _ = ReadObject(ref reader, ref fields, nested: false); // cut or whole, what came before the cut stands
            if (isComplete)
            {
                reader.Read(); // throws on anything but white space after the object
            }

            return fields;
        }
        // Stryker disable once Block : without its return the method returns default, the same fields
        catch (JsonException)
        {
            // Malformed JSON tells nothing reliable: fall through to the status table.
            return default;
        }
    }

    /// <summary>
    /// Reads an object's properties; <see langword="false"/> when the cap cut the body inside it. Nothing is read after a
    /// cut: a skip cut short leaves the reader before the value, and reading on would take the value's insides for the
    /// object's own properties.
    /// </summary>
    private static bool ReadObject(ref Utf8JsonReader reader, ref ErrorBodyFields fields, bool nested)
    {
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                return true; // the object's end
            }

            var isError = !nested && reader.ValueTextEquals("error"u8);
            var isCode = reader.ValueTextEquals("code"u8) || (!nested && reader.ValueTextEquals("errorCode"u8));
            var isMessage = reader.ValueTextEquals("message"u8);
            var metaField = nested && !isCode && !isMessage ? MetaFieldOf(ref reader) : MetaField.None;

            // Stryker disable once Block,Statement,Boolean : out of bytes: without it the name's TrySkip below finds no value either and returns false, and whatever the caller does next, its Read finds no bytes either
            if (!reader.Read())
            {
                return false; // the cap cut the body after the name
            }

            bool whole;
            if (isError && reader.TokenType == JsonTokenType.StartObject)
            {
                whole = ReadObject(ref reader, ref fields, nested: true);
            }
            else if (isCode && !fields.HasCode)
            {
                whole = ReadCode(ref reader, ref fields, nested);
            }
            else if (isMessage && fields.Message is null && reader.TokenType == JsonTokenType.String)
            {
                fields.Message = ReadString(ref reader);
                whole = true;
            }
            else if (metaField == MetaField.ErrorData && reader.TokenType == JsonTokenType.StartObject)
            {
                whole = ReadErrorData(ref reader, ref fields);
            }
            else
            {
                ReadMetaMark(ref reader, ref fields, metaField);
                whole = reader.TrySkip(); // a value we do not need; a string or number skips nothing
            }

            if (!whole)
            {
                return false;
            }
        }

        // Stryker disable once Boolean : out of bytes (a skip cut short returned above): whatever the caller does next, its Read finds no bytes either
        return false; // the cap cut the body before the object's end
    }

    /// <summary>Which of Meta's fields inside <c>error</c> the current property name is.</summary>
    private static MetaField MetaFieldOf(ref Utf8JsonReader reader)
        => reader.ValueTextEquals("type"u8) ? MetaField.Type
            : reader.ValueTextEquals("fbtrace_id"u8) ? MetaField.TraceId
            : reader.ValueTextEquals("error_data"u8) ? MetaField.ErrorData
            : MetaField.None;

    /// <summary>Notes Meta's marks (<c>type</c>, <c>fbtrace_id</c>) when their value is what Meta writes.</summary>
    private static void ReadMetaMark(ref Utf8JsonReader reader, ref ErrorBodyFields fields, MetaField field)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return;
        }

        // Graph API error types all end so (OAuthException, GraphMethodException, FacebookApiException);
        // a vendor's own "type" such as "validation" does not make its body Meta's.
        if (field == MetaField.Type && !reader.ValueIsEscaped)
        {
            fields.HasMetaMark |= reader.ValueSpan.EndsWith("Exception"u8);
        }
        else if (field == MetaField.TraceId)
        {
            fields.HasMetaMark = true;
        }
    }

    /// <summary>Reads <c>error_data</c>: only its <c>details</c>; <c>messaging_product</c> and the rest are skipped.</summary>
    private static bool ReadErrorData(ref Utf8JsonReader reader, ref ErrorBodyFields fields)
    {
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                return true; // the object's end
            }

            var isDetails = reader.ValueTextEquals("details"u8);
            // Stryker disable once Block,Statement,Boolean : out of bytes: without it the name's TrySkip below finds no value either and returns false, and whatever the caller does next, its Read finds no bytes either
            if (!reader.Read())
            {
                return false; // the cap cut the body after the name
            }

            if (isDetails && fields.Details is null && reader.TokenType == JsonTokenType.String)
            {
                fields.Details = ReadString(ref reader);
            }
            else if (!reader.TrySkip())
            {
                return false; // the cap cut the body inside a value we do not need
            }
        }

        // Stryker disable once Boolean : out of bytes (a skip cut short returned above): whatever the caller does next, its Read finds no bytes either
        return false; // the cap cut the body before the object's end
    }

    /// <summary>Reads a code; <see langword="false"/> when the cap cut the body inside a value that is not one.</summary>
    private static bool ReadCode(ref Utf8JsonReader reader, ref ErrorBodyFields fields, bool nested)
    {
        ReadOnlySpan<byte> raw;
        if (reader.TokenType == JsonTokenType.Number)
        {
            raw = reader.ValueSpan;

            // Meta writes its codes as JSON integers, some beyond the vendor's six digits; whether the body is
            // Meta's shape is decided once the whole error object is read.
            if (nested && Utf8Parser.TryParse(raw, out int metaCode, out var consumed) && consumed == raw.Length && metaCode >= 0)
            {
                fields.HasMetaCode = true;
                fields.MetaCode = metaCode;
            }
        }
        else if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
        {
            raw = reader.ValueSpan.Trim(" \t"u8);
        }
        else
        {
            return reader.TrySkip(); // objects, escaped strings, booleans: not a code
        }

        if (!InteractionsErrorCatalog.TryParseNumber(raw, out var number))
        {
            return true;
        }

        fields.HasCode = true;
        fields.CodeNumber = number;
        if (!InteractionsErrorCatalog.TryGet(number, out _))
        {
            fields.UnknownRawCode = System.Text.Encoding.UTF8.GetString(raw);
        }

        return true;
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        // Stryker disable once Block : without its return the method returns default, null as well
        catch (InvalidOperationException)
        {
            return null; // bytes that are not UTF-8: keep the code, drop the message
        }
    }

    private static ReadOnlySpan<byte> SkipPreamble(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        return body.TrimStart(" \t\r\n"u8);
    }
}

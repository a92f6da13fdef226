using System.Text.Json;

namespace Interactions.Resilience.Redis.Internal;

/// <summary>The fields of the coordination's JSON messages, read strictly: a value of the wrong kind is a malformed message.</summary>
internal static class JsonFields
{
    /// <summary>A non-empty string; <see langword="false"/> when absent, empty or of another kind.</summary>
    public static bool TryGetString(JsonElement root, string name, out string value)
    {
        if (root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String && element.GetString() is { Length: > 0 } text)
        {
            value = text;
            return true;
        }

        value = string.Empty;
        return false;
    }

    /// <summary>A string or null (or absent); <see langword="false"/> for any other kind of value.</summary>
    public static bool TryGetOptional(JsonElement root, string name, out string? value)
    {
        value = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        value = element.GetString();
        return true;
    }
}

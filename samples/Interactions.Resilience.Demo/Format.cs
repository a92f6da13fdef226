using System.Globalization;

namespace Interactions.Resilience.Demo;

/// <summary>Short, culture-independent texts for the tables.</summary>
internal static class Format
{
    public static string Duration(TimeSpan duration) => duration switch
    {
        { TotalSeconds: >= 60 } => $"{duration.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min",
        { TotalSeconds: >= 1 } => $"{duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s",
        _ => $"{duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms",
    };

    public static string Seconds(TimeSpan offset) => $"+{offset.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s";

    /// <summary>
    /// The last eight characters of an idempotency key: enough to tell keys apart in a table (the handler's keys
    /// are a per-process prefix and a counter, so their ends differ).
    /// </summary>
    public static string Key(string? key) => key switch
    {
        null => "-",
        { Length: > 8 } => "…" + key[^8..],
        _ => key,
    };
}

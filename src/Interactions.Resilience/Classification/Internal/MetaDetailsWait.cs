using System.Globalization;

namespace Interactions.Resilience.Classification.Internal;

/// <summary>
/// Reads a wait that Meta's <c>error_data.details</c> states in words ("… try again in 5 minutes"), for the codes whose
/// details carry one. Conservative: the first whole number directly followed by a unit word (seconds, minutes, hours
/// and their usual abbreviations, not single letters); a wait of zero or beyond <see cref="MaxWait"/> is not trusted.
/// </summary>
internal static class MetaDetailsWait
{
    /// <summary>The longest wait believed from free text; a longer one is more likely a misread than a wait.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    private const int MaxDigits = 6;

    public static bool TryRead(string? details, out TimeSpan wait)
    {
        wait = default;
        if (string.IsNullOrEmpty(details))
        {
            return false;
        }

        var text = details.AsSpan();
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]) || (i > 0 && (char.IsAsciiDigit(text[i - 1]) || text[i - 1] is '.' or ',' or '#' || char.IsAsciiLetter(text[i - 1]))))
            {
                continue; // not the start of a free-standing whole number: "1.5", "#133009" and "v16" are not waits
            }

            var end = i;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end - i <= MaxDigits
                && (end == text.Length || text[end] is not
                    // Stryker disable once Logical : after '.' or ',' UnitAfter finds no word (it skips one space only), so the check adds nothing
                    ('.' or ','))
                && UnitAfter(text[end..]) is { } unit)
            {
                var count = int.Parse(text[i..end], NumberStyles.None, CultureInfo.InvariantCulture);
                var stated = unit * count;
                if (stated > TimeSpan.Zero && stated <= MaxWait)
                {
                    wait = stated;
                    return true;
                }

                return false; // the first stated wait is implausible: trust none
            }

            i = end;
        }

        return false;
    }

    /// <summary>The unit named by the word right after a number (one optional space), or null.</summary>
    private static TimeSpan? UnitAfter(ReadOnlySpan<char> rest)
    {
        if (rest is [' ', ..])
        {
            rest = rest[1..];
        }

        var length = 0;
        while (length < rest.Length && char.IsAsciiLetter(rest[length]))
        {
            length++;
        }

        var word = rest[..length];
        return IsAny(word, "seconds", "second", "secs", "sec") ? TimeSpan.FromSeconds(1)
            : IsAny(word, "minutes", "minute", "mins", "min") ? TimeSpan.FromMinutes(1)
            : IsAny(word, "hours", "hour", "hrs", "hr") ? TimeSpan.FromHours(1)
            : null;
    }

    private static bool IsAny(ReadOnlySpan<char> word, string a, string b, string c, string d)
        => word.Equals(a, StringComparison.OrdinalIgnoreCase) || word.Equals(b, StringComparison.OrdinalIgnoreCase)
            || word.Equals(c, StringComparison.OrdinalIgnoreCase) || word.Equals(d, StringComparison.OrdinalIgnoreCase);
}

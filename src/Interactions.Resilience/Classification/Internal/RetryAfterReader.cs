using System.Globalization;
using System.Net.Http.Headers;

namespace Interactions.Resilience.Classification.Internal;

/// <summary>
/// Reads how long the server asked the client to wait: <c>retry-after-ms</c> first (it is the more precise),
/// then <c>Retry-After</c> as delta-seconds or an HTTP date. A date in the past is zero; a value that
/// does not parse is ignored.
/// </summary>
internal static class RetryAfterReader
{
    // RetryConditionHeaderValue rejects a delta of more digits, leading zeros included.
    private const int MaxDeltaDigits = 10;

    public static TimeSpan? Read(HttpResponseHeaders headers, TimeProvider timeProvider)
    {
        if (headers.NonValidated.TryGetValues(InteractionsHeaderNames.RetryAfterMs, out var msValues)
            && TryParseMilliseconds(msValues, out var fromMs))
        {
            return fromMs;
        }

        if (!headers.NonValidated.TryGetValues("Retry-After", out var values))
        {
            return null; // avoids parsing and caching the typed header on the common path
        }

        // The usual form, one bare delay-seconds value, is read from the raw text: the typed header below
        // would allocate a parsed copy and a store entry on every rate-limited response.
        if (values.Count == 1 && TryParseDeltaSeconds(values.ToString(), out var bareDelta))
        {
            return bareDelta;
        }

        // RetryConditionHeaderValue parses both forms; a value that does not parse leaves it null.
        return headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => Max(date - timeProvider.GetUtcNow(), TimeSpan.Zero),
            _ => null,
        };
    }

    private static bool TryParseMilliseconds(HeaderStringValues values, out TimeSpan delay)
    {
        foreach (var value in values)
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && double.IsFinite(ms))
            {
                // Stryker disable once Equality : 0 ms (or -0) is TimeSpan.Zero either way
                delay = ms <= 0 ? TimeSpan.Zero
                    : ms >= TimeSpan.MaxValue.TotalMilliseconds ? TimeSpan.MaxValue
                    : TimeSpan.FromMilliseconds(ms);
                return true;
            }
        }

        delay = default;
        return false;
    }

    /// <summary>
    /// Accepts only what <see cref="RetryConditionHeaderValue"/> reads as the same delta: one to ten ASCII
    /// digits that fit an <see cref="int"/>. Anything else (white space, a date, more digits) is left to it.
    /// </summary>
    private static bool TryParseDeltaSeconds(string value, out TimeSpan delta)
    {
        // Stryker disable once Equality : an empty value has no digit to parse, so int.TryParse refuses it anyway
        if (value.Length is > 0 and <= MaxDeltaDigits
            && !value.AsSpan().ContainsAnyExceptInRange('0', '9')
            && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            delta = TimeSpan.FromSeconds(seconds);
            return true;
        }

        delta = default;
        return false;
    }

    // Stryker disable once Equality : equal values are the same maximum
    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

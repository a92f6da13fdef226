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
    public static TimeSpan? Read(HttpResponseHeaders headers, TimeProvider timeProvider)
    {
        if (headers.NonValidated.TryGetValues(InteractionsHeaderNames.RetryAfterMs, out var msValues)
            && TryParseMilliseconds(msValues, out var fromMs))
        {
            return fromMs;
        }

        if (!headers.NonValidated.Contains("Retry-After"))
        {
            return null; // avoids parsing and caching the typed header on the common path
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
                delay = ms <= 0 ? TimeSpan.Zero
                    : ms >= TimeSpan.MaxValue.TotalMilliseconds ? TimeSpan.MaxValue
                    : TimeSpan.FromMilliseconds(ms);
                return true;
            }
        }

        delay = default;
        return false;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

namespace Interactions.Resilience.Retry.Internal;

/// <summary>The computed delay of the <see cref="InteractionsPolicy.Retry"/> policy: exponential, capped, with jitter.</summary>
internal static class Backoff
{
    /// <param name="retry">The retry about to happen, from 0.</param>
    /// <param name="options">The retry options.</param>
    /// <param name="jitter">A sample in [0, 1): the caller draws it, so this stays a pure function.</param>
    public static TimeSpan Delay(int retry, InteractionsRetryOptions options, double jitter)
    {
        var exponential = options.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry, 30));
        var capped = Math.Min(exponential, options.MaxDelay.TotalMilliseconds);
        if (options.UseJitter)
        {
            // ±25 %: clients that failed together do not come back together.
            capped *= 0.75 + (jitter * 0.5);
            capped = Math.Min(capped, options.MaxDelay.TotalMilliseconds);
        }

        return TimeSpan.FromMilliseconds(capped);
    }
}

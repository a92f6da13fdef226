namespace Interactions.Resilience.Coordination.Internal;

/// <summary>
/// How long a pause that another instance announced may stop this one: at most what this instance would
/// impose itself for the same answer, so that a broken peer, a clock that runs ahead or a key left in Redis
/// cannot stop it for longer. Measured on this instance's clock (the caller passes what is left by it).
/// </summary>
internal static class RemotePauseBounds
{
    /// <summary>
    /// The part of <paramref name="remaining"/> this instance honours, or <see langword="null"/> when the code's
    /// policy here does not pause (FailFast, Retry, a Cooldown other than 020008), so the pause is ignored.
    /// </summary>
    /// <param name="localPolicy">The code's policy on this instance (its options' override, or the catalog's default).</param>
    /// <param name="code">The code that started the pause.</param>
    /// <param name="remaining">What is left of the pause by this instance's clock.</param>
    /// <param name="options">This client's options.</param>
    public static TimeSpan? Bound(InteractionsPolicy localPolicy, InteractionsErrorCode code, TimeSpan remaining, InteractionsResilienceOptions options)
    {
        TimeSpan? limit = localPolicy switch
        {
            // A halt here lasts HaltDuration, whatever the answer said.
            InteractionsPolicy.Halt => options.HaltDuration,

            // A request here never waits longer than MaxWait for a rate limit; a longer one fails fast, so a
            // longer pause would only fail requests that this instance would have sent.
            InteractionsPolicy.WaitAndRetry => options.MaxWait,

            // Of the cooldowns only the PIN cooldown pauses a scope here (020007 makes only its own request wait).
            InteractionsPolicy.Cooldown when code == InteractionsErrorCode.TwoStepPinGuessedTooFast => options.MaxWait,
            _ => null,
        };

        if (limit is not { } max || remaining <= TimeSpan.Zero)
        {
            return null;
        }

        return remaining < max ? remaining : max;
    }
}

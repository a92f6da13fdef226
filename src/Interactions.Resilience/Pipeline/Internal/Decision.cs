namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>What happens after a classified failure: the output of <see cref="DecisionRules.Decide"/>.</summary>
internal enum DecisionKind
{
    /// <summary>The outcome stands: a success, the caller's cancellation, or a failure made locally.</summary>
    None,

    /// <summary>Retry after <see cref="Decision.Delay"/> (the Retry policy's backoff, or the server's <c>Retry-After</c>).</summary>
    Retry,

    /// <summary>A rate limit: the request waits its own <see cref="Decision.Delay"/>, then passes its scope's gate again.</summary>
    WaitForRateLimit,

    /// <summary>Wait the code's cooldown (<see cref="Decision.Delay"/>), then retry once.</summary>
    Cooldown,

    /// <summary>020001 with a credential refresher: refresh once, replay at once.</summary>
    RefreshCredentials,

    /// <summary>Fail with the error; <see cref="Decision.Reason"/> says why.</summary>
    Fail,

    /// <summary>Fail, and halt the client for <see cref="Decision.Delay"/>.</summary>
    Halt,
}

/// <summary>One decision: its kind, the wait it implies, and for a failure the reason and the wait that was refused.</summary>
/// <param name="Kind">What happens.</param>
/// <param name="Delay">The wait before the next attempt, or the halt's duration.</param>
/// <param name="Reason">Why a request fails; logged.</param>
/// <param name="RefusedWait">A wait longer than <c>MaxWait</c> or the time left, which the exception carries as <c>RetryAfter</c>.</param>
internal readonly record struct Decision(DecisionKind Kind, TimeSpan Delay, string? Reason = null, TimeSpan? RefusedWait = null)
{
    public const string NotRetryable = "not retryable";
    public const string Exhausted = "retries exhausted";
    public const string MaybeProcessed = "maybe processed, and the request has no idempotency key";
    public const string WaitTooLong = "the wait exceeds MaxWait or the time left";

    public bool Retries => Kind is DecisionKind.Retry or DecisionKind.WaitForRateLimit or DecisionKind.Cooldown or DecisionKind.RefreshCredentials;

    public static Decision Fail(string reason, TimeSpan? refusedWait = null) => new(DecisionKind.Fail, TimeSpan.Zero, reason, refusedWait);
}

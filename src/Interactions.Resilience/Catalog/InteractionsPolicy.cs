namespace Interactions.Resilience;

/// <summary>What the resilience handler does with a classified failure.</summary>
public enum InteractionsPolicy
{
    /// <summary>Throw the typed exception at once, after one call.</summary>
    FailFast = 0,

    /// <summary>Retry with exponential backoff and jitter; a <c>Retry-After</c> replaces the computed delay.</summary>
    Retry = 1,

    /// <summary>
    /// Wait <c>Retry-After</c> (or <c>RateLimit.DefaultDelay</c>) and retry; the wait is shared by every
    /// concurrent request of the client, which are then released at the pace the server accepted.
    /// </summary>
    WaitAndRetry = 2,

    /// <summary>Wait the code's cooldown (<c>PinCooldown</c> or <c>RegistrationCooldown</c>), then retry once.</summary>
    Cooldown = 3,

    /// <summary>
    /// Fail fast, and for <c>HaltDuration</c> fail every later request of the client locally with the
    /// same code, without calling the server.
    /// </summary>
    Halt = 4,
}

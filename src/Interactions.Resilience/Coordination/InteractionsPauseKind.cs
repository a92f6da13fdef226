namespace Interactions.Resilience;

/// <summary>What holds back the requests of an Interactions client.</summary>
public enum InteractionsPauseKind
{
    /// <summary>The client is halted (010002, 010003, 010006 or any code whose policy is Halt): every request fails locally.</summary>
    Halt,

    /// <summary>A rate limit (030003) or PIN cooldown (020008) pauses the client or one scope: requests wait or fail fast.</summary>
    RateLimitPause,

    /// <summary>After a rate-limit pause, the client or one scope releases requests at a measured pace.</summary>
    Paced,

    /// <summary>The circuit breaker is open (or half-open, its trial under way): requests fail locally with 060002.</summary>
    CircuitOpen,
}

namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>The synchronous part of admission: go now, wait (at the rate-limit gate or the proactive limiter), or fail locally.</summary>
internal enum AdmissionResult
{
    /// <summary>Halt and circuit let the request through, and nothing makes it wait: send it.</summary>
    Go,

    /// <summary>Let through, but a rate-limit gate is active, the request's own wait is pending, or the limiter has no permit now.</summary>
    Wait,

    /// <summary>Failed locally: the client is halted or the circuit is open.</summary>
    Refused,
}

namespace Interactions.Resilience.Testing;

/// <summary>What <see cref="InteractionsSimulator"/> answered to one request.</summary>
public enum SimulatorAnswer
{
    /// <summary>The default success (possibly after a scripted delay).</summary>
    Success,

    /// <summary>A scripted error response (<see cref="InteractionsSimulator.FailNext"/>).</summary>
    Error,

    /// <summary>Rejected by the rate limit in force (<see cref="InteractionsSimulator.RateLimit(InteractionsRateLimitModel)"/>): code 030003, HTTP 400 unless the model says otherwise.</summary>
    RateLimited,

    /// <summary>Rejected by the PIN cooldown (<see cref="InteractionsSimulator.PinCooldown(TimeSpan)"/>): HTTP 400 with code 020008.</summary>
    PinCooldown,

    /// <summary>The connection was reset without any response (<see cref="InteractionsSimulator.ResetNext(int)"/>).</summary>
    Reset,

    /// <summary>An error response whose body was cut off mid-way (<see cref="InteractionsSimulator.TruncateNext"/>).</summary>
    Truncated,
}

namespace Interactions.Resilience.Telemetry.Internal;

/// <summary>What the handler did with a classified failure.</summary>
internal enum HandlingOutcome
{
    /// <summary>Retries after a backoff.</summary>
    Retrying,

    /// <summary>Waits (a rate limit or a cooldown), then retries.</summary>
    Waiting,

    /// <summary>Gives up: the exception (or the final response) goes to the app.</summary>
    Failed,

    /// <summary>Gives up and halts the client.</summary>
    Halted,
}

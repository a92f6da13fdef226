namespace Interactions.Resilience;

/// <summary>The names of the library's meter, instruments, tags and activity tags, for dashboards and alerts.</summary>
public static class InteractionsTelemetryNames
{
    /// <summary>The meter: <c>Interactions.Resilience</c>.</summary>
    public const string MeterName = "Interactions.Resilience";

    /// <summary>Counter of classified failures, tagged <see cref="ErrorCodeTag"/>, <see cref="ErrorCategoryTag"/>, <see cref="PolicyTag"/>, <see cref="OutcomeTag"/>.</summary>
    public const string Errors = "interactions.resilience.errors";

    /// <summary>Histogram of the waits the handler made, in seconds, tagged <see cref="PolicyTag"/>.</summary>
    public const string WaitDuration = "interactions.resilience.wait.duration";

    /// <summary>Counter of requests failed locally, without calling the server, because the client is halted; tagged <see cref="ErrorCodeTag"/>.</summary>
    public const string HaltedRequests = "interactions.resilience.halted.requests";

    /// <summary>Counter of requests the handler finished, tagged <see cref="OutcomeTag"/> (<c>success</c> or <c>failure</c>).</summary>
    public const string Requests = "interactions.resilience.requests";

    /// <summary>Gauge of requests waiting at a client's rate-limit gate, tagged <see cref="ClientTag"/>.</summary>
    public const string RateLimitWaiting = "interactions.resilience.rate_limit.waiting";

    /// <summary>Gauge of the pace, in requests per second, at which a client's gate releases requests (0 when not pacing), tagged <see cref="ClientTag"/>.</summary>
    public const string RateLimitPace = "interactions.resilience.rate_limit.pace";

    /// <summary>Gauge: 1 while a client is halted, else 0; tagged <see cref="ClientTag"/>.</summary>
    public const string Halted = "interactions.resilience.halted";

    /// <summary>
    /// Counter of what other instances sent and this one ignored, tagged <see cref="ReasonTag"/>: <c>policy</c>
    /// (a pause whose code does not pause here, with <see cref="ErrorCodeTag"/>), and from the Redis coordination
    /// <c>malformed</c>, <c>oversized</c>, <c>version</c> (a message or key this version does not read) and
    /// <c>pace</c> (a shared pace state that was reset).
    /// </summary>
    public const string CoordinationIgnored = "interactions.resilience.coordination.ignored";

    /// <summary>Tag: why <see cref="CoordinationIgnored"/> ignored something.</summary>
    public const string ReasonTag = "reason";

    /// <summary>Tag: the six-digit code, e.g. <c>031006</c>.</summary>
    public const string ErrorCodeTag = "error.code";

    /// <summary>Tag: the code's category, e.g. <c>Template</c>.</summary>
    public const string ErrorCategoryTag = "error.category";

    /// <summary>Tag: the policy applied, e.g. <c>Retry</c>.</summary>
    public const string PolicyTag = "policy";

    /// <summary>Tag: what the handler did: <c>retrying</c>, <c>waiting</c>, <c>failed</c>, <c>halted</c>, <c>circuit_open</c> (and <c>success</c>, <c>failure</c> on <see cref="Requests"/>).</summary>
    public const string OutcomeTag = "outcome";

    /// <summary>Tag: the name of the <c>HttpClient</c>.</summary>
    public const string ClientTag = "client.name";

    /// <summary>The description of <see cref="CoordinationIgnored"/>, the same wherever it is created.</summary>
    internal const string CoordinationIgnoredDescription = "What other instances sent through the coordination and this instance ignored.";

    /// <summary>Activity tag: the six-digit code of the last failure.</summary>
    public const string ActivityErrorCode = "interactions.error.code";

    /// <summary>Activity tag: the category of the last failure.</summary>
    public const string ActivityErrorCategory = "interactions.error.category";

    /// <summary>Activity tag: the policy applied to the last failure.</summary>
    public const string ActivityPolicy = "interactions.policy";

    /// <summary>Activity tag: what the handler did with the last failure.</summary>
    public const string ActivityOutcome = "interactions.outcome";

    /// <summary>Activity tag: how many times the server was called.</summary>
    public const string ActivityAttempts = "interactions.attempts";

    /// <summary>Activity event added for each retry or wait: <c>interactions.retry</c>.</summary>
    public const string RetryEvent = "interactions.retry";
}

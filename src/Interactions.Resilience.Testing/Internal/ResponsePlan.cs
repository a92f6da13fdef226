namespace Interactions.Resilience.Testing.Internal;

/// <summary>What the simulator decided to answer to one request; rendered by <see cref="SimulatorResponses"/>.</summary>
internal sealed record ResponsePlan
{
    public required SimulatorAnswer Answer { get; init; }

    /// <summary>The status to answer; <see langword="null"/> for a reset.</summary>
    public int? StatusCode { get; init; }

    public InteractionsErrorCode? ErrorCode { get; init; }

    public InteractionsErrorForm Form { get; init; }

    /// <summary>Meta's code, answered in Meta's shape; <see cref="ErrorCode"/> is then <see langword="null"/>.</summary>
    public int? MetaCode { get; init; }

    /// <summary>Meta's <c>error_data.details</c> instead of the documented one, or <see langword="null"/>.</summary>
    public string? MetaDetails { get; init; }

    /// <summary>The <c>Retry-After</c> header in whole seconds, or <see langword="null"/> for none.</summary>
    public long? RetryAfterSeconds { get; init; }

    public TimeSpan Delay { get; init; }

    /// <summary>The id of the message a successful <c>POST /v1/messages</c> created; <see langword="null"/> for any other success.</summary>
    public string? MessageId { get; init; }
}

namespace Interactions.Resilience.Testing.Internal;

/// <summary>One scripted answer for the next <see cref="Remaining"/> requests. Guarded by <see cref="SimulatorState"/>'s lock.</summary>
internal sealed class ScriptStep
{
    public required ScriptStepKind Kind { get; init; }

    public required int Remaining { get; set; }

    public InteractionsErrorCode Code { get; init; }

    public InteractionsErrorForm Form { get; init; }

    /// <summary>Meta's code, for the <see cref="InteractionsErrorForm.Meta"/> form.</summary>
    public int? MetaCode { get; init; }

    /// <summary>Meta's <c>error_data.details</c> instead of the documented one, or <see langword="null"/>.</summary>
    public string? MetaDetails { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    public int? StatusCode { get; init; }

    public TimeSpan Delay { get; init; }
}

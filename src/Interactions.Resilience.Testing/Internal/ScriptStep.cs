namespace Interactions.Resilience.Testing.Internal;

/// <summary>One scripted answer for the next <see cref="Remaining"/> requests. Guarded by <see cref="SimulatorState"/>'s lock.</summary>
internal sealed class ScriptStep
{
    public required ScriptStepKind Kind { get; init; }

    public required int Remaining { get; set; }

    public InteractionsErrorCode Code { get; init; }

    public InteractionsErrorForm Form { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    public int? StatusCode { get; init; }

    public TimeSpan Delay { get; init; }
}

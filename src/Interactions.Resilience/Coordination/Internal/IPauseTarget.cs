using Interactions.Resilience.Telemetry.Internal;

namespace Interactions.Resilience.Coordination.Internal;

/// <summary>A client of this instance, as the board sees it: a name, and where a pause from another instance goes.</summary>
internal interface IPauseTarget
{
    /// <summary>Gets the client's name.</summary>
    string Name { get; }

    /// <summary>Gets the client's options, which bound what other instances may impose on it.</summary>
    InteractionsResilienceOptions Options { get; }

    /// <summary>Gets the client's telemetry.</summary>
    InteractionsTelemetry Telemetry { get; }

    /// <summary>The code's policy here (the catalog's, or the options' override).</summary>
    InteractionsPolicy PolicyFor(InteractionsErrorCode code);

    /// <summary>The pauses in force on this client (halt, rate-limit pauses and paces per scope, open circuits).</summary>
    List<InteractionsPauseInfo> ReadPauses(IReadOnlyList<InteractionsPause> shared);

    /// <summary>Lifts what <paramref name="lift"/> covers; returns what it lifted, as it was just before.</summary>
    List<InteractionsPauseInfo> LiftPauses(InteractionsPauseLift lift, IReadOnlyList<InteractionsPause> shared);

    /// <summary>Applies a pause another instance started, for the <paramref name="duration"/> it has left.</summary>
    void ApplyPause(InteractionsErrorCode code, string? scope, TimeSpan duration);
}

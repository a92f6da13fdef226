namespace Interactions.Resilience.Coordination.Internal;

/// <summary>A client of this instance, as the board sees it: a name, and where a pause from another instance goes.</summary>
internal interface IPauseTarget
{
    /// <summary>Gets the client's name.</summary>
    string Name { get; }

    /// <summary>Applies a pause another instance started, for the <paramref name="duration"/> it has left.</summary>
    void ApplyPause(InteractionsErrorCode code, string? scope, TimeSpan duration);
}

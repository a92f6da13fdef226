namespace Interactions.Resilience.Coordination.Internal;

/// <summary>What a pause applies to: one code on one client or scope. A later pause of the same key replaces an earlier one.</summary>
internal readonly record struct PauseKey(string ClientName, string? Scope, InteractionsErrorCode Code)
{
    public static PauseKey Of(InteractionsPause pause) => new(pause.ClientName, pause.Scope, pause.Code);
}

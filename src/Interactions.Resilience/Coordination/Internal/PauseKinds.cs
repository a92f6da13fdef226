namespace Interactions.Resilience.Coordination.Internal;

/// <summary>The kind of pause a shared pause is on a client: a halt when its code's policy there is Halt, otherwise a rate-limit pause.</summary>
internal static class PauseKinds
{
    public static InteractionsPauseKind Of(InteractionsPolicy policy)
        => policy == InteractionsPolicy.Halt ? InteractionsPauseKind.Halt : InteractionsPauseKind.RateLimitPause;

    public static InteractionsPauseKind Of(IPauseTarget? client, InteractionsErrorCode code)
        => Of(client?.PolicyFor(code) ?? InteractionsErrorCatalog.Get(code).DefaultPolicy);
}

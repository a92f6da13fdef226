using Interactions.Resilience.Coordination.Internal;

namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>
/// The one place that reads and lifts the pauses of a client's internals (halt, rate-limit gates, circuits),
/// so that the board, the operations API and the health check do not depend on how those are built.
/// </summary>
internal static class ClientPauses
{
    /// <summary>The pauses in force on <paramref name="client"/>; a gate's code is the one its shared pause names (030003 or 020008).</summary>
    public static List<InteractionsPauseInfo> Read(RequestPipeline client, IReadOnlyList<InteractionsPause> shared)
        => [.. Find(client, shared).Select(static p => p.Info)];

    /// <summary>Lifts what <paramref name="lift"/> covers on <paramref name="client"/>; returns what it lifted, as it was just before.</summary>
    public static List<InteractionsPauseInfo> Lift(RequestPipeline client, InteractionsPauseLift lift, IReadOnlyList<InteractionsPause> shared)
    {
        var lifted = new List<InteractionsPauseInfo>();
        foreach (var (info, action) in Find(client, shared))
        {
            if (lift.Covers(info.Kind, info.Scope) && action())
            {
                lifted.Add(info);
            }
        }

        return lifted;
    }

    /// <summary>The kind of pause a shared pause of <paramref name="code"/> is on a client: a halt when its policy there is Halt.</summary>
    public static InteractionsPauseKind KindOf(RequestPipeline? client, InteractionsErrorCode code)
    {
        return PauseKinds.Of(client, code);
    }

    /// <summary>Each pause in force, with the action that lifts it (<see langword="true"/> when it was still in force).</summary>
    private static IEnumerable<(InteractionsPauseInfo Info, Func<bool> Lift)> Find(RequestPipeline client, IReadOnlyList<InteractionsPause> shared)
    {
        if (client.Admission.Halt.IsActive(out var error, out var left))
        {
            yield return (new InteractionsPauseInfo(client.Name, InteractionsPauseKind.Halt, null, error.Code, left), client.Admission.Halt.Lift);
        }

        foreach (var (scope, gate) in client.Admission.Gates.ByScope)
        {
            if (!gate.IsActive)
            {
                continue;
            }

            var pauseLeft = gate.PauseRemaining;
            if (pauseLeft > TimeSpan.Zero)
            {
                yield return (new InteractionsPauseInfo(client.Name, InteractionsPauseKind.RateLimitPause, scope, GateCode(client, scope, shared), pauseLeft), gate.Lift);
            }
            else if (gate.IsPacing)
            {
                yield return (new InteractionsPauseInfo(client.Name, InteractionsPauseKind.Paced, scope, InteractionsErrorCode.RateLimitExceeded, null), gate.Lift);
            }
        }

        foreach (var (authority, breaker) in client.Admission.Circuits.ByAuthority)
        {
            if (breaker.IsOpen(out var breakLeft))
            {
                yield return (new InteractionsPauseInfo(client.Name, InteractionsPauseKind.CircuitOpen, authority, InteractionsErrorCode.ServiceUnavailable, breakLeft > TimeSpan.Zero ? breakLeft : null), breaker.Reset);
            }
        }
    }

    private static InteractionsErrorCode GateCode(RequestPipeline client, string? scope, IReadOnlyList<InteractionsPause> shared)
    {
        foreach (var pause in shared)
        {
            if (string.Equals(pause.ClientName, client.Name, StringComparison.Ordinal)
                && string.Equals(pause.Scope, scope, StringComparison.Ordinal)
                && KindOf(client, pause.Code) == InteractionsPauseKind.RateLimitPause)
            {
                return pause.Code;
            }
        }

        return InteractionsErrorCode.RateLimitExceeded;
    }
}

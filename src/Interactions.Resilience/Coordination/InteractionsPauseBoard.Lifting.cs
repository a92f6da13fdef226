using Interactions.Resilience.Coordination.Internal;
using Interactions.Resilience.Telemetry.Internal;

namespace Interactions.Resilience;

/// <summary>Listing and lifting the pauses in force, here and, through the coordinators, on every instance.</summary>
public sealed partial class InteractionsPauseBoard
{
    /// <summary>
    /// Occurs when an operator of this instance lifted pauses (<see cref="InteractionsPauses.Lift"/>), after they
    /// were lifted here, so that coordinators lift them on the other instances too. Not raised for lifts applied
    /// through <see cref="ApplyRemoteLift"/>. Handlers must return quickly and not throw (an exception is logged and ignored).
    /// </summary>
    public event EventHandler<InteractionsPauseLift>? PausesLifted;

    /// <summary>
    /// Applies a lift that an operator of another instance made: ends here the halts, rate-limit pauses, paces
    /// and open circuits it covers, and forgets the shared pauses it covers. Does not raise <see cref="PausesLifted"/>.
    /// </summary>
    /// <param name="lift">The lift.</param>
    /// <returns>How many pauses in force here it ended.</returns>
    public int ApplyRemoteLift(InteractionsPauseLift lift)
    {
        ArgumentNullException.ThrowIfNull(lift);
        var lifted = LiftHere(lift, out _);
        Log.RemoteLiftApplied(_logger, lift.ClientName, KindName(lift.Kind), lift.Scope is not null, lifted.Count);
        return lifted.Count;
    }

    /// <summary>The pauses in force on every client of this instance, and the shared ones of clients not created yet.</summary>
    internal List<InteractionsPauseInfo> ReadPausesInForce()
    {
        var now = _time.GetUtcNow();
        List<IPauseTarget> clients;
        List<InteractionsPause> shared;
        lock (_lock)
        {
            clients = [.. _clients.Values];
            shared = [.. _inForce.Values.Where(p => p.Until > now)];
        }

        var pauses = new List<InteractionsPauseInfo>();
        foreach (var client in clients.OrderBy(static c => c.Name, StringComparer.Ordinal))
        {
            pauses.AddRange(client.ReadPauses(shared));
        }

        pauses.AddRange(shared.Where(p => !clients.Exists(c => string.Equals(c.Name, p.ClientName, StringComparison.Ordinal))).Select(p => Describe(p, now)));
        return pauses;
    }

    /// <summary>An operator of this instance lifts pauses: lift them here, log each, and tell the coordinators.</summary>
    internal List<InteractionsPauseInfo> LiftLocal(string clientName, InteractionsPauseKind? kind, string? scope)
    {
        var lifted = LiftHere(new InteractionsPauseLift(clientName, kind, scope), out var ended);
        foreach (var pause in lifted)
        {
            Log.PauseLifted(_logger, pause.Kind.ToString(), clientName, pause.Error.FormattedCode, pause.Error.Title, pause.Scope is not null, pause.TimeLeft?.TotalMilliseconds ?? 0);
        }

        if (lifted.Count == 0)
        {
            Log.NothingToLift(_logger, clientName, KindName(kind), scope is not null);
        }

        if (PausesLifted is { } handlers)
        {
            var lift = new InteractionsPauseLift(clientName, kind, scope, ended);
            foreach (var handler in handlers.GetInvocationList())
            {
                try
                {
                    ((EventHandler<InteractionsPauseLift>)handler)(this, lift);
                }
                catch (Exception ex)
                {
                    Log.LiftListenerFailed(_logger, clientName, ex);
                }
            }
        }

        return lifted;
    }

    /// <summary>The names of the clients of this instance, and of those with shared pauses in force.</summary>
    internal List<string> ClientNames()
    {
        lock (_lock)
        {
            return [.. _clients.Keys.Union(_inForce.Keys.Select(static k => k.ClientName), StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        }
    }

    private List<InteractionsPauseInfo> LiftHere(InteractionsPauseLift lift, out List<InteractionsPause> ended)
    {
        var now = _time.GetUtcNow();
        IPauseTarget? client;
        List<InteractionsPause> shared;
        lock (_lock)
        {
            _clients.TryGetValue(lift.ClientName, out client);
            shared = [.. _inForce.Values.Where(p => p.Until > now)];
            ended = [];
            foreach (var (key, pause) in _inForce)
            {
                if (string.Equals(pause.ClientName, lift.ClientName, StringComparison.Ordinal) && lift.Covers(PauseKinds.Of(client, pause.Code), pause.Scope))
                {
                    // Forgotten, so that the next such pause is announced again rather than taken for this one.
                    _inForce.Remove(key);
                    _announced.Remove(key);
                    ended.Add(pause);
                }
            }
        }

        return client is null
            ? [.. ended.Where(p => p.Until > now).Select(p => Describe(p, now))]
            : client.LiftPauses(lift, shared);
    }

    private static InteractionsPauseInfo Describe(InteractionsPause pause, DateTimeOffset now)
        => new(pause.ClientName, PauseKinds.Of(null, pause.Code), pause.Scope, pause.Code, pause.Until - now);

    private static string KindName(InteractionsPauseKind? kind) => kind?.ToString() ?? "all";
}

namespace Interactions.Resilience;

/// <summary>
/// The pauses in force on this app's Interactions clients, for operators: lists the halts, rate-limit pauses,
/// paced scopes and open circuits with their code and time left, and lifts them once the vendor confirms the
/// account is fine. <c>AddInteractionsResilience()</c> registers it as a singleton.
/// </summary>
/// <remarks>
/// <para>
/// Lifting ends the pause at once: the next request goes to the server (requests already waiting finish the
/// wait they were given). Each lift is logged at Information. With <c>WithRedisCoordination</c>, a lift
/// reaches every instance and clears the pauses stored in Redis.
/// </para>
/// <para>The API takes no identity: who may lift is the app's to decide, as for any admin endpoint.</para>
/// </remarks>
public sealed class InteractionsPauses
{
    private readonly InteractionsPauseBoard _board;
    private readonly IReadOnlySet<string> _registered;

    internal InteractionsPauses(InteractionsPauseBoard board, IReadOnlySet<string> registered)
    {
        _board = board;
        _registered = registered;
    }

    /// <summary>Gets the pauses in force now, on every client of this instance.</summary>
    /// <returns>The pauses in force, ordered by client; empty when every client sends freely.</returns>
    public IReadOnlyList<InteractionsPauseInfo> GetPausesInForce() => _board.ReadPausesInForce();

    /// <summary>Lifts the pauses of one client that match <paramref name="kind"/> and <paramref name="scope"/>, here and (with Redis coordination) on every instance.</summary>
    /// <param name="clientName">The name of the client, as given to <c>AddHttpClient</c>.</param>
    /// <param name="kind">The kind of pause to lift, or <see langword="null"/> for every kind.</param>
    /// <param name="scope">The scope to lift, or <see langword="null"/> for every scope and the whole client's.</param>
    /// <returns>The pauses lifted on this instance, as they were just before.</returns>
    public IReadOnlyList<InteractionsPauseInfo> Lift(string clientName, InteractionsPauseKind? kind = null, string? scope = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientName);
        return _board.LiftLocal(clientName, kind, scope);
    }

    /// <summary>Lifts every pause of one client, or of every client, here and (with Redis coordination) on every instance.</summary>
    /// <param name="clientName">The name of the client, or <see langword="null"/> for every client registered with <c>AddInteractionsResilience()</c> (and any other with pauses announced here).</param>
    /// <returns>The pauses lifted on this instance, as they were just before.</returns>
    public IReadOnlyList<InteractionsPauseInfo> LiftAll(string? clientName = null)
    {
        if (clientName is not null)
        {
            return Lift(clientName);
        }

        var lifted = new List<InteractionsPauseInfo>();
        foreach (var name in _board.ClientNames().Union(_registered, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            lifted.AddRange(_board.LiftLocal(name, kind: null, scope: null));
        }

        return lifted;
    }
}

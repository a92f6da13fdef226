namespace Interactions.Resilience;

/// <summary>
/// An operator lifted pauses of a client (<see cref="InteractionsPauses.Lift"/>): which ones, and the shared
/// pauses it ended. <see cref="InteractionsPauseBoard.PausesLifted"/> carries it to coordinators, which carry
/// it to the other instances (<see cref="InteractionsPauseBoard.ApplyRemoteLift"/>).
/// </summary>
public sealed class InteractionsPauseLift
{
    /// <summary>Initializes a new instance of the <see cref="InteractionsPauseLift"/> class.</summary>
    /// <param name="clientName">The name of the client, as given to <c>AddHttpClient</c>.</param>
    /// <param name="kind">The kind of pause lifted, or <see langword="null"/> for every kind.</param>
    /// <param name="scope">The scope lifted, or <see langword="null"/> for every scope and the whole client's.</param>
    /// <param name="pauses">The shared pauses (those of the board) that the lift ended; none when not given.</param>
    public InteractionsPauseLift(string clientName, InteractionsPauseKind? kind, string? scope, IReadOnlyList<InteractionsPause>? pauses = null)
    {
        ArgumentNullException.ThrowIfNull(clientName);
        ClientName = clientName;
        Kind = kind;
        Scope = scope;
        Pauses = pauses ?? [];
    }

    /// <summary>Gets the name of the client, as given to <c>AddHttpClient</c>.</summary>
    public string ClientName { get; }

    /// <summary>Gets the kind of pause lifted, or <see langword="null"/> for every kind.</summary>
    public InteractionsPauseKind? Kind { get; }

    /// <summary>Gets the scope lifted, or <see langword="null"/> for every scope and the whole client's.</summary>
    public string? Scope { get; }

    /// <summary>Gets the shared pauses (those of the board) that the lift ended, so that a coordinator can delete what it stored of them.</summary>
    public IReadOnlyList<InteractionsPause> Pauses { get; }

    /// <summary>Whether the lift covers a pause of <paramref name="kind"/> on <paramref name="scope"/> of its client.</summary>
    /// <param name="kind">The kind of the pause.</param>
    /// <param name="scope">The scope of the pause; <see langword="null"/> for the whole client.</param>
    /// <returns><see langword="true"/> when the lift ends that pause.</returns>
    public bool Covers(InteractionsPauseKind kind, string? scope)
        => (Kind is null || Kind == kind) && (Scope is null || string.Equals(Scope, scope, StringComparison.Ordinal));
}

namespace Interactions.Resilience;

/// <summary>
/// One pause in force on an Interactions client, as <see cref="InteractionsPauses.GetPausesInForce"/> lists it:
/// what kind, on which client and scope, started by which code, and how long it has left.
/// </summary>
public sealed class InteractionsPauseInfo
{
    /// <summary>Initializes a new instance of the <see cref="InteractionsPauseInfo"/> class.</summary>
    /// <param name="clientName">The name of the client, as given to <c>AddHttpClient</c>.</param>
    /// <param name="kind">What holds the requests back.</param>
    /// <param name="scope">The scope (a rate-limit scope, or the authority of a per-authority circuit), or <see langword="null"/> for the whole client.</param>
    /// <param name="code">The code requests fail or wait with.</param>
    /// <param name="timeLeft">How long the pause has left, or <see langword="null"/> when it has no fixed end (pacing, a half-open circuit).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="code"/> is not in the catalog.</exception>
    public InteractionsPauseInfo(string clientName, InteractionsPauseKind kind, string? scope, InteractionsErrorCode code, TimeSpan? timeLeft)
    {
        ArgumentNullException.ThrowIfNull(clientName);
        ClientName = clientName;
        Kind = kind;
        Scope = scope;
        Error = InteractionsErrorCatalog.Get(code);
        TimeLeft = timeLeft;
    }

    /// <summary>Gets the name of the client, as given to <c>AddHttpClient</c>.</summary>
    public string ClientName { get; }

    /// <summary>Gets what holds the requests back.</summary>
    public InteractionsPauseKind Kind { get; }

    /// <summary>
    /// Gets the scope: the one the <c>RateLimit.ScopeSelector</c> gave (e.g. a sender number), or the authority
    /// of a per-authority circuit; <see langword="null"/> for the whole client. Halts are always client-wide.
    /// </summary>
    /// <remarks>A scope may be personal data (a phone number): show it to operators, not on a public probe.</remarks>
    public string? Scope { get; }

    /// <summary>Gets the code requests fail or wait with: the halt's code, 030003 (or 020008) for a rate-limit pause or pacing, 060002 for an open circuit.</summary>
    public InteractionsErrorCode Code => Error.Code;

    /// <summary>Gets the catalog entry of <see cref="Code"/>: its six digits and title.</summary>
    public InteractionsErrorInfo Error { get; }

    /// <summary>Gets how long the pause has left, or <see langword="null"/> when it has no fixed end (pacing, a half-open circuit).</summary>
    public TimeSpan? TimeLeft { get; }

    /// <inheritdoc/>
    public override string ToString()
        => $"{ClientName}{(Scope is null ? string.Empty : "/" + Scope)}: {Kind} {Error}{(TimeLeft is { } left ? $", {left.TotalSeconds:0.#} s left" : string.Empty)}";
}

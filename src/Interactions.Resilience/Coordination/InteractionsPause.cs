namespace Interactions.Resilience;

/// <summary>
/// A pause that one instance of the app started and that every instance should honour: the rate-limit wait
/// of a client or of one of its scopes (030003, and the PIN cooldown of 020008), or a client's halt
/// (010002, 010003, 010006 and any code whose policy is <see cref="InteractionsPolicy.Halt"/>).
/// </summary>
/// <remarks>
/// <see cref="Until"/> is a point in time rather than a duration, so a message that arrives late, or a pause
/// read back from a store, ends when the original pause ends. Instances are expected to have synchronized
/// clocks (NTP); a clock that runs ahead shortens the pauses it receives.
/// </remarks>
public sealed class InteractionsPause : IEquatable<InteractionsPause>
{
    /// <summary>Initializes a new instance of the <see cref="InteractionsPause"/> class.</summary>
    /// <param name="clientName">The name of the client, as given to <c>AddHttpClient</c>.</param>
    /// <param name="scope">The scope the <c>RateLimit.ScopeSelector</c> gave the request (e.g. a sender number), or <see langword="null"/> for the whole client.</param>
    /// <param name="code">The code that started the pause.</param>
    /// <param name="until">When the pause ends.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="code"/> is not in the catalog.</exception>
    public InteractionsPause(string clientName, string? scope, InteractionsErrorCode code, DateTimeOffset until)
    {
        ArgumentNullException.ThrowIfNull(clientName);
        if (!InteractionsErrorCatalog.Contains(code))
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "The code is not in the Interactions error catalog.");
        }

        ClientName = clientName;
        Scope = scope;
        Code = code;
        Until = until;
    }

    /// <summary>Gets the name of the client, as given to <c>AddHttpClient</c>.</summary>
    public string ClientName { get; }

    /// <summary>Gets the scope the pause applies to, or <see langword="null"/> for the whole client. Halts are always client-wide.</summary>
    public string? Scope { get; }

    /// <summary>Gets the code that started the pause.</summary>
    public InteractionsErrorCode Code { get; }

    /// <summary>Gets when the pause ends.</summary>
    public DateTimeOffset Until { get; }

    /// <inheritdoc/>
    public bool Equals(InteractionsPause? other)
        => other is not null
           && string.Equals(ClientName, other.ClientName, StringComparison.Ordinal)
           && string.Equals(Scope, other.Scope, StringComparison.Ordinal)
           && Code == other.Code
           && Until == other.Until;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as InteractionsPause);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ClientName, Scope, Code, Until);

    /// <inheritdoc/>
    public override string ToString()
        => $"{ClientName}{(Scope is null ? string.Empty : "/" + Scope)} paused until {Until:O} ({InteractionsErrorCatalog.Format(Code)})";
}

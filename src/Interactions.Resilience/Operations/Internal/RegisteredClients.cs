namespace Interactions.Resilience.Operations.Internal;

/// <summary>
/// The names of the clients that called <c>AddInteractionsResilience()</c>, created or not: a lift of every
/// client reaches the other instances even from an instance whose clients have not sent yet.
/// </summary>
internal sealed class RegisteredClients
{
    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
}

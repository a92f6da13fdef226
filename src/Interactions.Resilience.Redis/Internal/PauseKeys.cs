using System.Text;

namespace Interactions.Resilience.Redis.Internal;

/// <summary>
/// The key of each pause in force: <c>{prefix}{client}:{scope}:{code}</c>, client and scope escaped so that a
/// colon in them cannot mix two pauses up, <c>*</c> for the whole client (an escaped scope never is <c>*</c>).
/// </summary>
internal static class PauseKeys
{
    public static string For(string prefix, InteractionsPause pause)
        => string.Concat(
            prefix,
            Uri.EscapeDataString(pause.ClientName),
            ":",
            pause.Scope is null ? "*" : Uri.EscapeDataString(pause.Scope),
            ":",
            InteractionsErrorCatalog.Format(pause.Code));

    /// <summary>
    /// The key of a scope's shared pace: <c>{prefix}pace/{client}:{scope}</c>. An escaped client never holds a
    /// <c>/</c>, so no pause key starts with <see cref="PacePrefix"/>.
    /// </summary>
    public static string Pace(string prefix, string clientName, string? scope)
        => string.Concat(PacePrefix(prefix), Uri.EscapeDataString(clientName), ":", scope is null ? "*" : Uri.EscapeDataString(scope));

    /// <summary>The start of every shared pace key under <paramref name="prefix"/>.</summary>
    public static string PacePrefix(string prefix) => prefix + "pace/";

    /// <summary>The SCAN pattern of every pause key: the prefix, with glob characters escaped, then anything.</summary>
    public static string Pattern(string prefix)
    {
        var pattern = new StringBuilder(prefix.Length + 2);
        foreach (var c in prefix)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                pattern.Append('\\');
            }

            pattern.Append(c);
        }

        return pattern.Append('*').ToString();
    }
}

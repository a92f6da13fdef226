namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>The credentials a request was sent with, and whether its next attempt must refresh them first.</summary>
internal struct CredentialReplay
{
    /// <summary>Gets or sets how many refreshes had completed when the request was last sent.</summary>
    public int GenerationWhenSent;

    /// <summary>Gets or sets whether the next attempt refreshes the credentials (after 020001, once).</summary>
    public bool RefreshPending;
}

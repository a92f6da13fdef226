namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>How many times one request called the server, and how many retries each policy has spent on it.</summary>
internal struct AttemptCounters
{
    /// <summary>Gets or sets how many times the server was called.</summary>
    public int Attempts;

    /// <summary>Gets or sets the retries of the Retry policy.</summary>
    public int Retries;

    /// <summary>Gets or sets the retries after 030003.</summary>
    public int RateLimitRetries;

    /// <summary>Gets or sets the retries after a cooldown.</summary>
    public int CooldownRetries;

    /// <summary>Gets or sets whether the credentials were refreshed for this request (at most once).</summary>
    public bool CredentialsRefreshed;

    /// <summary>Counts a decision that retries.</summary>
    public void Count(DecisionKind kind)
    {
        switch (kind)
        {
            case DecisionKind.Retry:
                Retries++;
                break;
            case DecisionKind.WaitForRateLimit:
                RateLimitRetries++;
                break;
            case DecisionKind.Cooldown:
                CooldownRetries++;
                break;
            case DecisionKind.RefreshCredentials:
                CredentialsRefreshed = true;
                break;
        }
    }
}

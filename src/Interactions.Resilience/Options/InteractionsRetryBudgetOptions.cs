using Interactions.Resilience.Options.Internal;

namespace Interactions.Resilience;

/// <summary>
/// The retry budget: retries may add at most a share of the client's request rate over a sliding window, so
/// an outage is not multiplied into a retry storm. Past it, a retryable failure surfaces at once.
/// </summary>
public sealed class InteractionsRetryBudgetOptions
{
    /// <summary>Gets or sets whether the budget applies.</summary>
    /// <remarks>The default value is <see langword="true"/>.</remarks>
    public bool Enabled { get; set; } = InteractionsResilienceDefaults.RetryBudgetEnabled;

    /// <summary>Gets or sets how many retries the budget allows per request of the window.</summary>
    /// <remarks>The default value is 0.2 (20 %). Range: 0 to 10.</remarks>
    public double MaxRetryRatio { get; set; } = InteractionsResilienceDefaults.RetryBudgetRatio;

    /// <summary>Gets or sets how many retries per second are always allowed, however few the requests.</summary>
    /// <remarks>The default value is 10. Range: 0 to 100000.</remarks>
    public int MinRetriesPerSecond { get; set; } = InteractionsResilienceDefaults.RetryBudgetMinPerSecond;

    /// <summary>Gets or sets the sliding window, in whole seconds.</summary>
    /// <remarks>The default value is 10 seconds. Range: 1 to 30 seconds.</remarks>
    public TimeSpan Window { get; set; } = InteractionsResilienceDefaults.RetryBudgetWindow;
}

using Interactions.Resilience.Health.Internal;
namespace Interactions.Resilience.Retry.Internal;

/// <summary>
/// Retries may add at most <c>MaxRetryRatio</c> to the client's requests over the window, with a floor of
/// <c>MinRetriesPerSecond</c>; past it a retryable failure surfaces at once.
/// </summary>
internal sealed class RetryBudget
{
    private readonly InteractionsRetryBudgetOptions _options;
    private readonly HealthWindow _health;
    private readonly int _windowSeconds;
    private readonly object _lock = new();

    public RetryBudget(InteractionsRetryBudgetOptions options, HealthWindow health)
    {
        _options = options;
        _health = health;
        _windowSeconds = (int)options.Window.TotalSeconds;
    }

    /// <summary>Takes one retry from the budget, or says it is spent.</summary>
    public bool TryAcquire()
    {
        if (!_options.Enabled)
        {
            return true;
        }

        lock (_lock)
        {
            var (requests, _, _, retries) = _health.Sum(_windowSeconds);
            var allowed = Math.Max((double)_options.MinRetriesPerSecond * _windowSeconds, _options.MaxRetryRatio * requests);
            if (retries >= allowed)
            {
                return false;
            }

            _health.Record(HealthWindow.Kind.Retry);
            return true;
        }
    }
}

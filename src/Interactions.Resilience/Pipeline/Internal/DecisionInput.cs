namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>Everything a decision depends on, so that <see cref="DecisionRules.Decide"/> needs no HTTP, no clock and no state.</summary>
/// <param name="Error">The classified failure.</param>
/// <param name="Policy">The code's policy here (the catalog's, or the options' override).</param>
/// <param name="Unsafe">Whether the method is POST or PATCH.</param>
/// <param name="HasIdempotencyKey">Whether the request carries an idempotency key.</param>
/// <param name="CanRefreshCredentials">Whether the app registered a credential refresher.</param>
/// <param name="Counters">What the request has spent so far.</param>
/// <param name="TimeLeft">What is left of the total timeout.</param>
/// <param name="PauseRemaining">What is left of the pause of the request's rate-limit scope.</param>
/// <param name="Jitter">A sample in [0, 1) that spreads the backoff.</param>
internal readonly record struct DecisionInput(
    InteractionsError Error,
    InteractionsPolicy Policy,
    bool Unsafe,
    bool HasIdempotencyKey,
    bool CanRefreshCredentials,
    AttemptCounters Counters,
    TimeSpan TimeLeft,
    TimeSpan PauseRemaining,
    double Jitter);

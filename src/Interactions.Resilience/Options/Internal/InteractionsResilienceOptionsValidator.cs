using Microsoft.Extensions.Options;

namespace Interactions.Resilience.Options.Internal;

/// <summary>
/// Checks <see cref="InteractionsResilienceOptions"/> at start-up. Each message names the setting as it is
/// written in configuration, and says what it must be and what it is.
/// </summary>
internal sealed class InteractionsResilienceOptionsValidator : IValidateOptions<InteractionsResilienceOptions>
{
    public ValidateOptionsResult Validate(string? name, InteractionsResilienceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (options.Retry is null || options.RateLimit is null || options.Idempotency is null || options.RetryBudget is null || options.CircuitBreaker is null)
        {
            return ValidateOptionsResult.Fail("Retry, RateLimit, Idempotency, RetryBudget and CircuitBreaker must not be null.");
        }

        Count(failures, "Retry:MaxRetryAttempts", options.Retry.MaxRetryAttempts);
        Duration(failures, "Retry:BaseDelay", options.Retry.BaseDelay);
        Duration(failures, "Retry:MaxDelay", options.Retry.MaxDelay);
        if (options.Retry.MaxDelay < options.Retry.BaseDelay)
        {
            failures.Add($"Retry:MaxDelay ({options.Retry.MaxDelay}) must be at least Retry:BaseDelay ({options.Retry.BaseDelay}).");
        }

        Count(failures, "RateLimit:MaxRetryAttempts", options.RateLimit.MaxRetryAttempts);
        Duration(failures, "RateLimit:DefaultDelay", options.RateLimit.DefaultDelay);

        if (options.RateLimit.PermitsPerSecond is < 1 or > 100_000)
        {
            failures.Add($"RateLimit:PermitsPerSecond must be between 1 and 100000, or unset; it is {options.RateLimit.PermitsPerSecond}.");
        }

        if (options.RateLimit.QueueLimit is < 0 or > 1_000_000)
        {
            failures.Add($"RateLimit:QueueLimit must be between 0 and 1000000; it is {options.RateLimit.QueueLimit}.");
        }

        var budget = options.RetryBudget;
        if (!double.IsFinite(budget.MaxRetryRatio) || budget.MaxRetryRatio is < 0 or > 10)
        {
            failures.Add($"RetryBudget:MaxRetryRatio must be between 0 and 10; it is {budget.MaxRetryRatio}.");
        }

        if (budget.MinRetriesPerSecond is < 0 or > 100_000)
        {
            failures.Add($"RetryBudget:MinRetriesPerSecond must be between 0 and 100000; it is {budget.MinRetriesPerSecond}.");
        }

        Window(failures, "RetryBudget:Window", budget.Window);

        var breaker = options.CircuitBreaker;
        if (!double.IsFinite(breaker.FailureRatio) || breaker.FailureRatio is <= 0 or > 1)
        {
            failures.Add($"CircuitBreaker:FailureRatio must be greater than 0 and at most 1; it is {breaker.FailureRatio}.");
        }

        if (breaker.MinimumThroughput is < 2 or > 100_000)
        {
            failures.Add($"CircuitBreaker:MinimumThroughput must be between 2 and 100000; it is {breaker.MinimumThroughput}.");
        }

        Window(failures, "CircuitBreaker:SamplingDuration", breaker.SamplingDuration);
        Duration(failures, "CircuitBreaker:BreakDuration", breaker.BreakDuration, positive: true);

        if (string.IsNullOrWhiteSpace(options.Idempotency.HeaderName) || !IsHeaderName(options.Idempotency.HeaderName))
        {
            failures.Add($"Idempotency:HeaderName must be a valid HTTP header name; it is '{options.Idempotency.HeaderName}'.");
        }

        Duration(failures, "MaxWait", options.MaxWait);
        Duration(failures, "PinCooldown", options.PinCooldown);
        Duration(failures, "RegistrationCooldown", options.RegistrationCooldown);
        Duration(failures, "HaltDuration", options.HaltDuration);
        Duration(failures, "AttemptTimeout", options.AttemptTimeout, positive: true);
        if (options.AttemptTimeout > TimeSpan.Zero && options.AttemptTimeout < InteractionsResilienceDefaults.MinAttemptTimeout)
        {
            failures.Add($"AttemptTimeout must be at least {InteractionsResilienceDefaults.MinAttemptTimeout}; it is {options.AttemptTimeout}.");
        }

        Duration(failures, "TotalTimeout", options.TotalTimeout, positive: true);
        if (options.TotalTimeout < options.AttemptTimeout)
        {
            failures.Add($"TotalTimeout ({options.TotalTimeout}) must be at least AttemptTimeout ({options.AttemptTimeout}).");
        }

        if (options.MaxErrorBodyBytes is < 0 or > InteractionsResilienceDefaults.MaxErrorBodyBytesLimit)
        {
            failures.Add($"MaxErrorBodyBytes must be between 0 and {InteractionsResilienceDefaults.MaxErrorBodyBytesLimit}; it is {options.MaxErrorBodyBytes}.");
        }

        foreach (var (key, policy) in options.Policies)
        {
            if (key is not { Length: 6 } || !InteractionsErrorCatalog.TryParse(key, out var code))
            {
                failures.Add($"Policies:{key} does not name a code of the catalog; keys are six-digit codes such as 031006.");
            }
            else if (!Enum.IsDefined(policy))
            {
                failures.Add($"Policies:{key} must be one of {string.Join(", ", Enum.GetNames<InteractionsPolicy>())}; it is {(int)policy}.");
            }
            else if (policy == InteractionsPolicy.Cooldown && code is not (InteractionsErrorCode.WaitBeforeRegistering or InteractionsErrorCode.TwoStepPinGuessedTooFast))
            {
                failures.Add($"Policies:{key} cannot be Cooldown: only 020007 and 020008 have a cooldown.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Count(List<string> failures, string setting, int value)
    {
        if (value is < 0 or > InteractionsResilienceDefaults.MaxRetryAttemptsLimit)
        {
            failures.Add($"{setting} must be between 0 and {InteractionsResilienceDefaults.MaxRetryAttemptsLimit}; it is {value}.");
        }
    }

    private static void Window(List<string> failures, string setting, TimeSpan value)
    {
        if (value < TimeSpan.FromSeconds(1) || value > InteractionsResilienceDefaults.MaxWindow || value.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            failures.Add($"{setting} must be whole seconds from 00:00:01 to {InteractionsResilienceDefaults.MaxWindow}; it is {value}.");
        }
    }

    private static void Duration(List<string> failures, string setting, TimeSpan value, bool positive = false)
    {
        var limit = InteractionsResilienceDefaults.MaxDelayLimit;
        if ((positive ? value <= TimeSpan.Zero : value < TimeSpan.Zero) || value > limit)
        {
            failures.Add($"{setting} must be {(positive ? "greater than 00:00:00" : "at least 00:00:00")} and at most {limit}; it is {value}.");
        }
    }

    private static bool IsHeaderName(string name)
    {
        // The request-header collection refuses names with invalid characters and content headers.
        using var probe = new HttpRequestMessage();
        return probe.Headers.TryAddWithoutValidation(name, "x");
    }
}

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

        if (options.Retry is null || options.RateLimit is null || options.Idempotency is null)
        {
            return ValidateOptionsResult.Fail("Retry, RateLimit and Idempotency must not be null.");
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

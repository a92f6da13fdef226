using Interactions.Resilience.Idempotency.Internal;
using Interactions.Resilience.Retry.Internal;

namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>
/// The decision after a classified failure, as a pure function of the error, the request, what it has spent,
/// the time left and the options: no HTTP, no clock, no state (tested as a table in <c>DecisionRulesTests</c>).
/// </summary>
internal static class DecisionRules
{
    public static Decision Decide(in DecisionInput input, InteractionsResilienceOptions options)
    {
        var error = input.Error;
        var counters = input.Counters;

        // A "maybe processed" outcome of a POST or PATCH without a key may already have been acted on.
        if (input.Unsafe && !input.HasIdempotencyKey && IdempotencyRules.MaybeProcessed(error) && input.Policy is not (InteractionsPolicy.FailFast or InteractionsPolicy.Halt))
        {
            return Decision.Fail(Decision.MaybeProcessed);
        }

        if (error.Code == InteractionsErrorCode.TokenExpired && input.CanRefreshCredentials && !counters.CredentialsRefreshed)
        {
            return new Decision(DecisionKind.RefreshCredentials, TimeSpan.Zero);
        }

        Decision decision;
        TimeSpan wait;
        switch (input.Policy)
        {
            case InteractionsPolicy.Retry when counters.Retries < options.Retry.MaxRetryAttempts:
                wait = error.RetryAfter ?? Backoff.Delay(counters.Retries, options.Retry, input.Jitter);
                decision = new Decision(DecisionKind.Retry, wait);
                break;
            case InteractionsPolicy.WaitAndRetry when counters.RateLimitRetries < options.RateLimit.MaxRetryAttempts:
                // The request waits its own Retry-After; then its scope's gate, whose pause counts toward the limit.
                var own = error.RetryAfter ?? options.RateLimit.DefaultDelay;
                decision = new Decision(DecisionKind.WaitForRateLimit, own);
                wait = own > input.PauseRemaining ? own : input.PauseRemaining;
                break;
            case InteractionsPolicy.Cooldown when counters.CooldownRetries < 1:
                wait = error.RetryAfter ?? CooldownOf(error.Code, options);
                decision = new Decision(DecisionKind.Cooldown, wait);
                break;
            case InteractionsPolicy.Halt:
                return new Decision(DecisionKind.Halt, options.HaltDuration);
            case InteractionsPolicy.FailFast:
                return Decision.Fail(Decision.NotRetryable);
            default:
                return Decision.Fail(Decision.Exhausted);
        }

        var limit = options.MaxWait < input.TimeLeft ? options.MaxWait : input.TimeLeft;
        return wait > limit ? Decision.Fail(Decision.WaitTooLong, wait) : decision;
    }

    /// <summary>The wait a cooldown code imposes when the server names none.</summary>
    public static TimeSpan CooldownOf(InteractionsErrorCode code, InteractionsResilienceOptions options)
        => code == InteractionsErrorCode.WaitBeforeRegistering ? options.RegistrationCooldown : options.PinCooldown;

    /// <summary>The wait a rate limit imposes when the server names none.</summary>
    public static TimeSpan RateLimitWaitOf(InteractionsError error, InteractionsResilienceOptions options)
        => error.RetryAfter ?? options.RateLimit.DefaultDelay;
}

namespace Interactions.Resilience.Demo.Commands;

/// <summary>What the handler does with a code under its policy, and what the app should do about it.</summary>
internal static class PolicyAdvice
{
    public static string HandlerDoes(InteractionsErrorInfo entry) => entry.DefaultPolicy switch
    {
        InteractionsPolicy.Retry =>
            "Retries with exponential backoff and jitter (Retry:BaseDelay, up to Retry:MaxRetryAttempts); a Retry-After replaces the computed delay."
            + (entry.Code is InteractionsErrorCode.InternalServerError or InteractionsErrorCode.UnknownError
                ? " The server may have acted on the request, so a POST or PATCH is retried only with an Idempotency-Key (the handler stamps one by default)."
                : string.Empty),
        InteractionsPolicy.WaitAndRetry =>
            "Pauses every request of the client until Retry-After (or RateLimit:DefaultDelay), then releases the waiting requests at the rate the server accepted, up to RateLimit:MaxRetryAttempts retries each.",
        InteractionsPolicy.Cooldown =>
            $"Waits {(entry.Code == InteractionsErrorCode.WaitBeforeRegistering ? "RegistrationCooldown (5 min by default)" : "PinCooldown (30 s by default)")} or the server's Retry-After, then retries once. A wait beyond MaxWait fails fast at once with RetryAfter set.",
        InteractionsPolicy.Halt =>
            "Fails fast, and for HaltDuration (60 s by default) fails every later request of the client locally with the same code and Attempts = 0, without calling the server.",
        _ => "Fails fast: one call, no retry; the typed exception reaches the app at once.",
    };

    public static string AppShould(InteractionsErrorInfo entry) => entry.DefaultPolicy switch
    {
        InteractionsPolicy.Retry => "Nothing while it retries. If the exception still arrives, the outage outlasted the retries: queue the work and try again later (at RetryAfter when set).",
        InteractionsPolicy.WaitAndRetry => "Send less, or spread the sends. If InteractionsRateLimitException still arrives, queue the message and retry after RetryAfter.",
        InteractionsPolicy.Cooldown => entry.Code == InteractionsErrorCode.WaitBeforeRegistering
            ? "Tell the user to try registering again after RetryAfter; schedule it rather than wait."
            : "Tell the user to wait before entering the PIN again; if the exception arrives, RetryAfter says how long.",
        InteractionsPolicy.Halt => "Contact the vendor's support. Page whoever owns the account; the client stops calling for HaltDuration, so queue messages meanwhile.",
        _ => FailFastAdvice(entry),
    };

    private static string FailFastAdvice(InteractionsErrorInfo entry) => entry.Code switch
    {
        InteractionsErrorCode.TokenExpired => "Get a new token and send again.",
        InteractionsErrorCode.InvalidCredentials or InteractionsErrorCode.UnauthorizedAccess => "Fix the credentials or the account's rights in configuration; retrying cannot help.",
        InteractionsErrorCode.TwoStepVerificationPinMismatch => "Ask the user for the PIN again.",
        InteractionsErrorCode.PhoneNumberReVerificationNeeded or InteractionsErrorCode.PhoneNumberNotRegistered => "Run the phone number's verification or registration flow first.",
        InteractionsErrorCode.PhoneNumberDeleted => "The number is gone: contact the vendor's support.",
        InteractionsErrorCode.ReengagementMessage => "The customer has not replied for 24 hours: send an approved template instead of free text.",
        InteractionsErrorCode.TemplateIsPaused => "Re-activate the template in the vendor's console; hold the messages that use it until then.",
        _ => entry.Category switch
        {
            InteractionsErrorCategory.Template => "Fix the template or its parameters; the same request cannot succeed as it is.",
            InteractionsErrorCategory.Permissions => "Check the account's permissions and certificate with the administrator.",
            InteractionsErrorCategory.Payment => "Settle the billing issue with the vendor.",
            _ => "Fix the request (recipient, message, parameters); the same request cannot succeed as it is.",
        },
    };
}

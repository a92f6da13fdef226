namespace Interactions.Resilience.Classification.Internal;

/// <summary>
/// Step 3 of classification: Meta's WhatsApp Cloud API codes, which the vendor's gateway relays in Meta's own body,
/// mapped to the catalog code of the same meaning. A Meta code not listed is 080001, whose policy then follows the
/// HTTP status (see <c>PolicyTable</c>). <c>docs/meta-errors.md</c> shows this table to users; keep the two together.
/// </summary>
/// <remarks>
/// Source: Meta's "WhatsApp Cloud API error codes" reference (developers.facebook.com, WhatsApp Business Platform,
/// Support, Error codes). Rows whose mapping is a judgment, rather than the same title, say why.
/// </remarks>
internal static class MetaErrorTable
{
    public static InteractionsErrorCode? Map(int metaCode) => metaCode switch
    {
        // Authorization
        0 => InteractionsErrorCode.TokenExpired,                     // judgment: AuthException, "the access token has expired or been invalidated": a new token fixes it, so a credential refresher gets its one chance
        3 => InteractionsErrorCode.PermissionDenied,                 // judgment: API Method, "capability or permissions issue"
        10 => InteractionsErrorCode.PermissionDenied,                // Permission Denied
        190 => InteractionsErrorCode.TokenExpired,                   // Access token has expired
        >= 200 and <= 299 => InteractionsErrorCode.PermissionsRemoved, // judgment: API Permission, "not granted or has been removed" (the same text as 10, which takes 040001)

        // Throttling: each waited out like the vendor's 030003
        4 => InteractionsErrorCode.RateLimitExceeded,                // judgment: API Too Many Calls, the app's call rate limit
        80007 => InteractionsErrorCode.RateLimitExceeded,            // judgment: the WhatsApp Business Account's rate limit
        130429 => InteractionsErrorCode.RateLimitExceeded,           // Rate limit hit: Cloud API message throughput
        131056 => InteractionsErrorCode.RateLimitExceeded,           // pair rate limit hit: one recipient, so scoped to it (ScopesToRecipient)

        // Integrity: halted like the vendor's own blocks and locks
        368 => InteractionsErrorCode.TemporarilyBlocked,             // Temporarily blocked for policies violations
        131031 => InteractionsErrorCode.AccountLocked,               // judgment: Business Account locked; every send fails until Meta unlocks it

        // Request and recipient
        2 => InteractionsErrorCode.ServerOverloaded,                 // judgment: API Service, "temporary due to downtime or due to being overloaded"
        33 => InteractionsErrorCode.PhoneNumberDeleted,              // judgment: "parameter value is not valid", whose meaning Meta gives as "the business phone number has been deleted"
        100 => InteractionsErrorCode.InvalidParameters,              // Invalid parameter
        131000 => InteractionsErrorCode.InternalServerError,         // Something went wrong
        131005 => InteractionsErrorCode.PermissionDenied,            // Access denied
        131008 => InteractionsErrorCode.InvalidParameters,           // Required parameter is missing
        131009 => InteractionsErrorCode.InvalidParameters,           // Parameter value is not valid
        131016 => InteractionsErrorCode.ServiceUnavailable,          // Service unavailable
        131021 => InteractionsErrorCode.RecipientCannotBeSender,     // Recipient cannot be sender
        131026 => InteractionsErrorCode.MessageUndeliverable,        // Message Undeliverable
        131042 => InteractionsErrorCode.BusinessEligibilityPaymentIssue, // Business eligibility payment issue
        131045 => InteractionsErrorCode.IncorrectCertificate,        // Incorrect certificate
        131047 => InteractionsErrorCode.ReengagementMessage,         // Re-engagement message: 24 h since the customer's last reply
        131051 => InteractionsErrorCode.UnsupportedMessageType,      // Unsupported message type
        131052 => InteractionsErrorCode.MediaDownloadError,          // Media download error
        131053 => InteractionsErrorCode.MediaUploadError,            // Media upload error
        131057 => InteractionsErrorCode.VendorAccountInMaintenanceMode, // judgment: Meta's account in maintenance mode is the vendor's account, as the gateway sees it

        // Templates, 132000–132015 by meaning (the range's other numbers are not Meta codes)
        132000 => InteractionsErrorCode.ParameterCountMismatch,      // Template Param Count Mismatch
        132001 => InteractionsErrorCode.TemplateNotExist,            // Template does not exist
        132005 => InteractionsErrorCode.HydratedTextTooLong,         // Template Hydrated Text Too Long
        132007 => InteractionsErrorCode.FormatCharacterPolicyViolated, // Template Format Character Policy Violated
        132012 => InteractionsErrorCode.ParameterFormatMismatch,     // Template Parameter Format Mismatch
        132015 => InteractionsErrorCode.TemplateIsPaused,            // Template is Paused

        // Registration and two-step verification
        133004 => InteractionsErrorCode.ServerTemporarilyUnavailable, // Server Temporarily Unavailable
        133005 => InteractionsErrorCode.TwoStepVerificationPinMismatch, // Two step verification PIN Mismatch
        133006 => InteractionsErrorCode.PhoneNumberReVerificationNeeded, // Phone number re-verification needed
        133008 => InteractionsErrorCode.TwoStepPinGuessedTooFast,    // judgment: too many PIN guesses; "try again after the time in details"
        133009 => InteractionsErrorCode.TwoStepPinGuessedTooFast,    // Two step verification PIN Guessed Too Fast
        133010 => InteractionsErrorCode.PhoneNumberNotRegistered,    // Phone number Not Registered
        133015 => InteractionsErrorCode.WaitBeforeRegistering,       // Please wait a few minutes before attempting to register this phone number
        133016 => InteractionsErrorCode.WaitBeforeRegistering,       // judgment: register/deregister rate limit, a wait before registering again

        // Deliberately not mapped, so 080001 whose policy follows the status (a 400 fails fast): 1 API Unknown;
        // 131048 spam rate limit and 131049 "chose not to deliver" (quality limits that a wait of seconds does not
        // lift, and a retry makes worse); 131050, 130472, 130497, 135000 and the rest.
        _ => null,
    };

    /// <summary>Whether the code limits one recipient rather than the sender: its wait is scoped to the request's <c>to</c>.</summary>
    public static bool ScopesToRecipient(int metaCode) => metaCode == 131056;

    /// <summary>Whether the code's <c>error_data.details</c> may state how long to wait; read when no <c>Retry-After</c> came.</summary>
    public static bool DetailsMayStateWait(int metaCode) => metaCode is 133008 or 133009 or 133015 or 133016;
}

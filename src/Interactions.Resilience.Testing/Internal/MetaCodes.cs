namespace Interactions.Resilience.Testing.Internal;

/// <summary>
/// What the simulator says for a Meta WhatsApp Cloud API code, as Meta documents it: the title that goes into
/// <c>message</c> as <c>(#code) title</c>, the <c>error_data.details</c>, and the HTTP status. This is the fake
/// server's own knowledge, deliberately not the client's table, so tests check the client against it.
/// </summary>
internal static class MetaCodes
{
    public static (string Title, string Details, int Status) Describe(int metaCode) => metaCode switch
    {
        0 => ("AuthException", "We were unable to authenticate the app user.", 401),
        1 => ("API Unknown", "Invalid request or possible server error.", 400),
        2 => ("API Service", "Temporary due to downtime or due to being overloaded.", 503),
        3 => ("API Method", "Capability or permissions issue.", 500),
        4 => ("API Too Many Calls", "The app has reached its API call rate limit.", 429),
        10 => ("Permission Denied", "Permission is either not granted or has been removed.", 403),
        33 => ("Parameter value is not valid", "The business phone number has been deleted.", 400),
        100 => ("Invalid parameter", "The request included one or more unsupported or misspelled parameters.", 400),
        190 => ("Access token has expired", "Your access token has expired.", 401),
        >= 200 and <= 299 => ("API Permission", "Permission is either not granted or has been removed.", 403),
        368 => ("Temporarily blocked for policies violations", "The WhatsApp Business Account associated with the app has been restricted or disabled for violating a platform policy.", 403),
        80007 => ("Rate limit issues", "The WhatsApp Business Account has reached its rate limit.", 429),
        130429 => ("Rate limit hit", "Cloud API message throughput has been reached.", 429),
        131000 => ("Something went wrong", "Message failed to send due to an unknown error.", 500),
        131005 => ("Access denied", "Permission is either not granted or has been removed.", 403),
        131008 => ("Required parameter is missing", "The request is missing a required parameter.", 400),
        131009 => ("Parameter value is not valid", "One or more parameter values are invalid.", 400),
        131016 => ("Service unavailable", "A service is temporarily unavailable.", 503),
        131021 => ("Recipient cannot be sender", "Sender and recipient phone number is the same.", 400),
        131026 => ("Message Undeliverable", "Unable to deliver message.", 400),
        131031 => ("Account has been locked", "The Business Account was restricted or disabled for violating a platform policy.", 403),
        131042 => ("Business eligibility payment issue", "There was an error related to your payment method.", 400),
        131045 => ("Incorrect certificate", "Message failed to send due to a phone number registration error.", 500),
        131047 => ("Re-engagement message", "Message failed to send because more than 24 hours have passed since the customer last replied to this number.", 400),
        131048 => ("Spam rate limit hit", "Message failed to send because there are restrictions on how many messages can be sent from this phone number.", 400),
        131049 => ("This message was not delivered to maintain healthy ecosystem engagement.", "In order to maintain a healthy ecosystem engagement, the message failed to be delivered.", 400),
        131051 => ("Unsupported message type", "Unsupported message type.", 400),
        131052 => ("Media download error", "Unable to download the media sent by the user.", 400),
        131053 => ("Media upload error", "Unable to upload the media used in the message.", 400),
        131056 => ("(Business Account, Consumer Account) pair rate limit hit", "Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.", 429),
        131057 => ("Account in maintenance mode", "Business Account is in maintenance mode.", 500),
        132000 => ("Number of parameters does not match the expected number of params", "The number of variable parameter values included in the request did not match the number of variable parameters defined in the template.", 400),
        132001 => ("Template does not exist", "The template does not exist in the specified language or the template has not been approved.", 404),
        132005 => ("Translated text too long", "Translated text is too long.", 400),
        132007 => ("Template Format Character Policy Violated", "Template content violates a WhatsApp policy.", 400),
        132012 => ("Template Parameter Format Mismatch", "Variable parameter values formatted incorrectly.", 400),
        132015 => ("Template is Paused", "Template is paused due to low quality so it cannot be sent in a template message.", 400),
        133004 => ("Server Temporarily Unavailable", "Server is temporarily unavailable.", 503),
        133005 => ("Two step verification PIN Mismatch", "Two step verification PIN incorrect.", 400),
        133006 => ("Phone number re-verification needed", "Phone number needs to be verified before registering.", 400),
        133008 => ("Too many two step verification PIN guesses for this phone number", "Too many two step verification PIN guesses for this phone number.", 400),
        133009 => ("Two step verification PIN Guessed Too Fast", "Two step verification PIN was entered too quickly.", 400),
        133010 => ("Phone number Not Registered", "Phone number not registered on the WhatsApp Business Platform.", 400),
        133015 => ("Please wait a few minutes before attempting to register this phone number", "The phone number you are attempting to register was recently deleted, and deletion has not yet completed. Wait 5 minutes before re-trying the request.", 400),
        133016 => ("Account register deregister rate limit exceeded", "Registration or Deregistration failed because there were too many attempts for this phone number in a short period of time.", 400),
        135000 => ("Generic user error", "Message failed to send because of an unknown error with your request parameters.", 400),
        _ => ("Undocumented error", "The simulator answered a Meta code it does not document.", 400),
    };

    /// <summary>
    /// The Meta code that stands for a catalog code, for <see cref="InteractionsErrorForm.Meta"/>, or
    /// <see langword="null"/> for a catalog code Meta has no counterpart of.
    /// </summary>
    public static int? CounterpartOf(InteractionsErrorCode code) => code switch
    {
        InteractionsErrorCode.TemporarilyBlocked => 368,
        InteractionsErrorCode.AccountLocked => 131031,
        InteractionsErrorCode.RecipientCannotBeSender => 131021,
        InteractionsErrorCode.MessageUndeliverable => 131026,
        InteractionsErrorCode.TokenExpired => 190,
        InteractionsErrorCode.TwoStepVerificationPinMismatch => 133005,
        InteractionsErrorCode.PhoneNumberReVerificationNeeded => 133006,
        InteractionsErrorCode.PhoneNumberNotRegistered => 133010,
        InteractionsErrorCode.WaitBeforeRegistering => 133015,
        InteractionsErrorCode.TwoStepPinGuessedTooFast => 133009,
        InteractionsErrorCode.InvalidParameters => 100,
        InteractionsErrorCode.RateLimitExceeded => 130429,
        InteractionsErrorCode.UnsupportedMessageType => 131051,
        InteractionsErrorCode.PhoneNumberDeleted => 33,
        InteractionsErrorCode.ParameterCountMismatch => 132000,
        InteractionsErrorCode.TemplateNotExist => 132001,
        InteractionsErrorCode.HydratedTextTooLong => 132005,
        InteractionsErrorCode.FormatCharacterPolicyViolated => 132007,
        InteractionsErrorCode.ParameterFormatMismatch => 132012,
        InteractionsErrorCode.TemplateIsPaused => 132015,
        InteractionsErrorCode.MediaDownloadError => 131052,
        InteractionsErrorCode.MediaUploadError => 131053,
        InteractionsErrorCode.PermissionDenied => 10,
        InteractionsErrorCode.IncorrectCertificate => 131045,
        InteractionsErrorCode.VendorAccountInMaintenanceMode => 131057,
        InteractionsErrorCode.ReengagementMessage => 131047,
        InteractionsErrorCode.InternalServerError => 131000,
        InteractionsErrorCode.ServiceUnavailable => 131016,
        InteractionsErrorCode.ServerTemporarilyUnavailable => 133004,
        InteractionsErrorCode.ServerOverloaded => 2,
        InteractionsErrorCode.BusinessEligibilityPaymentIssue => 131042,
        _ => null,
    };
}

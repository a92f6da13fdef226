namespace Interactions.Resilience;

/// <summary>
/// The vendor's 38 error codes. The value is the code as a number (<c>031006</c> is <c>31006</c>);
/// the name is the vendor's title in PascalCase. <see cref="InteractionsErrorCatalog"/> has the text of each.
/// </summary>
public enum InteractionsErrorCode
{
    /// <summary>010001 Invalid Request.</summary>
    InvalidRequest = 10001,

    /// <summary>010002 Temporarily Blocked.</summary>
    TemporarilyBlocked = 10002,

    /// <summary>010003 Account Locked.</summary>
    AccountLocked = 10003,

    /// <summary>010004 Recipient Cannot Be Sender.</summary>
    RecipientCannotBeSender = 10004,

    /// <summary>010005 Message Undeliverable.</summary>
    MessageUndeliverable = 10005,

    /// <summary>010006 Account Inactive.</summary>
    AccountInactive = 10006,

    /// <summary>020001 Token Expired.</summary>
    TokenExpired = 20001,

    /// <summary>020002 Invalid Credentials.</summary>
    InvalidCredentials = 20002,

    /// <summary>020003 Unauthorized Access.</summary>
    UnauthorizedAccess = 20003,

    /// <summary>020004 Two-Step Verification PIN Mismatch.</summary>
    TwoStepVerificationPinMismatch = 20004,

    /// <summary>020005 Phone Number Re-verification Needed.</summary>
    PhoneNumberReVerificationNeeded = 20005,

    /// <summary>020006 Phone Number Not Registered.</summary>
    PhoneNumberNotRegistered = 20006,

    /// <summary>020007 Wait Before Registering.</summary>
    WaitBeforeRegistering = 20007,

    /// <summary>020008 Two-Step PIN Guessed Too Fast.</summary>
    TwoStepPinGuessedTooFast = 20008,

    /// <summary>030001 Method Not Allowed.</summary>
    MethodNotAllowed = 30001,

    /// <summary>030002 Invalid Parameters.</summary>
    InvalidParameters = 30002,

    /// <summary>030003 Rate Limit Exceeded.</summary>
    RateLimitExceeded = 30003,

    /// <summary>030004 Unsupported Message Type.</summary>
    UnsupportedMessageType = 30004,

    /// <summary>030005 Phone Number Deleted.</summary>
    PhoneNumberDeleted = 30005,

    /// <summary>031001 Parameter Count Mismatch.</summary>
    ParameterCountMismatch = 31001,

    /// <summary>031002 Template Not Exist.</summary>
    TemplateNotExist = 31002,

    /// <summary>031003 Hydrated Text Too Long.</summary>
    HydratedTextTooLong = 31003,

    /// <summary>031004 Format Character Policy Violated.</summary>
    FormatCharacterPolicyViolated = 31004,

    /// <summary>031005 Parameter Format Mismatch.</summary>
    ParameterFormatMismatch = 31005,

    /// <summary>031006 Template Is Paused.</summary>
    TemplateIsPaused = 31006,

    /// <summary>032001 Media Download Error.</summary>
    MediaDownloadError = 32001,

    /// <summary>032002 Media Upload Error.</summary>
    MediaUploadError = 32002,

    /// <summary>040001 Permission Denied.</summary>
    PermissionDenied = 40001,

    /// <summary>040002 Permissions Removed.</summary>
    PermissionsRemoved = 40002,

    /// <summary>040003 Incorrect Certificate.</summary>
    IncorrectCertificate = 40003,

    /// <summary>050001 Vendor Account in Maintenance Mode.</summary>
    VendorAccountInMaintenanceMode = 50001,

    /// <summary>050002 Reengagement Message.</summary>
    ReengagementMessage = 50002,

    /// <summary>060001 Internal Server Error.</summary>
    InternalServerError = 60001,

    /// <summary>060002 Service Unavailable.</summary>
    ServiceUnavailable = 60002,

    /// <summary>060003 Server Temporarily Unavailable.</summary>
    ServerTemporarilyUnavailable = 60003,

    /// <summary>060004 Server Overloaded.</summary>
    ServerOverloaded = 60004,

    /// <summary>070001 Business Eligibility Payment Issue.</summary>
    BusinessEligibilityPaymentIssue = 70001,

    /// <summary>080001 Unknown Error.</summary>
    UnknownError = 80001,
}

using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Interactions.Resilience;

/// <summary>
/// The vendor's catalog of 38 error codes: title, message, category and default policy of each.
/// This table is the one source; the enum, the docs and the demo are derived from it or checked against it.
/// </summary>
public static class InteractionsErrorCatalog
{
    // The vendor's document, row for row. Titles and messages are the vendor's, character for character.
    private static readonly InteractionsErrorInfo[] Entries =
    [
        new(InteractionsErrorCode.InvalidRequest, InteractionsErrorCategory.General, InteractionsPolicy.FailFast,
            "Invalid Request",
            "The request made to the server is invalid. This could be due to malformed syntax, missing required parameters, or incorrect parameter types."),
        new(InteractionsErrorCode.TemporarilyBlocked, InteractionsErrorCategory.General, InteractionsPolicy.Halt,
            "Temporarily Blocked",
            "Your access has been temporarily blocked due to policy violations. Contact support if this is an error."),
        new(InteractionsErrorCode.AccountLocked, InteractionsErrorCategory.General, InteractionsPolicy.Halt,
            "Account Locked",
            "Your account has been locked due to suspicious activity or multiple failed login attempts. Contact support."),
        new(InteractionsErrorCode.RecipientCannotBeSender, InteractionsErrorCategory.General, InteractionsPolicy.FailFast,
            "Recipient Cannot Be Sender",
            "The recipient cannot be the same as the sender. Please correct the recipient information and try again."),
        new(InteractionsErrorCode.MessageUndeliverable, InteractionsErrorCategory.General, InteractionsPolicy.FailFast,
            "Message Undeliverable",
            "The message could not be delivered. Please check the message details and try again."),
        new(InteractionsErrorCode.AccountInactive, InteractionsErrorCategory.General, InteractionsPolicy.Halt,
            "Account Inactive",
            "Your account is currently inactive. Please contact support for assistance in reactivating your account."),
        new(InteractionsErrorCode.TokenExpired, InteractionsErrorCategory.Authentication, InteractionsPolicy.FailFast,
            "Token Expired",
            "The authentication token has expired."),
        new(InteractionsErrorCode.InvalidCredentials, InteractionsErrorCategory.Authentication, InteractionsPolicy.FailFast,
            "Invalid Credentials",
            "The provided credentials are invalid."),
        new(InteractionsErrorCode.UnauthorizedAccess, InteractionsErrorCategory.Authentication, InteractionsPolicy.FailFast,
            "Unauthorized Access",
            "Unauthorized access. You lack the required permissions to proceed."),
        new(InteractionsErrorCode.TwoStepVerificationPinMismatch, InteractionsErrorCategory.Authentication, InteractionsPolicy.FailFast,
            "Two-Step Verification PIN Mismatch",
            "The two-step verification PIN does not match. Please try again."),
        new(InteractionsErrorCode.PhoneNumberReVerificationNeeded, InteractionsErrorCategory.Authentication, InteractionsPolicy.FailFast,
            "Phone Number Re-verification Needed",
            "Phone number re-verification is needed. Please verify your phone number."),
        new(InteractionsErrorCode.PhoneNumberNotRegistered, InteractionsErrorCategory.Authentication, InteractionsPolicy.FailFast,
            "Phone Number Not Registered",
            "The phone number is not registered. Please register the phone number to continue."),
        new(InteractionsErrorCode.WaitBeforeRegistering, InteractionsErrorCategory.Authentication, InteractionsPolicy.Cooldown,
            "Wait Before Registering",
            "Please wait a few minutes before attempting to register this phone number again."),
        new(InteractionsErrorCode.TwoStepPinGuessedTooFast, InteractionsErrorCategory.Authentication, InteractionsPolicy.Cooldown,
            "Two-Step PIN Guessed Too Fast",
            "You have attempted to guess the two-step verification PIN too quickly. Please wait a moment before trying again."),
        new(InteractionsErrorCode.MethodNotAllowed, InteractionsErrorCategory.Api, InteractionsPolicy.FailFast,
            "Method Not Allowed",
            "The HTTP method used in the request is not allowed for the specified resource."),
        new(InteractionsErrorCode.InvalidParameters, InteractionsErrorCategory.Api, InteractionsPolicy.FailFast,
            "Invalid Parameters",
            "The parameters provided in the API request are invalid or missing required information."),
        new(InteractionsErrorCode.RateLimitExceeded, InteractionsErrorCategory.Api, InteractionsPolicy.WaitAndRetry,
            "Rate Limit Exceeded",
            "The rate limit for API requests has been exceeded. Please wait a while before making more requests."),
        new(InteractionsErrorCode.UnsupportedMessageType, InteractionsErrorCategory.Api, InteractionsPolicy.FailFast,
            "Unsupported Message Type",
            "The message type is not supported by the API. Please check the API documentation for supported message types."),
        new(InteractionsErrorCode.PhoneNumberDeleted, InteractionsErrorCategory.Api, InteractionsPolicy.FailFast,
            "Phone Number Deleted",
            "The phone number has been deleted. Please contact support!"),
        new(InteractionsErrorCode.ParameterCountMismatch, InteractionsErrorCategory.Template, InteractionsPolicy.FailFast,
            "Parameter Count Mismatch",
            "The template parameter count does not match the expected number of parameters."),
        new(InteractionsErrorCode.TemplateNotExist, InteractionsErrorCategory.Template, InteractionsPolicy.FailFast,
            "Template Not Exist",
            "The specified template does not exist. Please check the template identifier."),
        new(InteractionsErrorCode.HydratedTextTooLong, InteractionsErrorCategory.Template, InteractionsPolicy.FailFast,
            "Hydrated Text Too Long",
            "The hydrated text in the template is too long. Please shorten the text and try again."),
        new(InteractionsErrorCode.FormatCharacterPolicyViolated, InteractionsErrorCategory.Template, InteractionsPolicy.FailFast,
            "Format Character Policy Violated",
            "The template format violates character policy. Please ensure the template follows the required format."),
        new(InteractionsErrorCode.ParameterFormatMismatch, InteractionsErrorCategory.Template, InteractionsPolicy.FailFast,
            "Parameter Format Mismatch",
            "The template parameter format does not match the expected format. Please correct the parameter format."),
        new(InteractionsErrorCode.TemplateIsPaused, InteractionsErrorCategory.Template, InteractionsPolicy.FailFast,
            "Template Is Paused",
            "The template is currently paused. Please activate the template to use it."),
        new(InteractionsErrorCode.MediaDownloadError, InteractionsErrorCategory.Media, InteractionsPolicy.Retry,
            "Media Download Error",
            "Media download error. Please try again later."),
        new(InteractionsErrorCode.MediaUploadError, InteractionsErrorCategory.Media, InteractionsPolicy.Retry,
            "Media Upload Error",
            "Media upload error. Please try again later."),
        new(InteractionsErrorCode.PermissionDenied, InteractionsErrorCategory.Permissions, InteractionsPolicy.FailFast,
            "Permission Denied",
            "You do not have permission to perform this action. Your account may be locked or your permissions have been denied."),
        new(InteractionsErrorCode.PermissionsRemoved, InteractionsErrorCategory.Permissions, InteractionsPolicy.FailFast,
            "Permissions Removed",
            "The permissions for this resource have been removed or your account has been locked. Please contact the administrator if you believe this is an error."),
        new(InteractionsErrorCode.IncorrectCertificate, InteractionsErrorCategory.Permissions, InteractionsPolicy.FailFast,
            "Incorrect Certificate",
            "The provided certificate is incorrect. Please check the certificate and try again."),
        new(InteractionsErrorCode.VendorAccountInMaintenanceMode, InteractionsErrorCategory.Vendor, InteractionsPolicy.Retry,
            "Vendor Account in Maintenance Mode",
            "The vendor account is in maintenance mode. Please try again later or contact support."),
        new(InteractionsErrorCode.ReengagementMessage, InteractionsErrorCategory.Vendor, InteractionsPolicy.FailFast,
            "Reengagement Message",
            "Message failed to send because more than 24 hours have passed since the customer last replied to this number."),
        new(InteractionsErrorCode.InternalServerError, InteractionsErrorCategory.Server, InteractionsPolicy.Retry,
            "Internal Server Error",
            "An internal server error has occurred. Please try again later."),
        new(InteractionsErrorCode.ServiceUnavailable, InteractionsErrorCategory.Server, InteractionsPolicy.Retry,
            "Service Unavailable",
            "The service is currently unavailable. Please try again later."),
        new(InteractionsErrorCode.ServerTemporarilyUnavailable, InteractionsErrorCategory.Server, InteractionsPolicy.Retry,
            "Server Temporarily Unavailable",
            "The server is temporarily unavailable. Please try again later."),
        new(InteractionsErrorCode.ServerOverloaded, InteractionsErrorCategory.Server, InteractionsPolicy.Retry,
            "Server Overloaded",
            "The server is temporarily unable to process your request due to maintenance or being overloaded. Please try again later."),
        new(InteractionsErrorCode.BusinessEligibilityPaymentIssue, InteractionsErrorCategory.Payment, InteractionsPolicy.FailFast,
            "Business Eligibility Payment Issue",
            "Business eligibility payment issue. Please contact support."),
        new(InteractionsErrorCode.UnknownError, InteractionsErrorCategory.Unknown, InteractionsPolicy.Retry,
            "Unknown Error",
            "An unknown error occurred. Please try again later or contact support."),
    ];

    private static readonly FrozenDictionary<int, InteractionsErrorInfo> ByNumber =
        Entries.ToFrozenDictionary(static e => (int)e.Code);

    /// <summary>Gets every entry, in the vendor's order.</summary>
    public static IReadOnlyList<InteractionsErrorInfo> All => Entries;

    /// <summary>Gets the entry of <paramref name="code"/>.</summary>
    /// <param name="code">A code of the catalog.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="code"/> is not in the catalog.</exception>
    public static InteractionsErrorInfo Get(InteractionsErrorCode code)
        => ByNumber.TryGetValue((int)code, out var info)
            ? info
            : throw new ArgumentOutOfRangeException(nameof(code), code, "The code is not in the Interactions error catalog.");

    /// <summary>Tells whether <paramref name="code"/> is in the catalog.</summary>
    /// <param name="code">The code to look up.</param>
    /// <returns><see langword="true"/> when the catalog has the code.</returns>
    public static bool Contains(InteractionsErrorCode code) => ByNumber.ContainsKey((int)code);

    /// <summary>
    /// Parses a catalog code written as the vendor writes it (<c>031002</c>) or as a number (<c>31002</c>).
    /// </summary>
    /// <param name="text">The code's text; surrounding white space is ignored.</param>
    /// <param name="code">The code, when the text names one in the catalog.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> names a code of the catalog.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out InteractionsErrorCode code)
    {
        if (text is not null && TryParseNumber(text.AsSpan().Trim(), out var number) && ByNumber.ContainsKey(number))
        {
            code = (InteractionsErrorCode)number;
            return true;
        }

        code = default;
        return false;
    }

    /// <summary>Formats a code as the vendor writes it: six digits with leading zeros.</summary>
    /// <param name="code">The code.</param>
    /// <returns>The six-digit text, e.g. <c>031002</c>.</returns>
    public static string Format(InteractionsErrorCode code)
        => ByNumber.TryGetValue((int)code, out var info) ? info.FormattedCode : Format((int)code);

    internal static string Format(int number) => number.ToString("D6", CultureInfo.InvariantCulture);

    internal static bool TryGet(int number, [NotNullWhen(true)] out InteractionsErrorInfo? info)
        => ByNumber.TryGetValue(number, out info);

    /// <summary>Parses one to six ASCII digits; anything else is not a well-formed code.</summary>
    internal static bool TryParseNumber(ReadOnlySpan<char> text, out int number)
    {
        number = 0;
        if (text.IsEmpty || text.Length > 6)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            number = (number * 10) + (c - '0');
        }

        return true;
    }

    /// <inheritdoc cref="TryParseNumber(ReadOnlySpan{char}, out int)"/>
    internal static bool TryParseNumber(ReadOnlySpan<byte> utf8, out int number)
    {
        number = 0;
        if (utf8.IsEmpty || utf8.Length > 6)
        {
            return false;
        }

        foreach (var b in utf8)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            number = (number * 10) + (b - '0');
        }

        return true;
    }
}

namespace Interactions.Resilience.Classification.Internal;

/// <summary>Step 3 of classification: the code a bare HTTP status stands for, when neither header nor body names one.</summary>
internal static class StatusCodeTable
{
    public static InteractionsErrorCode ToCode(int status) => status switch
    {
        400 => InteractionsErrorCode.InvalidRequest,                 // Bad Request
        401 => InteractionsErrorCode.InvalidCredentials,             // Unauthorized
        403 => InteractionsErrorCode.PermissionDenied,               // Forbidden
        405 => InteractionsErrorCode.MethodNotAllowed,               // Method Not Allowed
        429 => InteractionsErrorCode.RateLimitExceeded,              // Too Many Requests
        500 => InteractionsErrorCode.InternalServerError,            // Internal Server Error
        502 => InteractionsErrorCode.ServerTemporarilyUnavailable,   // Bad Gateway
        503 => InteractionsErrorCode.ServiceUnavailable,             // Service Unavailable
        504 => InteractionsErrorCode.ServerTemporarilyUnavailable,   // Gateway Timeout
        // Stryker disable once Equality : 400 and 500 are matched above, so > 400 and <= 500 pick the same codes
        >= 400 and < 500 => InteractionsErrorCode.InvalidRequest,    // any other client error
        _ => InteractionsErrorCode.InternalServerError,              // any other server error (and beyond 599)
    };
}

namespace Interactions.Resilience.Exceptions.Internal;

/// <summary>The one place that turns a classified failure into the exception of its category.</summary>
internal static class InteractionsExceptionFactory
{
    public static InteractionsException Create(InteractionsError error, int attempts, TimeSpan? retryAfter, Uri? requestUri, Exception? innerException = null, string? detail = null)
    {
        if (error.Code == InteractionsErrorCode.RateLimitExceeded)
        {
            return new InteractionsRateLimitException(error, attempts, retryAfter, requestUri, innerException, detail);
        }

        return error.Category switch
        {
            InteractionsErrorCategory.General => new InteractionsGeneralException(error, attempts, retryAfter, requestUri, innerException, detail),
            InteractionsErrorCategory.Authentication => new InteractionsAuthenticationException(error, attempts, retryAfter, requestUri, innerException, detail),
            InteractionsErrorCategory.Api => new InteractionsApiException(error, attempts, retryAfter, requestUri, innerException, detail),
            InteractionsErrorCategory.Template => new InteractionsTemplateException(error, attempts, retryAfter, requestUri, innerException, detail),
            InteractionsErrorCategory.Media => new InteractionsMediaException(error, attempts, retryAfter, requestUri, innerException, detail),
            InteractionsErrorCategory.Permissions => new InteractionsPermissionException(error, attempts, retryAfter, requestUri, innerException, detail),
            InteractionsErrorCategory.Vendor => new InteractionsVendorException(error, attempts, retryAfter, requestUri, innerException, detail),
            InteractionsErrorCategory.Server => new InteractionsServerException(error, attempts, retryAfter, requestUri, innerException, detail),
            InteractionsErrorCategory.Payment => new InteractionsPaymentException(error, attempts, retryAfter, requestUri, innerException, detail),
            _ => new InteractionsUnknownException(error, attempts, retryAfter, requestUri, innerException, detail),
        };
    }
}

namespace Interactions.Resilience.IntegrationTests.TestSupport;

/// <summary>What a user catches for a code: its category's exception, and the rate-limit one for 030003.</summary>
internal static class ExpectedException
{
    public static Type For(InteractionsErrorCode code) => code == InteractionsErrorCode.RateLimitExceeded
        ? typeof(InteractionsRateLimitException)
        : InteractionsErrorCatalog.Get(code).Category switch
        {
            InteractionsErrorCategory.General => typeof(InteractionsGeneralException),
            InteractionsErrorCategory.Authentication => typeof(InteractionsAuthenticationException),
            InteractionsErrorCategory.Api => typeof(InteractionsApiException),
            InteractionsErrorCategory.Template => typeof(InteractionsTemplateException),
            InteractionsErrorCategory.Media => typeof(InteractionsMediaException),
            InteractionsErrorCategory.Permissions => typeof(InteractionsPermissionException),
            InteractionsErrorCategory.Vendor => typeof(InteractionsVendorException),
            InteractionsErrorCategory.Server => typeof(InteractionsServerException),
            InteractionsErrorCategory.Payment => typeof(InteractionsPaymentException),
            _ => typeof(InteractionsUnknownException),
        };
}

namespace Interactions.Resilience;

/// <summary>Names of the HTTP headers the Interactions API and this library use.</summary>
public static class InteractionsHeaderNames
{
    /// <summary>The header in which the vendor may name the error code: <c>X-Interactions-Error-Code: 031002</c>.</summary>
    public const string ErrorCode = "X-Interactions-Error-Code";

    /// <summary>A millisecond <c>Retry-After</c>; preferred over <c>Retry-After</c> when both are present.</summary>
    public const string RetryAfterMs = "retry-after-ms";

    /// <summary>The default idempotency header stamped on POST and PATCH requests.</summary>
    public const string IdempotencyKey = "Idempotency-Key";
}

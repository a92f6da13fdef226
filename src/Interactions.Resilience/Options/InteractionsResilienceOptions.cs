using Interactions.Resilience.Options.Internal;

namespace Interactions.Resilience;

/// <summary>
/// Options of the Interactions resilience handler. Bound from configuration by the same names
/// (<c>Retry:MaxRetryAttempts</c>, <c>Policies:031006</c>, …) and validated at start-up.
/// </summary>
public sealed class InteractionsResilienceOptions
{
    /// <summary>Gets or sets the options of the <see cref="InteractionsPolicy.Retry"/> policy.</summary>
    public InteractionsRetryOptions Retry { get; set; } = new();

    /// <summary>Gets or sets the options of the <see cref="InteractionsPolicy.WaitAndRetry"/> policy (030003).</summary>
    public InteractionsRateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Gets or sets the retry budget that keeps an outage from becoming a retry storm.</summary>
    public InteractionsRetryBudgetOptions RetryBudget { get; set; } = new();

    /// <summary>Gets or sets the circuit breaker over the Retry codes.</summary>
    public InteractionsCircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>Gets or sets the options of the idempotency key on POST and PATCH.</summary>
    public InteractionsIdempotencyOptions Idempotency { get; set; } = new();

    /// <summary>
    /// Gets or sets the longest single wait. A longer <c>Retry-After</c> or cooldown fails fast at once with
    /// <see cref="InteractionsException.RetryAfter"/> set, so the caller can schedule the retry.
    /// </summary>
    /// <remarks>The default value is 60 seconds.</remarks>
    public TimeSpan MaxWait { get; set; } = InteractionsResilienceDefaults.MaxWait;

    /// <summary>Gets or sets the wait after 020008 Two-Step PIN Guessed Too Fast, before the one retry.</summary>
    /// <remarks>The default value is 30 seconds.</remarks>
    public TimeSpan PinCooldown { get; set; } = InteractionsResilienceDefaults.PinCooldown;

    /// <summary>
    /// Gets or sets the wait after 020007 Wait Before Registering. Longer than <see cref="MaxWait"/> by default,
    /// so 020007 fails fast carrying this as <see cref="InteractionsException.RetryAfter"/>.
    /// </summary>
    /// <remarks>The default value is 5 minutes.</remarks>
    public TimeSpan RegistrationCooldown { get; set; } = InteractionsResilienceDefaults.RegistrationCooldown;

    /// <summary>
    /// Gets or sets how long every request of the client fails locally after a <see cref="InteractionsPolicy.Halt"/>
    /// code (010002, 010003, 010006), without calling the server.
    /// </summary>
    /// <remarks>The default value is 60 seconds.</remarks>
    public TimeSpan HaltDuration { get; set; } = InteractionsResilienceDefaults.HaltDuration;

    /// <summary>Gets or sets the timeout of one attempt; an attempt that times out is retried like 060002.</summary>
    /// <remarks>The default value is 30 seconds.</remarks>
    public TimeSpan AttemptTimeout { get; set; } = InteractionsResilienceDefaults.AttemptTimeout;

    /// <summary>Gets or sets the timeout of a request with all its attempts and waits; at least <see cref="AttemptTimeout"/>.</summary>
    /// <remarks>The default value is 2 minutes.</remarks>
    public TimeSpan TotalTimeout { get; set; } = InteractionsResilienceDefaults.TotalTimeout;

    /// <summary>
    /// Gets or sets whether the final failure is thrown as an <see cref="InteractionsException"/>. When
    /// <see langword="false"/>, the final error response is returned and
    /// <see cref="HttpResponseMessageExtensions.GetInteractionsError(HttpResponseMessage)"/> gives its error;
    /// failures without a response (a local halt, a transport failure) still throw.
    /// </summary>
    /// <remarks>The default value is <see langword="true"/>.</remarks>
    public bool ThrowOnFailure { get; set; } = InteractionsResilienceDefaults.ThrowOnFailure;

    /// <summary>Gets or sets how many bytes of an error body the classifier reads; the caller can still read all of it.</summary>
    /// <remarks>The default value is 65536 (64 KiB).</remarks>
    public int MaxErrorBodyBytes { get; set; } = InteractionsResilienceDefaults.MaxErrorBodyBytes;

    /// <summary>
    /// Gets or sets whether Meta's WhatsApp Cloud API error body, which the vendor's gateway may relay
    /// (<c>{"error":{"code":130429,"type":"OAuthException",…,"fbtrace_id":…}}</c>), is classified by its meaning through
    /// the documented table of Meta's codes (130429 → 030003, 131047 → 050002, …), keeping Meta's code as
    /// <see cref="InteractionsError.RawCode"/>. Turn it off for an app that never sees Meta's shape.
    /// </summary>
    /// <remarks>The default value is <see langword="true"/>.</remarks>
    public bool RecognizeMetaErrors { get; set; } = InteractionsResilienceDefaults.RecognizeMetaErrors;

    /// <summary>
    /// Gets per-code policy overrides keyed by the six-digit code, e.g. <c>["031006"] = InteractionsPolicy.Retry</c>.
    /// A code not listed keeps its catalog default.
    /// </summary>
    /// <remarks>The default value is empty.</remarks>
    public IDictionary<string, InteractionsPolicy> Policies { get; } = new Dictionary<string, InteractionsPolicy>(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets an app's classifier for an error shape the default rules do not know. It runs before them
    /// and returns a code, or <see langword="null"/> to defer. An <see cref="IInteractionsErrorClassifier"/>
    /// registered in DI is used when this is not set.
    /// </summary>
    /// <remarks>The default value is <see langword="null"/>.</remarks>
    public IInteractionsErrorClassifier? Classifier { get; set; }
}

using Interactions.Resilience.Options.Internal;

namespace Interactions.Resilience;

/// <summary>Options for the idempotency key stamped on unsafe requests (POST, PATCH).</summary>
public sealed class InteractionsIdempotencyOptions
{
    /// <summary>
    /// Gets or sets whether the handler stamps a new key on a POST or PATCH request that has none.
    /// A request's own key is always kept and reused on every attempt.
    /// </summary>
    /// <remarks>The default value is <see langword="true"/>.</remarks>
    public bool GenerateKeys { get; set; } = InteractionsResilienceDefaults.IdempotencyGenerateKeys;

    /// <summary>Gets or sets the name of the idempotency header.</summary>
    /// <remarks>The default value is <c>Idempotency-Key</c>.</remarks>
    public string HeaderName { get; set; } = InteractionsResilienceDefaults.IdempotencyHeaderName;
}

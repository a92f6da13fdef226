namespace Interactions.Resilience.Testing.Internal;

/// <summary>Which requests share one quota of an <see cref="InteractionsRateLimitModel"/>.</summary>
internal enum RateLimitScope
{
    /// <summary>Every request: one quota for the account.</summary>
    Account,

    /// <summary>Requests with the same <c>X-Sender</c> header.</summary>
    Sender,

    /// <summary>Requests with the same <c>X-Sender</c> header and the same JSON <c>to</c>.</summary>
    SenderAndRecipient,
}

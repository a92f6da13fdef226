namespace Interactions.Resilience.Testing;

/// <summary>How <see cref="InteractionsSimulator"/> names the error code in a failed response.</summary>
public enum InteractionsErrorForm
{
    /// <summary>
    /// A JSON body <c>{"error":{"code":"031006","title":"…","message":"…"}}</c> with the catalog's title and message,
    /// and the status of <see cref="InteractionsSimulator.StatusCodeFor(InteractionsErrorCode)"/>.
    /// </summary>
    Body,

    /// <summary>
    /// The header <c>X-Interactions-Error-Code: 031006</c>, a short plain-text (non-JSON) body,
    /// and the status of <see cref="InteractionsSimulator.StatusCodeFor(InteractionsErrorCode)"/>.
    /// </summary>
    Header,

    /// <summary>
    /// Only the status of <see cref="InteractionsSimulator.StatusCodeFor(InteractionsErrorCode)"/>, with an empty body:
    /// the client can only infer the code from the status.
    /// </summary>
    StatusOnly,

    /// <summary>
    /// Meta's WhatsApp Cloud API error body, as the vendor's gateway relays it:
    /// <c>{"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429,"error_data":{"messaging_product":"whatsapp","details":"…"},"fbtrace_id":"…"}}</c>,
    /// with the HTTP status Meta documents for the code. With <see cref="InteractionsSimulator.FailNext"/>, the catalog
    /// code's Meta counterpart is answered (130429 for 030003, 131047 for 050002, …); a catalog code without one is
    /// refused. <see cref="InteractionsSimulator.FailNextMeta"/> answers any Meta code.
    /// </summary>
    Meta,
}

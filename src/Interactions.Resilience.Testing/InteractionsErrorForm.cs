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
}

using System.Net;

namespace Interactions.Resilience;

/// <summary>
/// A failed call classified into the vendor's catalog: the code and what the server said of it.
/// </summary>
public sealed class InteractionsError
{
    internal InteractionsError(
        InteractionsErrorInfo info,
        InteractionsErrorSource source,
        HttpStatusCode? statusCode,
        string? serverMessage,
        TimeSpan? retryAfter,
        string rawCode,
        Exception? exception = null,
        string? scope = null)
    {
        Info = info;
        Source = source;
        StatusCode = statusCode;
        ServerMessage = serverMessage;
        RetryAfter = retryAfter;
        RawCode = rawCode;
        Exception = exception;
        Scope = scope;
    }

    /// <summary>Gets the code; a well-formed code the catalog lacks is <see cref="InteractionsErrorCode.UnknownError"/>.</summary>
    public InteractionsErrorCode Code => Info.Code;

    /// <summary>Gets the code's catalog entry.</summary>
    public InteractionsErrorInfo Info { get; }

    /// <summary>Gets the code's category.</summary>
    public InteractionsErrorCategory Category => Info.Category;

    /// <summary>Gets the vendor's title of the code.</summary>
    public string Title => Info.Title;

    /// <summary>Gets where the code was found.</summary>
    public InteractionsErrorSource Source { get; }

    /// <summary>Gets the response's HTTP status, or <see langword="null"/> when no response arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Gets the <c>message</c> the server sent with the code, or <see langword="null"/>.</summary>
    public string? ServerMessage { get; }

    /// <summary>Gets how long the server asked the client to wait (<c>Retry-After</c>, <c>retry-after-ms</c>), or <see langword="null"/>.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// Gets the code as the server sent it: the six-digit code for catalog codes, the raw text for a code
    /// the catalog lacks (which is classified as 080001), Meta's code (e.g. <c>130429</c>) for Meta's relayed
    /// error body. A custom classifier's mapping keeps the code the server sent.
    /// </summary>
    public string RawCode { get; }

    /// <summary>Gets the transport failure, when no response arrived.</summary>
    public Exception? Exception { get; }

    /// <summary>
    /// Gets the rate-limit scope the server's answer names, which wins over the app's <c>ScopeSelector</c>: for Meta's
    /// 131056 pair rate limit, <c>recipient:</c> and a short hash of the recipient's number (never the number itself);
    /// <see langword="null"/> when the answer names none.
    /// </summary>
    internal string? Scope { get; }

    /// <summary>The same code, as the handler reports it when it fails a request locally (a halt).</summary>
    internal InteractionsError AsLocal()
        => new(Info, InteractionsErrorSource.Local, statusCode: null, ServerMessage, retryAfter: null, RawCode);

    /// <summary>A code the handler reports without a server answer (an open gate refusing to wait).</summary>
    internal static InteractionsError Local(InteractionsErrorCode code, TimeSpan? retryAfter = null)
    {
        var info = InteractionsErrorCatalog.Get(code);
        return new(info, InteractionsErrorSource.Local, statusCode: null, serverMessage: null, retryAfter, info.FormattedCode);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Info.FormattedCode} {Info.Title}";
}

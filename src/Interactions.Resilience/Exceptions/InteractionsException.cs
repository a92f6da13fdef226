namespace Interactions.Resilience;

/// <summary>
/// A call to the Interactions API failed with one of the vendor's codes. Catch a subclass
/// (<see cref="InteractionsTemplateException"/>, <see cref="InteractionsRateLimitException"/>, …) to handle a
/// category, or this type and switch on <see cref="Code"/>.
/// </summary>
/// <remarks>The message names the code and the vendor's text; it never contains headers, tokens, PINs or bodies.</remarks>
public class InteractionsException : HttpRequestException
{
    /// <summary>Initializes a new instance of the <see cref="InteractionsException"/> class.</summary>
    /// <param name="error">The classified failure.</param>
    /// <param name="attempts">How many times the server was called for the request.</param>
    /// <param name="retryAfter">When the caller may try again, if known.</param>
    /// <param name="requestUri">The request's address.</param>
    /// <param name="innerException">The transport failure or timeout behind the error, if any.</param>
    /// <param name="detail">Why the handler failed the request itself (a halt, an open circuit, a spent budget), if it did.</param>
    internal InteractionsException(InteractionsError error, int attempts, TimeSpan? retryAfter, Uri? requestUri, Exception? innerException, string? detail)
        : base(CreateMessage(error ?? throw new ArgumentNullException(nameof(error)), detail), innerException ?? error.Exception, error.StatusCode)
    {
        Error = error;
        Attempts = attempts;
        RetryAfter = retryAfter;
        RequestUri = requestUri;
    }

    /// <summary>Gets the code.</summary>
    public InteractionsErrorCode Code => Error.Code;

    /// <summary>Gets the code as the vendor writes it, e.g. <c>031006</c>.</summary>
    public string FormattedCode => Error.Info.FormattedCode;

    /// <summary>Gets the code's category.</summary>
    public InteractionsErrorCategory Category => Error.Category;

    /// <summary>Gets the vendor's title of the code.</summary>
    public string Title => Error.Title;

    /// <summary>Gets the message the server sent with the code, or <see langword="null"/>.</summary>
    public string? ServerMessage => Error.ServerMessage;

    /// <summary>Gets how long to wait before trying again, when the server or the handler knows it.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Gets how many times the server was called for this request; 0 when the handler failed it locally.</summary>
    public int Attempts { get; }

    /// <summary>Gets the address of the failed request.</summary>
    public Uri? RequestUri { get; }

    /// <summary>Gets the classified failure: where the code came from, the raw code text, the HTTP status.</summary>
    public InteractionsError Error { get; }

    private static string CreateMessage(InteractionsError error, string? detail)
        => detail is null
            ? $"Interactions error {error.Info.FormattedCode} ({error.Title}): {error.Info.Message}"
            : $"Interactions error {error.Info.FormattedCode} ({error.Title}): {error.Info.Message} {detail}";
}

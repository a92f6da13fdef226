using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Interactions.Resilience.Classification.Internal;

namespace Interactions.Resilience;

/// <summary>
/// Turns a failed response or a transport failure into an <see cref="InteractionsError"/>.
/// </summary>
/// <remarks>
/// Only a status of 400 or above is classified; any other response passes untouched and its body is
/// never read. For an error response, in this order: the <c>X-Interactions-Error-Code</c> header, the
/// JSON body (<c>{"error":{"code":…}}</c>, <c>{"code":…}</c> or <c>{"errorCode":…}</c>, the code as a
/// string or a number), Meta's WhatsApp Cloud API body that the vendor relays (a numeric <c>error.code</c>
/// with Meta's <c>type</c> or <c>fbtrace_id</c>, mapped through one documented table and kept as the raw
/// code), then the HTTP status. A well-formed code the catalog lacks becomes 080001 and keeps its raw text.
/// An app's own <see cref="IInteractionsErrorClassifier"/> runs first and may defer; a code it names keeps
/// the code the server sent as the raw code.
/// </remarks>
public sealed class InteractionsErrorClassifier
{
    /// <summary>The default number of body bytes the classifier reads: 64 KiB.</summary>
    public const int DefaultMaxBodyBytes = 64 * 1024;

    private readonly TimeProvider _timeProvider;
    private readonly int _maxBodyBytes;
    private readonly IInteractionsErrorClassifier? _custom;
    private readonly bool _recognizeMetaErrors;

    /// <summary>Initializes a new instance of the <see cref="InteractionsErrorClassifier"/> class.</summary>
    /// <param name="timeProvider">The clock for <c>Retry-After</c> dates; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="maxBodyBytes">How many body bytes to read at most.</param>
    /// <param name="custom">An app's classifier that runs before the default rules, or null.</param>
    /// <param name="recognizeMetaErrors">
    /// Whether Meta's WhatsApp Cloud API error body, relayed by the vendor, is mapped to the catalog; when false such
    /// a body is read as the vendor's shape (its code, unknown to the catalog, is 080001).
    /// </param>
    public InteractionsErrorClassifier(TimeProvider? timeProvider = null, int maxBodyBytes = DefaultMaxBodyBytes, IInteractionsErrorClassifier? custom = null, bool recognizeMetaErrors = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBodyBytes);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _maxBodyBytes = maxBodyBytes;
        _custom = custom;
        _recognizeMetaErrors = recognizeMetaErrors;
    }

    /// <summary>Tells whether a status is classified at all: 400 and above.</summary>
    /// <param name="statusCode">The status.</param>
    /// <returns><see langword="true"/> for 400 and above.</returns>
    public static bool IsFailure(HttpStatusCode statusCode) => (int)statusCode >= 400;

    /// <summary>
    /// Classifies a response. Reads at most the cap of its body; the whole body stays readable.
    /// </summary>
    /// <param name="response">The response.</param>
    /// <param name="cancellationToken">Stops reading the body.</param>
    /// <returns>The error, or <see langword="null"/> when the status is below 400.</returns>
    public async ValueTask<InteractionsError?> ClassifyAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!IsFailure(response.StatusCode))
        {
            return null;
        }

        // Stryker disable once Boolean : ConfigureAwait(true) only resumes on a captured context; the library has none to capture and the result is the same
        var (bytes, isComplete) = await ErrorBodyPeek.ReadAsync(response, _maxBodyBytes, cancellationToken).ConfigureAwait(false);
        return Classify(response, bytes, isComplete);
    }

    /// <summary>Whether an app's own classifier runs first; it is given the response, whose content it may read.</summary>
    internal bool HasCustom => _custom is not null;

    internal int MaxBodyBytes => _maxBodyBytes;

    /// <summary>Classifies a response from body bytes already read; does not touch the response's content.</summary>
    /// <param name="response">The response, status 400 or above.</param>
    /// <param name="body">The body or its first bytes.</param>
    /// <param name="bodyIsComplete">Whether <paramref name="body"/> is the whole body.</param>
    /// <returns>The error.</returns>
    public InteractionsError Classify(HttpResponseMessage response, ReadOnlySpan<byte> body, bool bodyIsComplete = true)
    {
        ArgumentNullException.ThrowIfNull(response);
        var custom = _custom?.Classify(response, body);
        return Classify(response.StatusCode, response.Headers, body, bodyIsComplete, custom, response.RequestMessage);
    }

    /// <summary>Classifies a failure that produced no response: handled as 060002 Service Unavailable.</summary>
    /// <param name="exception">The transport failure or attempt timeout.</param>
    /// <returns>The error, carrying <paramref name="exception"/>.</returns>
    public static InteractionsError ClassifyTransportFailure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var info = InteractionsErrorCatalog.Get(InteractionsErrorCode.ServiceUnavailable);
        return new InteractionsError(info, InteractionsErrorSource.Transport, statusCode: null, serverMessage: null, retryAfter: null, info.FormattedCode, exception);
    }

    internal InteractionsError Classify(HttpStatusCode status, HttpResponseHeaders? headers, ReadOnlySpan<byte> body, bool bodyIsComplete, InteractionsErrorCode? custom = null, HttpRequestMessage? request = null)
    {
        var fields = JsonErrorBodyReader.Read(body, bodyIsComplete);
        var retryAfter = headers is null ? null : RetryAfterReader.Read(headers, _timeProvider);
        var message = fields.Message;
        string? scope = null;

        // What the server named: the code, and its raw text when the catalog lacks it (null: the code's own six digits).
        InteractionsErrorSource source;
        int number;
        string? unknownRaw = null;
        if (TryReadHeader(headers, out number, out unknownRaw))
        {
            source = InteractionsErrorSource.Header;
        }
        else if (fields.HasCode && (!fields.IsMeta || !_recognizeMetaErrors || InteractionsErrorCatalog.TryGet(fields.CodeNumber, out _)))
        {
            // The vendor's shapes keep priority: a catalog code is the vendor's, even in a body that looks like Meta's.
            source = InteractionsErrorSource.Body;
            number = fields.CodeNumber;
            unknownRaw = fields.UnknownRawCode;
        }
        else if (fields.IsMeta && _recognizeMetaErrors)
        {
            source = InteractionsErrorSource.Body;
            var meta = fields.MetaCode;
            number = (int)(MetaErrorTable.Map(meta) ?? InteractionsErrorCode.UnknownError);
            unknownRaw = meta.ToString(CultureInfo.InvariantCulture); // Meta's code is what support staff look up
            message = JoinMetaMessage(message, fields.Details);
            if (retryAfter is null && MetaErrorTable.DetailsMayStateWait(meta) && MetaDetailsWait.TryRead(fields.Details, out var stated))
            {
                retryAfter = stated; // what the server said, as a Retry-After would
            }

            if (custom is null && MetaErrorTable.ScopesToRecipient(meta))
            {
                scope = RecipientScope.Of(request);
            }
        }
        else
        {
            source = InteractionsErrorSource.StatusCode;
            number = (int)StatusCodeTable.ToCode((int)status);
        }

        if (!InteractionsErrorCatalog.TryGet(number, out var info))
        {
            info = InteractionsErrorCatalog.Get(InteractionsErrorCode.UnknownError);
            unknownRaw ??= InteractionsErrorCatalog.Format(number);
        }

        var rawCode = unknownRaw ?? info.FormattedCode;
        if (custom is { } customCode)
        {
            // The app's code decides; the raw code stays what the server sent, when it named one.
            var named = source != InteractionsErrorSource.StatusCode;
            info = InteractionsErrorCatalog.TryGet((int)customCode, out var customInfo) ? customInfo : InteractionsErrorCatalog.Get(InteractionsErrorCode.UnknownError);
            rawCode = named ? rawCode : InteractionsErrorCatalog.Format(customCode);
            source = InteractionsErrorSource.Custom;
        }

        return new InteractionsError(info, source, status, message, retryAfter, rawCode, exception: null, scope);
    }

    /// <summary>Meta's message with its details, so logs and support staff see both: "(#131047) Re-engagement message: Message failed …".</summary>
    private static string? JoinMetaMessage(string? message, string? details)
        => string.IsNullOrEmpty(details) ? message
            : string.IsNullOrEmpty(message) ? details
            : string.Concat(message, ": ", details);

    private static bool TryReadHeader(HttpResponseHeaders? headers, out int number, out string? unknownRaw)
    {
        number = 0;
        unknownRaw = null;
        if (headers is null || !headers.NonValidated.TryGetValues(InteractionsHeaderNames.ErrorCode, out var values))
        {
            return false;
        }

        foreach (var value in values)
        {
            var text = value.AsSpan().Trim();
            if (InteractionsErrorCatalog.TryParseNumber(text, out number))
            {
                unknownRaw = InteractionsErrorCatalog.TryGet(number, out _) ? null : text.ToString();
                return true;
            }
        }

        return false;
    }
}

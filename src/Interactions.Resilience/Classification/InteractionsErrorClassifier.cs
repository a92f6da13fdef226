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
/// string or a number), then the HTTP status. A well-formed code the catalog lacks becomes 080001 and
/// keeps its raw text. An app's own <see cref="IInteractionsErrorClassifier"/> runs first and may defer.
/// </remarks>
public sealed class InteractionsErrorClassifier
{
    /// <summary>The default number of body bytes the classifier reads: 64 KiB.</summary>
    public const int DefaultMaxBodyBytes = 64 * 1024;

    private readonly TimeProvider _timeProvider;
    private readonly int _maxBodyBytes;
    private readonly IInteractionsErrorClassifier? _custom;

    /// <summary>Initializes a new instance of the <see cref="InteractionsErrorClassifier"/> class.</summary>
    /// <param name="timeProvider">The clock for <c>Retry-After</c> dates; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="maxBodyBytes">How many body bytes to read at most.</param>
    /// <param name="custom">An app's classifier that runs before the default rules, or null.</param>
    public InteractionsErrorClassifier(TimeProvider? timeProvider = null, int maxBodyBytes = DefaultMaxBodyBytes, IInteractionsErrorClassifier? custom = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBodyBytes);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _maxBodyBytes = maxBodyBytes;
        _custom = custom;
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

        var peek = await ErrorBodyPeek.ReadAsync(response, _maxBodyBytes, cancellationToken).ConfigureAwait(false);
        return Classify(response, peek.Bytes, peek.IsComplete);
    }

    /// <summary>Classifies a response from body bytes already read; does not touch the response's content.</summary>
    /// <param name="response">The response, status 400 or above.</param>
    /// <param name="body">The body or its first bytes.</param>
    /// <param name="bodyIsComplete">Whether <paramref name="body"/> is the whole body.</param>
    /// <returns>The error.</returns>
    public InteractionsError Classify(HttpResponseMessage response, ReadOnlySpan<byte> body, bool bodyIsComplete = true)
    {
        ArgumentNullException.ThrowIfNull(response);
        var custom = _custom?.Classify(response, body);
        return Classify(response.StatusCode, response.Headers, body, bodyIsComplete, custom);
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

    internal InteractionsError Classify(HttpStatusCode status, HttpResponseHeaders? headers, ReadOnlySpan<byte> body, bool bodyIsComplete, InteractionsErrorCode? custom = null)
    {
        var fields = JsonErrorBodyReader.Read(body, bodyIsComplete);
        var retryAfter = headers is null ? null : RetryAfterReader.Read(headers, _timeProvider);

        InteractionsErrorSource source;
        int number;
        string? unknownRaw = null;
        if (custom is { } customCode)
        {
            source = InteractionsErrorSource.Custom;
            number = (int)customCode;
        }
        else if (TryReadHeader(headers, out number, out unknownRaw))
        {
            source = InteractionsErrorSource.Header;
        }
        else if (fields.HasCode)
        {
            source = InteractionsErrorSource.Body;
            number = fields.CodeNumber;
            unknownRaw = fields.UnknownRawCode;
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

        return new InteractionsError(info, source, status, fields.Message, retryAfter, unknownRaw ?? info.FormattedCode);
    }

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

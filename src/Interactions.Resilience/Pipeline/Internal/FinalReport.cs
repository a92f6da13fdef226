using System.Runtime.ExceptionServices;
using Interactions.Resilience.Exceptions.Internal;
using Polly;
using Polly.Timeout;

namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>What the request's exception (or final response) reports: the last error, a refused wait, why it failed locally.</summary>
internal struct FinalReport
{
    /// <summary>Gets or sets the last attempt's error; null after a success.</summary>
    public InteractionsError? LastError;

    /// <summary>Gets or sets a wait longer than <c>MaxWait</c> or the time left, carried as <c>RetryAfter</c>.</summary>
    public TimeSpan? RefusedWait;

    /// <summary>Gets or sets why the handler failed the request without the server's answer, if it did.</summary>
    public string? LocalDetail;

    /// <summary>
    /// Turns the last outcome into what the app sees: the response; the final error response when
    /// <c>ThrowOnFailure</c> is off (its error attached); otherwise the typed exception.
    /// </summary>
    public readonly HttpResponseMessage Deliver(Outcome<HttpResponseMessage> outcome, HttpRequestMessage request, int attempts, bool callerCancelled, bool throwOnFailure)
    {
        if (outcome.Exception is { } exception)
        {
            if (exception is InteractionsException || (exception is OperationCanceledException && callerCancelled))
            {
                ExceptionDispatchInfo.Throw(exception);
            }

            // A timeout while waiting out a server's answer reports that answer; otherwise the transport failure.
            var error = LastError is { Source: not InteractionsErrorSource.Transport } answered && exception is TimeoutRejectedException
                ? answered
                : LastError ?? InteractionsErrorClassifier.ClassifyTransportFailure(exception);
            throw InteractionsExceptionFactory.Create(error, attempts, RefusedWait ?? error.RetryAfter, request.RequestUri, exception, LocalDetail);
        }

        var response = outcome.Result!;
        if (LastError is not { } final)
        {
            return response;
        }

        response.RequestMessage ??= request;
        response.SetInteractionsError(final);
        if (!throwOnFailure)
        {
            return response;
        }

        response.Dispose();
        throw InteractionsExceptionFactory.Create(final, attempts, RefusedWait ?? final.RetryAfter, request.RequestUri, detail: LocalDetail);
    }
}

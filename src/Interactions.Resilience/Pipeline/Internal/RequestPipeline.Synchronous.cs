namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>The synchronous entry of the same pipeline.</summary>
internal sealed partial class RequestPipeline
{
    /// <summary>
    /// The synchronous <c>Send</c>: admission and the first attempt run synchronously (<paramref name="sendSync"/>);
    /// a request that must wait or be retried blocks on the asynchronous pipeline, since its waits are timers of the
    /// injected <see cref="TimeProvider"/> and Polly's strategies run them asynchronously.
    /// </summary>
    public HttpResponseMessage Send(
        HttpRequestMessage request,
        Func<HttpRequestMessage, CancellationToken, HttpResponseMessage> sendSync,
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send,
        CancellationToken cancellationToken)
    {
        var admitted = Begin(request, send, cancellationToken, out var first, out var refusal);
        if (admitted != AdmissionResult.Go)
        {
            return admitted == AdmissionResult.Refused ? throw refusal! : Block(RunAsync(NewState(first, admitted)));
        }

        using var timeout = new CancellationTokenSource(Options.AttemptTimeout, _time);
        using var registration = cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), timeout);
        HttpResponseMessage response;
        try
        {
            response = sendSync(request, timeout.Token);
        }
        catch (Exception ex)
        {
            return Block(ContinueAsync(first, response: null, ex, timeout.IsCancellationRequested));
        }

        if (InteractionsErrorClassifier.IsFailure(response.StatusCode))
        {
            return Block(ContinueAsync(first, response, failure: null, timedOut: false));
        }

        Accepted(first, _time.GetTimestamp());
        return response;
    }

    /// <summary>Waits for a pooled <see cref="ValueTask{TResult}"/> from a synchronous caller, which may block only on a Task.</summary>
    private static T Block<T>(ValueTask<T> task) => task.IsCompleted ? task.GetAwaiter().GetResult() : task.AsTask().GetAwaiter().GetResult();
}

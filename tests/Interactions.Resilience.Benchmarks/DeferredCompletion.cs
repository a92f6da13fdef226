namespace Interactions.Resilience.Benchmarks;

/// <summary>
/// Makes an in-memory primary handler answer the way a socket does: <c>SendAsync</c> returns a task that is not yet
/// complete, and the response arrives only after every handler above has returned and registered its continuation.
/// The benchmark method then answers, by <see cref="Answer"/>, on its own thread.
/// </summary>
/// <remarks>
/// <see cref="Task.Yield"/> in the stub would race: a thread-pool worker that is already spinning can complete the task
/// before the handler above checks it, and that handler then takes its synchronous path. Answering from the caller
/// after the call has returned cannot race, and runs the continuations inline, without a thread-pool hop's noise.
/// One call at a time: the benchmarks are sequential.
/// </remarks>
internal sealed class DeferredCompletion
{
    private TaskCompletionSource<HttpResponseMessage>? _pending;

    /// <summary>Called by the stub: a task that completes with <paramref name="response"/> when the benchmark answers.</summary>
    public Task<HttpResponseMessage> Defer(HttpResponseMessage response)
    {
        // The response rides as the task's state, so a deferred send costs one TaskCompletionSource and its task.
        var pending = new TaskCompletionSource<HttpResponseMessage>(response);
        if (Interlocked.CompareExchange(ref _pending, pending, null) is not null)
        {
            throw new InvalidOperationException("Two sends are waiting at once; the deferred stub answers one call at a time.");
        }

        return pending.Task;
    }

    /// <summary>
    /// Answers every send <paramref name="call"/> makes — a retry is sent from the continuation of the answer before it —
    /// until the call completes, and returns it. Throws when the call did not wait for the primary, or waits for something else.
    /// </summary>
    public Task<HttpResponseMessage> Answer(Task<HttpResponseMessage> call)
    {
        if (call.IsCompleted)
        {
            call.GetAwaiter().GetResult(); // a failure of the call itself says more than ours
            throw new InvalidOperationException("The call completed before the deferred primary answered: this row would measure the synchronous path.");
        }

        while (Interlocked.Exchange(ref _pending, null) is { } pending)
        {
            pending.SetResult((HttpResponseMessage)pending.Task.AsyncState!);
            if (call.IsCompleted)
            {
                return call;
            }
        }

        throw new InvalidOperationException("The call is waiting and no send is: a handler awaited something of its own before reaching the primary, which this stub cannot drive.");
    }
}

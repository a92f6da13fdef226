namespace Interactions.Resilience.Tests.TestSupport;

/// <summary>
/// Counts the threads that are running code of the requests a test sent, so the harness advances fake
/// time only when every request is parked on a timer. Requests carry the tracker in their execution
/// context (set by <see cref="TrackingHandler"/>); a thread entering or leaving that context is counted.
/// </summary>
internal sealed class InFlightTracker
{
    private static readonly AsyncLocal<InFlightTracker?> Current = new(OnContextChanged);

    [ThreadStatic]
    private static InFlightTracker? t_counted;

    private int _active;

    public int Active => Volatile.Read(ref _active);

    public void Enter() => Current.Value = this;

    private static void OnContextChanged(AsyncLocalValueChangedArgs<InFlightTracker?> args)
    {
        if (!args.ThreadContextChanged)
        {
            return;
        }

        if (t_counted is { } leaving && !ReferenceEquals(leaving, args.CurrentValue))
        {
            Interlocked.Decrement(ref leaving._active);
            t_counted = null;
        }

        if (args.CurrentValue is { } entering && t_counted is null)
        {
            Interlocked.Increment(ref entering._active);
            t_counted = entering;
        }
    }
}

/// <summary>The outermost handler of the harness's client: puts the tracker into each request's context.</summary>
internal sealed class TrackingHandler(InFlightTracker tracker) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        tracker.Enter(); // reverted for the caller when this async method returns
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}

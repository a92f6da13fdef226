using System.Collections.Concurrent;

namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>
/// Reusable cancellation sources for the first attempt's timeout, bound to the injected clock, so a
/// request that succeeds at once allocates none.
/// </summary>
internal sealed class TimeoutSourcePool
{
    private const int MaxPooled = 256;

    private readonly ConcurrentQueue<CancellationTokenSource> _pool = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private int _count;

    public TimeoutSourcePool(TimeProvider time, TimeSpan timeout)
    {
        _time = time;
        _timeout = timeout;
    }

    /// <summary>A source that cancels after the timeout.</summary>
    public CancellationTokenSource Rent()
    {
        if (_pool.TryDequeue(out var source))
        {
            Interlocked.Decrement(ref _count);
            source.CancelAfter(_timeout); // re-arms the clock's own timer, kept since construction
            return source;
        }

        // Armed at construction, so the source's timer comes from the injected clock; a source made with an
        // infinite delay would fall back to the system timer on CancelAfter.
        return new CancellationTokenSource(_timeout, _time);
    }

    public void Return(CancellationTokenSource source)
    {
        // TryReset stops the timer; a source that fired cannot be reused.
        if (source.TryReset() && Interlocked.Increment(ref _count) <= MaxPooled)
        {
            _pool.Enqueue(source);
            return;
        }

        if (!source.IsCancellationRequested)
        {
            Interlocked.Decrement(ref _count);
        }

        source.Dispose();
    }
}

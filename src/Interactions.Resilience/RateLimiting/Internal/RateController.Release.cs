namespace Interactions.Resilience.RateLimiting.Internal;

/// <summary>The release: requests wait their own <c>Retry-After</c>, then a slot of the pace (local or shared).</summary>
internal sealed partial class RateController
{
    /// <summary>
    /// Waits until <paramref name="notBefore"/> (a timestamp: the end of the request's own Retry-After; 0 for none), then,
    /// while the scope is paused or paced, for its release. Returns <see langword="null"/> when the request may go, or the
    /// wait it would need when that exceeds <paramref name="maxWait"/> (the request then fails without waiting).
    /// </summary>
    public async ValueTask<TimeSpan?> WaitAsync(long notBefore, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _waiting++; // counted from here on, and keeps the controller active while we wait
        }

        try
        {
            var start = _time.GetTimestamp();
            // Stryker disable once Equality : a sleep until now ends at once (SleepAsync returns on zero)
            if (notBefore > start)
            {
                await SleepAsync(notBefore - start, cancellationToken).ConfigureAwait(false);
            }

            while (true)
            {
                TaskCompletionSource? slot = null;
                double rate;
                long pausedUntil;
                long pauseLeft = 0;
                lock (_lock)
                {
                    var now = _time.GetTimestamp();
                    if (!_active)
                    {
                        return null;
                    }

                    if (now >= _pausedUntil && now - _lastLimitAt > _quiet && _waiting == 1 && _queue.Count == 0)
                    {
                        Deactivate(); // quiet, and nobody else waits: step aside
                        return null;
                    }

                    if (_cubic is null && now >= _pausedUntil)
                    {
                        return null; // sporadic limits: nobody but the limited request waits
                    }

                    rate = Rate(now);
                    pausedUntil = _pausedUntil;
                    if (_cubic is null || _shared is null || now < _sharedDownUntil)
                    {
                        // Ahead of this request: the waiters queued, each a slot at the pace, after the pause. Without a
                        // pace (another instance saw the quota spent while this one sent nothing to pace by), the pause's end.
                        var release = _cubic is null
                            ? _pausedUntil
                            : Math.Max(_pausedUntil, _bucket.NextAt(now, rate, Capacity(rate))) + (long)(_queue.Count / rate * _frequency);
                        if (release - now > Ticks(maxWait))
                        {
                            return Duration(release - now);
                        }

                        if (_cubic is not null && _queue.Count == 0 && now >= _pausedUntil && _bucket.TryTake(now, rate, Capacity(rate)))
                        {
                            return null;
                        }

                        slot = new TaskCompletionSource(_slotOptions);
                        _queue.Enqueue(slot);
                        Arm(now);
                    }
                    else if (now >= _pausedUntil && now < _grantUntil && _bucket.TryTake(now, rate, Capacity(rate)))
                    {
                        // The window's worth granted when the pause ended (Rate): this instance's share of the window, sent
                        // at once; the fleet's slots start after it, as the shared curve does.
                        return null;
                    }
                    else if (now < _pausedUntil)
                    {
                        // The fleet's slots are taken once the pause is over, spaced from then: slots taken during it
                        // would all fall due at its end, together.
                        pauseLeft = _pausedUntil - now;
                        if (pauseLeft > Ticks(maxWait))
                        {
                            return Duration(pauseLeft);
                        }
                    }
                }

                if (pauseLeft > 0)
                {
                    // Stryker disable once Boolean : ConfigureAwait(true) only resumes on a captured context; the library has none to capture and the result is the same
                    await SleepAsync(pauseLeft, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (slot is not null)
                {
                    using (cancellationToken.UnsafeRegister(static (s, ct) => ((TaskCompletionSource)s!).TrySetCanceled(ct), slot))
                    {
                        // Stryker disable once Boolean : ConfigureAwait(true) only resumes on a captured context; the library has none to capture and the result is the same
                        await slot.Task.ConfigureAwait(false);
                    }

                    return null;
                }

                // Stryker disable once Boolean : ConfigureAwait(true) only resumes on a captured context; the library has none to capture and the result is the same
                var (reserved, refused) = await ReserveSharedAsync(rate, pausedUntil, maxWait, cancellationToken).ConfigureAwait(false);
                if (reserved)
                {
                    return refused;
                }

                // The shared pace did not answer in time (this instance paces alone for a while), or a pause began while
                // the request waited for its slot (it waits the pause out and takes a new one): next turn of the loop.
            }
        }
        finally
        {
            lock (_lock)
            {
                _waiting--;
            }
        }
    }

    /// <summary>
    /// Takes the next slot of the shared pace and waits for it (and for the local pause); <c>Refused</c> is the wait when
    /// it exceeds <paramref name="maxWait"/>. <c>Reserved</c> is false when the shared pace failed, answered null or was
    /// slow (the caller then uses the local bucket), or when a pause began while the request waited for its slot: the
    /// slot was taken at a pace the pause has since shown too fast, and going at it would send into a spent quota.
    /// </summary>
    private async ValueTask<(bool Reserved, TimeSpan? Refused)> ReserveSharedAsync(double rate, long pausedUntil, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        TimeSpan? delay;
        try
        {
            var reserve = _shared!.ReserveAsync(_clientName, _scope, Parameters(rate), cancellationToken).AsTask();
            if (!reserve.IsCompleted)
            {
                using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var timeout = SleepAsync(Ticks(SharedTimeout), bound.Token);
                // Stryker disable once Boolean : ConfigureAwait(true) only resumes on a captured context; the library has none to capture and the result is the same
                await Task.WhenAny(reserve, timeout).ConfigureAwait(false);
                // Stryker disable once Boolean,Statement : ConfigureAwait as above; without the cancel the timeout's sleep fires later into a WhenAny already done, which nothing waits for
                await bound.CancelAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }

            delay = reserve.IsCompletedSuccessfully ? reserve.Result : null; // failed or slow: the local controller takes over
            // Stryker disable once Statement : observing only keeps a late failure from being an unobserved task exception; no caller sees it
            Observe(reserve);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception)
        {
            delay = null; // the shared pace threw at once
        }

        var now = _time.GetTimestamp();
        if (delay is not { } reserved)
        {
            lock (_lock)
            {
                _sharedDownUntil = now + Ticks(SharedRetryAfter);
            }

            return (false, null);
        }

        var until = Math.Max(pausedUntil, now + Math.Max(0, Ticks(reserved)));
        if (until - now > Ticks(maxWait))
        {
            return (true, Duration(until - now));
        }

        // Stryker disable once Boolean : ConfigureAwait(true) only resumes on a captured context; the library has none to capture and the result is the same
        await SleepAsync(until - now, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            return (_pausedUntil <= _time.GetTimestamp() || _pausedUntil <= pausedUntil, null);
        }
    }

    /// <summary>Releases the waiters whose slot has come; called by the timer.</summary>
    private void Pump()
    {
        List<TaskCompletionSource>? released = null;
        lock (_lock)
        {
            _armedFor = long.MaxValue;
            var now = _time.GetTimestamp();
            while (_queue.TryPeek(out var head))
            {
                if (head.Task.IsCompleted)
                {
                    _queue.Dequeue(); // cancelled while waiting
                    continue;
                }

                var rate = Rate(now);
                if (now < _pausedUntil || (_cubic is not null && !_bucket.TryTake(now, rate, Capacity(rate))))
                {
                    break;
                }

                (released ??= []).Add(_queue.Dequeue());
            }

            Arm(now);
        }

        if (released is not null)
        {
            foreach (var slot in released)
            {
                slot.TrySetResult();
            }
        }
    }

    /// <summary>Sets the timer for the head of the queue's slot. Under the lock.</summary>
    private void Arm(long now)
    {
        // Stryker disable once Block,Statement : a timer armed for an empty queue fires into a Pump that releases nothing
        if (_queue.Count == 0)
        {
            return;
        }

        var rate = Rate(now);
        var due = _cubic is null ? _pausedUntil : Math.Max(_pausedUntil, _bucket.NextAt(now, rate, Capacity(rate)));
        if (due == _armedFor)
        {
            return;
        }

        _armedFor = due;

        // Whole milliseconds, rounded up, at least one (a timer due at once may fire inside this call, under the lock):
        // timers count those, and one that fires early only re-arms.
        var delay = TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling((due - now) * 1000.0 / _frequency)));
        if (_timer is null)
        {
            _timer = _time.CreateTimer(static self => ((RateController)self!).Pump(), this, delay, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>A shared-pace call that fails after we stopped waiting for it is not an unobserved exception.</summary>
    private static void Observe(Task task)
    {
        // Stryker disable once LogicalNot,Statement,Bitwise : observing only keeps a late failure from being an unobserved task exception; no caller sees it
        if (!task.IsCompletedSuccessfully)
        {
            task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Sleeps on the clock. Task.Delay on a <see cref="TimeProvider"/> always continues on the thread pool; this one
    /// continues as the controller's slots do, so that a simulation on a fake clock runs every step inside its advance.
    /// </summary>
    private async Task SleepAsync(long ticks, CancellationToken cancellationToken)
    {
        // Whole milliseconds, rounded up: timers count those, and one that fires early costs a second sleep.
        var delay = TimeSpan.FromMilliseconds(Math.Ceiling(ticks * 1000.0 / _frequency));
        // Stryker disable once Equality,Statement : a sleep of zero on a timer of zero ends at once as well
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        // Stryker disable once Statement : a token already cancelled cancels the sleep at its registration below all the same
        cancellationToken.ThrowIfCancellationRequested();
        var done = new TaskCompletionSource(_slotOptions);
        var timer = _time.CreateTimer(static s => ((TaskCompletionSource)s!).TrySetResult(), done, delay, Timeout.InfiniteTimeSpan);
        lock (_lock)
        {
            // Stryker disable once Statement : keeps the timer rooted against collection only; no test holds a timer unreferenced long enough to see it
            _sleeps.Add(timer); // a timer nothing references may be collected before it fires
        }

        try
        {
            using var registration = cancellationToken.UnsafeRegister(static (s, ct) => ((TaskCompletionSource)s!).TrySetCanceled(ct), done);
            // Stryker disable once Boolean : ConfigureAwait(true) only resumes on a captured context; the library has none to capture and the result is the same
            await done.Task.ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                // Stryker disable once Statement : a timer left in the set after it fired is only kept from collection, and disposed below
                _sleeps.Remove(timer);
            }

            timer.Dispose();
        }
    }
}

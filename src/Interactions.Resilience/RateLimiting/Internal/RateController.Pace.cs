namespace Interactions.Resilience.RateLimiting.Internal;

/// <summary>The pace: pauses, decreases and the cubic growth, from the evidence. Every method here runs under the lock.</summary>
internal sealed partial class RateController
{
    private long _grantUntil; // the end of the window's worth sent at once after a pause (Rate)

    /// <summary>Pauses until <paramref name="wait"/> from now, unless a pause in force already ends as late. Under the lock.</summary>
    private TimeSpan? ExtendPause(long now, TimeSpan wait, bool wholeSecondsRounded)
    {
        var until = now + Ticks(wait);

        // During a pause, the answers of requests that were in flight name the window's end in whole seconds, each
        // rounded up from its own moment: "1" at 5 ms and "1" at 80 ms can be the same end, which the earlier bounds
        // more tightly. Only an end that is later even less the rounding extends the pause.
        var rounding = wholeSecondsRounded && wait.Ticks % TimeSpan.TicksPerSecond == 0 ? _frequency : 0;
        if (until <= now || (now < _pausedUntil && until - rounding < _pausedUntil) || until <= _pausedUntil)
        {
            return null;
        }

        _pausedUntil = until;
        if (_cubic is not null && _restartAt < until)
        {
            _restartAt = until; // the pace grows from the pause's end, not during it
            _settlePending = true;
        }

        return Duration(until - now);
    }

    /// <summary>
    /// Decreases the pace to Beta × the lower of the rate in force and the rate the server accepted (what was sent, when it
    /// accepted nothing); once per window,
    /// since the limits of one burst are one piece of evidence. Under the lock.
    /// </summary>
    private void Decrease(long now)
    {
        if (_lastDecreaseAt != long.MinValue && now - _lastDecreaseAt < _window)
        {
            return;
        }

        var inForce = _cubic is not null ? Rate(now) : double.PositiveInfinity;
        var accepted = MeasuredAccepted(now);
        var rateMax = Math.Clamp(Math.Min(inForce, accepted > 0 ? accepted : MeasuredSent(now)), _p.MinRate, _p.MaxRate);
        _cubic = new CubicRate(rateMax, _p.Beta, _p.Growth, _p.MinRate, _p.MaxRate);
        _rateInForceAtDecrease = inForce;
        _restartAt = Math.Max(now, _pausedUntil);
        _settlePending = _restartAt > now;
        _lastDecreaseAt = now;
        if (_shared is not null)
        {
            _ = ReportAsync(_shared.OnQuotaSpentAsync(_clientName, _scope, rateMax, Parameters(rateMax), Duration(_restartAt - now)).AsTask());
        }
    }

    /// <summary>
    /// During the pause that followed a decrease, answers of requests sent before it still arrive: acceptances among
    /// them show the server took more than was counted at the decrease. Under the lock.
    /// </summary>
    private void RaiseWithinPause(long now)
    {
        if (_cubic is not { } cubic || now >= _pausedUntil || now - _lastDecreaseAt >= _window)
        {
            return;
        }

        var rateMax = Math.Min(_rateInForceAtDecrease, Math.Min(MeasuredAccepted(now), _p.MaxRate));
        if (rateMax > cubic.RateMax)
        {
            _cubic = cubic with { RateMax = rateMax };
        }
    }

    /// <summary>
    /// While the shared pace paces this instance, a limit too few to decrease on here goes to the fleet's count: each
    /// instance sees only its share of the limits that the shared pace's overshoot draws. Under the lock.
    /// </summary>
    private void ReportLimitToSharedPace(long now)
    {
        if (_cubic is not { } cubic || _shared is null || now < _sharedDownUntil)
        {
            return;
        }

        // RateMax, not Rate(now): the parameters only size the burst, and Rate settles the pause as a side effect.
        _ = ReportAsync(_shared.OnLimitedAsync(_clientName, _scope, OvershootMinLimits, Parameters(cubic.RateMax)).AsTask());
    }

    private async Task ReportAsync(Task report)
    {
        try
        {
            // Stryker disable once Statement : observing only keeps a late failure from being an unobserved task exception; no caller sees it
            Observe(report);
            // Stryker disable once Statement,Boolean : a report is fire-and-forget: nothing awaits ReportAsync, so neither waiting for it nor how changes what a caller sees
            await report.WaitAsync(SharedTimeout, _time).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Best effort: the shared pace learns from the next report, or from another instance.
        }
    }

    /// <summary>The limits, and the other answers, of the last window. Under the lock.</summary>
    private (int Limits, int Others) Answers(long now)
    {
        var (limits, accepted, answered) = _evidence.Sum(now);
        return (limits, Math.Max(accepted, AcceptedElsewhere(now)) + answered);
    }

    /// <summary>
    /// What the server accepted per second over the last window. Never over a shorter span: a fixed window lets a
    /// full quota through at its start, which over half a second would read as twice the quota. Under the lock.
    /// </summary>
    private double MeasuredAccepted(long now)
        => Math.Max(_evidence.Sum(now).Accepted, AcceptedElsewhere(now)) * (double)_frequency / _window;

    /// <summary>
    /// What was sent per second over the last window (its limits and other answers): the only rate known when the server
    /// accepted nothing, as the AWS SDK's adaptive mode measures the send rate. Under the lock.
    /// </summary>
    private double MeasuredSent(long now)
    {
        var (limits, _, answered) = _evidence.Sum(now);
        return (limits + answered) * (double)_frequency / _window;
    }

    // Until a pause of the first burst has surely ended (two windows), the requests in flight at activation went
    // out on the fast path, uncounted here; the client's count of the last (whole) second stands in for them.
    private int AcceptedElsewhere(long now) => _acceptedElsewhere is not null && now - _activatedAt < 2 * _window ? _acceptedElsewhere() : 0;

    /// <summary>The pace at <paramref name="now"/>. Under the lock.</summary>
    private double Rate(long now)
    {
        if (_cubic is not { } cubic)
        {
            return double.PositiveInfinity;
        }

        if (_settlePending && now >= _restartAt)
        {
            // The pause that followed the decrease is over: every answer of the burst it covered is in, so what the
            // server took then is known better than when the first limits came back.
            _settlePending = false;
            if (now - _restartAt < _window / 2)
            {
                var accepted = Math.Max(_evidence.Sum(now).Accepted, AcceptedElsewhere(now));
                var rateMax = Math.Min(_rateInForceAtDecrease, Math.Min(accepted * (double)_frequency / _window, _p.MaxRate));
                if (rateMax > cubic.RateMax)
                {
                    _cubic = cubic = cubic with { RateMax = rateMax };
                }
            }

            // A window's worth of what the server took goes at once, and the pace's refill starts a window later: on a
            // window server that is the next window's quota, sent as soon as the window opens instead of spread over it.
            _grantUntil = now + Math.Max(0, _window - (long)(_frequency / cubic.RateMax));
            _bucket.Grant(now, Math.Max(1, cubic.RateMax * _window / _frequency), _grantUntil);
        }

        return cubic.At((now - _restartAt) / (double)_frequency);
    }

    private double Capacity(double rate) => Math.Max(1, Math.Max(Math.Min(_p.Burst, rate / 2), rate * BurstSeconds));

    private PaceParameters Parameters(double rate) => _p with { Burst = Capacity(rate) };
}

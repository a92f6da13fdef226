namespace Interactions.Resilience.RateLimiting.Internal;

/// <summary>
/// The release pace after a decrease, as CUBIC grows a congestion window, but relative to the rate:
/// R(t) = Rmax × (1 + Growth × (t − K)^3), K = cbrt((1 − Beta) / Growth), t in seconds since the pace restarted.
/// At t = 0 the pace is Beta × Rmax; it climbs steeply, flattens as it nears Rmax (reached at t = K), then probes
/// past it ever faster, so a quota that was raised is found within seconds. Pure: data in, rate out.
/// </summary>
/// <remarks>
/// The AWS SDK's adaptive retry mode uses the same curve with an absolute constant (0.4 requests/s³); a relative one
/// behaves alike at 5 and at 5,000 requests a second, so one constant serves every quota.
/// </remarks>
internal readonly record struct CubicRate(double RateMax, double Beta, double Growth, double MinRate, double MaxRate)
{
    /// <summary>Gets the seconds after the restart at which the pace is back at <see cref="RateMax"/>.</summary>
    public double K => Math.Cbrt((1 - Beta) / Growth);

    /// <summary>The pace <paramref name="seconds"/> after the restart (before it, the pace is Beta × Rmax).</summary>
    public double At(double seconds)
    {
        var t = Math.Max(0, seconds) - K;
        return Math.Clamp(RateMax * (1 + (Growth * t * t * t)), MinRate, MaxRate);
    }

    /// <summary>The seconds after the restart at which the pace first reaches <paramref name="rate"/>.</summary>
    public double SecondsUntil(double rate)
    {
        var relative = (rate / RateMax) - 1;
        return Math.Max(0, K + Math.Cbrt(relative / Growth));
    }
}

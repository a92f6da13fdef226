namespace Interactions.Resilience.RateLimiting.Internal;

/// <summary>
/// A release pace shared by the instances of an app that send through one scope (WithRedisCoordination), so that
/// together they send at the quota. Consulted only while the scope is being paced; a 2xx with no limit in force never
/// reaches it. Every call may fail or be slow: a null result means "use your local controller".
/// </summary>
internal interface ISharedPace
{
    /// <summary>Reserves the scope's next send slot in the shared bucket; returns the delay until it, or null to fall back.</summary>
    ValueTask<TimeSpan?> ReserveAsync(string clientName, string? scope, PaceParameters parameters, CancellationToken cancellationToken);

    /// <summary>
    /// This instance saw evidence that the quota is spent: decrease the shared pace (once per window for the whole fleet).
    /// <paramref name="restartIn"/> is when the pause that follows ends (zero without one): the shared curve starts there,
    /// and its slots a window later, after each instance's grant.
    /// </summary>
    ValueTask OnQuotaSpentAsync(string clientName, string? scope, double localRate, PaceParameters parameters, TimeSpan restartIn);

    /// <summary>
    /// This instance, paced by the shared pace, got a limit that was not evidence enough on its own: the fleet's limits
    /// are counted together, and <paramref name="minLimits"/> of them in a window decrease the shared pace.
    /// </summary>
    ValueTask OnLimitedAsync(string clientName, string? scope, int minLimits, PaceParameters parameters);
}

/// <summary>The controller's parameters, passed with every call so the shared state follows the same algorithm.</summary>
/// <param name="Beta">Multiplicative decrease on quota-spent evidence (the rate becomes Beta × the rate in force).</param>
/// <param name="Growth">CUBIC growth constant, relative: R(t) = Rmax × (1 + Growth × (t − K)^3), K = cbrt((1 − Beta) / Growth), t in seconds since the decrease.</param>
/// <param name="MinRate">The lowest rate, in requests per second.</param>
/// <param name="MaxRate">The highest rate the shared state may hold, in requests per second (bounds a broken value).</param>
/// <param name="Burst">The bucket's capacity, in requests.</param>
/// <param name="Window">How long one decrease covers: further quota-spent reports within it are the same burst.</param>
/// <param name="Idle">After this long without a reservation the shared state expires.</param>
internal readonly record struct PaceParameters(double Beta, double Growth, double MinRate, double MaxRate, double Burst, TimeSpan Window, TimeSpan Idle);

namespace Interactions.Resilience.Testing.Internal;

/// <summary>
/// The state of an <see cref="InteractionsRateLimitModel"/> put in force: its quotas (one, or one per scope key),
/// its schedule of rate changes and its random draws. Not thread-safe on its own: <see cref="SimulatorState"/>
/// calls it under its lock.
/// </summary>
internal sealed class RateLimitInForce
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly InteractionsRateLimitModel _model;
    private readonly DateTimeOffset _since;
    private readonly Dictionary<string, IServerQuota> _quotas = new(StringComparer.Ordinal);
    private readonly Random? _draws;
    private int _nextChange;
    private int _requestsPerSecond;

    public RateLimitInForce(InteractionsRateLimitModel model, DateTimeOffset now)
    {
        _model = model;
        _since = now;
        _requestsPerSecond = model.RequestsPerSecond;
        _draws = model.IsQuota ? null : new Random(model.Seed);
    }

    public int StatusCode => _model.StatusCode;

    public bool IsQuota => _model.IsQuota;

    public RateLimitScope Scope => _model.Scope;

    /// <summary>
    /// Decides whether the request is rejected; when it is, <paramref name="retryAfterSeconds"/> is the
    /// <c>Retry-After</c> to send, or <see langword="null"/> for none.
    /// </summary>
    /// <param name="now">The simulator's time.</param>
    /// <param name="scopeKey">The request's scope key; ignored by a model for the whole account.</param>
    /// <param name="retryAfterSeconds">The header's whole seconds.</param>
    public bool Rejects(DateTimeOffset now, string scopeKey, out long? retryAfterSeconds)
    {
        if (_draws is { } draws)
        {
            // One draw per request, rejected or not, so the n-th request's answer depends only on the seed.
            var rejected = draws.NextDouble() < _model.Share;
            retryAfterSeconds = rejected && _model.SendsRetryAfter && _model.SporadicRetryAfter is { } wait
                ? SimulatorState.ToRetryAfterSeconds(wait, minimum: 0)
                : null;
            return rejected;
        }

        ApplyScheduledChanges(now);
        var key = _model.Scope == RateLimitScope.Account ? string.Empty : scopeKey;
        if (!_quotas.TryGetValue(key, out var quota))
        {
            quota = NewQuota();
            _quotas.Add(key, quota);
        }

        if (quota.TryAcquire(now, out var untilFree))
        {
            retryAfterSeconds = null;
            return false;
        }

        retryAfterSeconds = _model.SendsRetryAfter ? SimulatorState.ToRetryAfterSeconds(untilFree, minimum: 1) : null;
        return true;
    }

    /// <summary>Changes the rate of every quota of the model from now on.</summary>
    public void ChangeRate(int requestsPerSecond, DateTimeOffset now)
    {
        _requestsPerSecond = requestsPerSecond;
        foreach (var quota in _quotas.Values)
        {
            quota.ChangeRate(requestsPerSecond, now);
        }
    }

    private void ApplyScheduledChanges(DateTimeOffset now)
    {
        var changes = _model.RateChanges;
        while (_nextChange < changes.Count && _since + changes[_nextChange].After <= now)
        {
            // A change takes effect at its scheduled moment, even when the first request after it comes later.
            ChangeRate(changes[_nextChange].RequestsPerSecond, _since + changes[_nextChange].After);
            _nextChange++;
        }
    }

    private IServerQuota NewQuota() => _model.Kind switch
    {
        RateLimitModelKind.FixedWindow => new FixedWindowRateLimit(_requestsPerSecond, Window),
        RateLimitModelKind.SlidingWindow => new SlidingWindowRateLimit(_requestsPerSecond, Window),
        _ => new TokenBucketRateLimit(_requestsPerSecond, _model.Capacity),
    };
}

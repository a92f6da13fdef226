using Interactions.Resilience.Health.Internal;
using System.Collections.Concurrent;

namespace Interactions.Resilience.RateLimiting.Internal;

/// <summary>
/// The client's rate controllers: one for the whole client and, with a <c>ScopeSelector</c>, one per scope,
/// so that a 030003 on one sender paces only that sender's requests. A scope's controller exists only while it
/// holds something (a pause, a pace, a waiter): scopes may be recipients, millions of them, so idle ones are
/// dropped by a sweep at most once per <see cref="RateController.QuietPeriod"/> (so within two of the last limit), and once none is left the request path
/// reads <see cref="MayBeActive"/> as false again.
/// </summary>
internal sealed class RateLimitGates
{
    private readonly TimeProvider _time;
    private readonly string _clientName;
    private readonly Func<int> _acceptedPerSecond;
    private readonly ISharedPace? _shared;
    private readonly Func<HttpRequestMessage, string?>? _selector;
    private readonly ConcurrentDictionary<string, RateController> _scoped = new(StringComparer.Ordinal);
    private readonly object _sweepLock = new();
    private readonly long _sweepEvery;
    private long _nextSweepAt;
    private volatile bool _anyScoped;

    public RateLimitGates(TimeProvider time, HealthWindow health, Func<HttpRequestMessage, string?>? selector, string clientName = "", ISharedPace? shared = null)
    {
        _time = time;
        _clientName = clientName;
        _acceptedPerSecond = health.AcceptedPerSecond;
        _shared = shared;
        _selector = selector;
        Client = new RateController(time, clientName, scope: null, _acceptedPerSecond, shared);
        _sweepEvery = (long)(RateController.QuietPeriod.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>Gets the controller of the whole client.</summary>
    public RateController Client { get; }

    /// <summary>Gets whether any controller may be active; the request path reads this and nothing else when all are idle.</summary>
    public bool MayBeActive => Client.IsActive || (_anyScoped && AnyScopedAfterSweep());

    /// <summary>Gets how many scopes have a controller now (the client's own not counted).</summary>
    public int ScopeCount => _scoped.Count;

    public IEnumerable<RateController> All => _scoped.Values.Prepend(Client);

    /// <summary>Gets every controller with its scope (<see langword="null"/> for the whole client's).</summary>
    public IEnumerable<KeyValuePair<string?, RateController>> ByScope
        => _scoped.Select(static p => new KeyValuePair<string?, RateController>(p.Key, p.Value)).Prepend(new(null, Client));

    /// <summary>
    /// The controller of a scope, made when it has none (for a limit, a remote pause, or a request's own wait);
    /// <see langword="null"/> is the whole client. Once a scope has one, the request path looks again until a sweep
    /// finds them all idle.
    /// </summary>
    public RateController For(string? scope)
    {
        if (scope is null)
        {
            return Client;
        }

        lock (_sweepLock)
        {
            SweepIfDue(_time.GetTimestamp());
            _anyScoped = true;
            return _scoped.GetOrAdd(scope, static (s, self) => new RateController(self._time, self._clientName, s, self._acceptedPerSecond, self._shared), this);
        }
    }

    /// <summary>The controller of a scope if it has one (a scope with none has nothing in force); <see langword="null"/> is the whole client.</summary>
    public RateController? Find(string? scope)
        => scope is null ? Client : _scoped.TryGetValue(scope, out var controller) ? controller : null;

    /// <summary>The scope the app's selector gives a request; <see langword="null"/> for the whole client.</summary>
    public string? ScopeOf(HttpRequestMessage request) => _selector?.Invoke(request);

    /// <summary>A 030003 in a scope (<see langword="null"/>: the whole client); returns the pause it started, if the evidence called for one.</summary>
    public TimeSpan? OnRateLimited(string? scope, TimeSpan retryAfter)
    {
        if (scope is null)
        {
            return Client.OnRateLimited(retryAfter);
        }

        lock (_sweepLock) // held while the controller is told, so that no sweep drops it in between
        {
            return For(scope).OnRateLimited(retryAfter);
        }
    }

    /// <summary>Pauses a scope for <paramref name="duration"/>: another instance saw its quota spent.</summary>
    public void Pause(string? scope, TimeSpan duration)
    {
        if (scope is null)
        {
            Client.Pause(duration);
            return;
        }

        lock (_sweepLock)
        {
            For(scope).Pause(duration);
        }
    }

    private bool AnyScopedAfterSweep()
    {
        var now = _time.GetTimestamp();
        if (now < Volatile.Read(ref _nextSweepAt))
        {
            return true;
        }

        lock (_sweepLock)
        {
            SweepIfDue(now);
            return _anyScoped;
        }
    }

    /// <summary>Drops the idle scopes' controllers, at most once per quiet period; under <see cref="_sweepLock"/>.</summary>
    private void SweepIfDue(long now)
    {
        if (now < _nextSweepAt)
        {
            return;
        }

        Volatile.Write(ref _nextSweepAt, now + _sweepEvery);
        foreach (var pair in _scoped)
        {
            if (pair.Value.IsIdle)
            {
                // A request that found this controller just before keeps using it: it is idle, so nothing it would
                // wait for is lost; a limit or pause it reports comes through For, which this lock keeps out.
                _scoped.TryRemove(pair);
            }
        }

        _anyScoped = !_scoped.IsEmpty;
    }
}

using Interactions.Resilience.Health.Internal;
using System.Collections.Concurrent;

namespace Interactions.Resilience.RateLimiting.Internal;

/// <summary>
/// The client's rate controllers: one for the whole client and, with a <c>ScopeSelector</c>, one per scope,
/// so that a 030003 on one sender paces only that sender's requests.
/// </summary>
internal sealed class RateLimitGates
{
    private readonly TimeProvider _time;
    private readonly string _clientName;
    private readonly Func<int> _acceptedPerSecond;
    private readonly ISharedPace? _shared;
    private readonly Func<HttpRequestMessage, string?>? _selector;
    private readonly ConcurrentDictionary<string, RateController> _scoped = new(StringComparer.Ordinal);
    private volatile bool _anyScopedLimit;

    public RateLimitGates(TimeProvider time, HealthWindow health, Func<HttpRequestMessage, string?>? selector, string clientName = "", ISharedPace? shared = null)
    {
        _time = time;
        _clientName = clientName;
        _acceptedPerSecond = health.AcceptedPerSecond;
        _shared = shared;
        _selector = selector;
        Client = new RateController(time, clientName, scope: null, _acceptedPerSecond, shared);
    }

    /// <summary>Gets the controller of the whole client.</summary>
    public RateController Client { get; }

    /// <summary>Gets whether any controller may be active; the request path reads this and nothing else when all are idle.</summary>
    public bool MayBeActive => Client.IsActive || _anyScopedLimit;

    public IEnumerable<RateController> All => _scoped.Values.Prepend(Client);

    /// <summary>Gets every controller with its scope (<see langword="null"/> for the whole client's).</summary>
    public IEnumerable<KeyValuePair<string?, RateController>> ByScope
        => _scoped.Select(static p => new KeyValuePair<string?, RateController>(p.Key, p.Value)).Prepend(new(null, Client));

    /// <summary>The controller a request passes: its scope's, or the client's.</summary>
    public RateController For(HttpRequestMessage request) => For(ScopeOf(request));

    /// <summary>The controller of a scope; <see langword="null"/> is the whole client.</summary>
    public RateController For(string? scope)
        => scope is null ? Client : _scoped.GetOrAdd(scope, static (s, self) => new RateController(self._time, self._clientName, s, self._acceptedPerSecond, self._shared), this);

    /// <summary>The scope the app's selector gives a request; <see langword="null"/> for the whole client.</summary>
    public string? ScopeOf(HttpRequestMessage request) => _selector?.Invoke(request);

    /// <summary>A 030003 in a scope (<see langword="null"/>: the whole client); returns the pause it started, if the evidence called for one.</summary>
    public TimeSpan? OnRateLimited(string? scope, TimeSpan retryAfter) => Activate(scope).OnRateLimited(retryAfter);

    /// <summary>Pauses a scope for <paramref name="duration"/>: another instance saw its quota spent.</summary>
    public void Pause(string? scope, TimeSpan duration) => Activate(scope).Pause(duration);

    private RateController Activate(string? scope)
    {
        var controller = For(scope);
        if (!ReferenceEquals(controller, Client))
        {
            _anyScopedLimit = true;
        }

        return controller;
    }
}

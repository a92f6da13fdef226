using Interactions.Resilience.Health.Internal;
using System.Collections.Concurrent;

namespace Interactions.Resilience.RateLimiting.Internal;

/// <summary>
/// The client's rate-limit gates: one for the whole client and, with a <c>ScopeSelector</c>, one per scope,
/// so that a 030003 on one sender pauses only that sender's requests.
/// </summary>
internal sealed class RateLimitGates
{
    private readonly TimeProvider _time;
    private readonly HealthWindow _health;
    private readonly Func<HttpRequestMessage, string?>? _selector;
    private readonly ConcurrentDictionary<string, RateLimitGate> _scoped = new(StringComparer.Ordinal);
    private volatile bool _anyScopedLimit;

    public RateLimitGates(TimeProvider time, HealthWindow health, Func<HttpRequestMessage, string?>? selector)
    {
        _time = time;
        _health = health;
        _selector = selector;
        Client = new RateLimitGate(time, health);
    }

    /// <summary>Gets the gate of the whole client.</summary>
    public RateLimitGate Client { get; }

    /// <summary>Gets whether any gate may be active; the request path reads this and nothing else when all are open.</summary>
    public bool MayBeActive => Client.IsActive || _anyScopedLimit;

    public IEnumerable<RateLimitGate> All => _scoped.Values.Prepend(Client);

    /// <summary>Gets every gate with its scope (<see langword="null"/> for the whole client's).</summary>
    public IEnumerable<KeyValuePair<string?, RateLimitGate>> ByScope
        => _scoped.Select(static p => new KeyValuePair<string?, RateLimitGate>(p.Key, p.Value)).Prepend(new(null, Client));

    /// <summary>The gate a request passes: its scope's, or the client's.</summary>
    public RateLimitGate For(HttpRequestMessage request) => For(ScopeOf(request));

    /// <summary>The gate of a scope; <see langword="null"/> is the whole client.</summary>
    public RateLimitGate For(string? scope)
        => scope is null ? Client : _scoped.GetOrAdd(scope, static (_, self) => new RateLimitGate(self._time, self._health), this);

    /// <summary>The scope the app's selector gives a request; <see langword="null"/> for the whole client.</summary>
    public string? ScopeOf(HttpRequestMessage request) => _selector?.Invoke(request);

    /// <summary>A 030003 for this request: pause its gate.</summary>
    public void OnRateLimited(HttpRequestMessage request, TimeSpan retryAfter) => OnRateLimited(ScopeOf(request), retryAfter);

    /// <summary>Pauses the gate of a scope (<see langword="null"/>: the whole client): a 030003 here, or a pause from another instance.</summary>
    public void OnRateLimited(string? scope, TimeSpan retryAfter)
    {
        var gate = For(scope);
        if (!ReferenceEquals(gate, Client))
        {
            _anyScopedLimit = true;
        }

        gate.OnRateLimited(retryAfter);
    }
}

using System.Collections.Concurrent;
using Interactions.Resilience.Health.Internal;

namespace Interactions.Resilience.CircuitBreaker.Internal;

/// <summary>A client's circuits: one for the whole client, one per authority (<c>PerAuthority</c>), or none when the breaker is off.</summary>
internal sealed class Circuits
{
    private readonly InteractionsCircuitBreakerOptions _options;
    private readonly TimeProvider _time;
    private readonly Circuit? _client;
    private readonly ConcurrentDictionary<string, Circuit>? _byAuthority;

    public Circuits(InteractionsCircuitBreakerOptions options, TimeProvider time, HealthWindow clientHealth)
    {
        _options = options;
        _time = time;
        if (!options.Enabled)
        {
            return;
        }

        if (options.PerAuthority)
        {
            _byAuthority = new(StringComparer.OrdinalIgnoreCase);
        }
        else
        {
            _client = new Circuit(options, time, clientHealth);
        }
    }

    /// <summary>Gets every circuit made so far, with its authority (null: the client's).</summary>
    public IEnumerable<KeyValuePair<string?, Circuit>> ByAuthority
        => _byAuthority?.Select(static p => new KeyValuePair<string?, Circuit>(p.Key, p.Value))
           ?? (_client is null ? [] : [new(null, _client)]);

    /// <summary>The circuit a request belongs to: the client's, its authority's, or none when the breaker is off.</summary>
    public Circuit? For(HttpRequestMessage request)
    {
        if (_byAuthority is null || request.RequestUri is not { IsAbsoluteUri: true } uri)
        {
            return _client;
        }

        // Each authority keeps its own window: one failing host must not open another's circuit.
        return _byAuthority.GetOrAdd(uri.Authority, static (_, self) => new Circuit(self._options, self._time, new HealthWindow(self._time)), this);
    }
}

using Interactions.Resilience.Pipeline.Internal;
using Interactions.Resilience.RateLimiting.Internal;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Interactions.Resilience.Telemetry.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Interactions.Resilience.DependencyInjection.Internal;

/// <summary>
/// One <see cref="RequestPipeline"/> per named client, so halts and rate-limit waits outlive the
/// handler instances that <c>IHttpClientFactory</c> rotates.
/// </summary>
internal sealed class ClientResilienceRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<RequestPipeline>> _clients = new(StringComparer.Ordinal);
    private readonly IServiceProvider _services;
    private readonly Meter? _ownMeter;
    private readonly InteractionsMetrics _metrics;

    public ClientResilienceRegistry(IServiceProvider services)
    {
        _services = services;
        var meter = services.GetService<IMeterFactory>()?.Create(InteractionsTelemetryNames.MeterName);
        if (meter is null)
        {
            meter = _ownMeter = new Meter(InteractionsTelemetryNames.MeterName);
        }

        _metrics = new InteractionsMetrics(meter, Gauges);
    }

    public RequestPipeline Get(string name)
        => _clients.GetOrAdd(name, static (n, self) => new Lazy<RequestPipeline>(() => self.Create(n)), this).Value;

    public void Dispose() => _ownMeter?.Dispose();

    private RequestPipeline Create(string name)
    {
        // Get validates the options: an invalid setting throws OptionsValidationException before any request leaves.
        var options = _services.GetRequiredService<IOptionsMonitor<InteractionsResilienceOptions>>().Get(name);
        var time = _services.GetService<TimeProvider>() ?? TimeProvider.System;
        var loggerFactory = _services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var telemetry = new InteractionsTelemetry(loggerFactory.CreateLogger("Interactions.Resilience"), _metrics);
        var board = _services.GetService<InteractionsPauseBoard>();
        var parts = new ClientParts(
            name,
            options,
            time,
            telemetry,
            _services.GetService<IInteractionsErrorClassifier>(),
            _services.GetService<IInteractionsCredentialRefresher>(),
            board,
            _services.GetService<ISharedPace>());
        var client = new RequestPipeline(parts, loggerFactory);
        board?.Attach(client); // a client created after another instance paused starts paused
        return client;
    }

    private IEnumerable<ClientGauges> Gauges()
    {
        foreach (var (name, lazy) in _clients)
        {
            if (lazy.IsValueCreated)
            {
                var client = lazy.Value;
                var admission = client.Admission;
                yield return new ClientGauges(name, admission.Gates.All.Sum(static g => g.Waiting), admission.Gates.Client.CurrentRate, admission.Halt.IsActive(out _, out _));
            }
        }
    }
}

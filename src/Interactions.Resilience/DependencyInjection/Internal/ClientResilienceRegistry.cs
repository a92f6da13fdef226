using System.Collections.Concurrent;
using Interactions.Resilience.Policies.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Interactions.Resilience.DependencyInjection.Internal;

/// <summary>
/// One <see cref="ClientResilienceState"/> per named client, so halts and rate-limit waits outlive the
/// handler instances that <c>IHttpClientFactory</c> rotates.
/// </summary>
internal sealed class ClientResilienceRegistry
{
    private readonly ConcurrentDictionary<string, Lazy<ClientResilienceState>> _clients = new(StringComparer.Ordinal);
    private readonly IServiceProvider _services;

    public ClientResilienceRegistry(IServiceProvider services) => _services = services;

    public ClientResilienceState Get(string name)
        => _clients.GetOrAdd(name, static (n, services) => new Lazy<ClientResilienceState>(() => Create(n, services)), _services).Value;

    private static ClientResilienceState Create(string name, IServiceProvider services)
    {
        // Get validates the options: an invalid setting throws OptionsValidationException before any request leaves.
        var options = services.GetRequiredService<IOptionsMonitor<InteractionsResilienceOptions>>().Get(name);
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("Interactions.Resilience") ?? NullLogger.Instance;
        return new ClientResilienceState(name, options, time, logger, services.GetService<IInteractionsErrorClassifier>());
    }
}

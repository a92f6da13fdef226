using Interactions.Resilience.CircuitBreaker.Internal;
using Interactions.Resilience.Credentials.Internal;
using Interactions.Resilience.Halt.Internal;
using Interactions.Resilience.Health.Internal;
using Interactions.Resilience.Idempotency.Internal;
using Interactions.Resilience.RateLimiting.Internal;
using Interactions.Resilience.Retry.Internal;
using Interactions.Resilience.Telemetry.Internal;

namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>
/// The parts one named client is made of, each a feature of its own folder, composed here once: what the
/// pipeline admits with, what an outcome changes, and what decides.
/// </summary>
internal sealed class ClientParts
{
    public ClientParts(
        string name,
        InteractionsResilienceOptions options,
        TimeProvider time,
        InteractionsTelemetry telemetry,
        IInteractionsErrorClassifier? customClassifier,
        IInteractionsCredentialRefresher? credentialRefresher,
        InteractionsPauseBoard? board,
        ISharedPace? sharedPace = null)
    {
        Name = name;
        Options = options;
        Time = time;
        Telemetry = telemetry;
        Classifier = new InteractionsErrorClassifier(time, options.MaxErrorBodyBytes, options.Classifier ?? customClassifier, options.RecognizeMetaErrors);
        Policies = new PolicyTable(options.Policies);
        Idempotency = new IdempotencyRules(options.Idempotency);
        Health = new HealthWindow(time);
        Budget = new RetryBudget(options.RetryBudget, Health);
        Credentials = credentialRefresher is null ? null : new CredentialRefresh(credentialRefresher);
        var halt = new HaltState(time);
        var gates = new RateLimitGates(time, Health, options.RateLimit.ScopeSelector, name, sharedPace);
        var limiter = options.RateLimit.PermitsPerSecond is { } permits ? new ProactiveLimiter(permits, options.RateLimit.QueueLimit, time) : null;
        Admission = new ClientAdmission(options, time, telemetry, halt, new Circuits(options.CircuitBreaker, time, Health), gates, limiter);
        Effects = new ClientEffects(name, options, Policies, Health, halt, gates, board);
    }

    public string Name { get; }

    public InteractionsResilienceOptions Options { get; }

    public TimeProvider Time { get; }

    public InteractionsTelemetry Telemetry { get; }

    public InteractionsErrorClassifier Classifier { get; }

    public PolicyTable Policies { get; }

    public IdempotencyRules Idempotency { get; }

    public HealthWindow Health { get; }

    public RetryBudget Budget { get; }

    public CredentialRefresh? Credentials { get; }

    public ClientAdmission Admission { get; }

    public ClientEffects Effects { get; }
}

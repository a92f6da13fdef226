using System.Collections.Concurrent;
using Interactions.Resilience.Http.Internal;
using Interactions.Resilience.Telemetry.Internal;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Telemetry;
using Polly.Retry;
using Polly.Timeout;

namespace Interactions.Resilience.Policies.Internal;

/// <summary>
/// Everything one named client shares across its requests and across the handler instances that
/// <c>IHttpClientFactory</c> rotates: options, classifier, policy table, halt, rate-limit gates, circuit
/// breaker, retry budget, proactive limiter, credential refresh and the Polly pipeline that runs every
/// request from its first failure on.
/// </summary>
internal sealed class ClientResilienceState
{
    private readonly CircuitBreaker? _breaker;
    private readonly ConcurrentDictionary<string, CircuitBreaker>? _breakersByAuthority;

    public ClientResilienceState(
        string name,
        InteractionsResilienceOptions options,
        TimeProvider time,
        InteractionsTelemetry telemetry,
        ILoggerFactory loggerFactory,
        IInteractionsErrorClassifier? customClassifier,
        IInteractionsCredentialRefresher? credentialRefresher,
        InteractionsPauseBoard? board = null)
    {
        Board = board;
        Name = name;
        Options = options;
        Time = time;
        Telemetry = telemetry;
        Classifier = new InteractionsErrorClassifier(time, options.MaxErrorBodyBytes, options.Classifier ?? customClassifier);
        Policies = new PolicyTable(options.Policies);
        Idempotency = new IdempotencyRules(options.Idempotency);
        Halt = new HaltState(time);
        Health = new HealthWindow(time);
        Gates = new RateLimitGates(time, Health, options.RateLimit.ScopeSelector, name);
        Budget = new RetryBudget(options.RetryBudget, Health);
        if (options.CircuitBreaker.Enabled)
        {
            if (options.CircuitBreaker.PerAuthority)
            {
                _breakersByAuthority = new(StringComparer.OrdinalIgnoreCase);
            }
            else
            {
                _breaker = new CircuitBreaker(options.CircuitBreaker, time, Health);
            }
        }

        Limiter = options.RateLimit.PermitsPerSecond is { } permits ? new ProactiveLimiter(permits, options.RateLimit.QueueLimit, time) : null;
        Credentials = credentialRefresher is null ? null : new CredentialRefresh(credentialRefresher);
        FirstAttemptTimeouts = new TimeoutSourcePool(time, options.AttemptTimeout);
        Pipeline = BuildPipeline(name, options, time, loggerFactory);
    }

    public string Name { get; }

    public InteractionsResilienceOptions Options { get; }

    public TimeProvider Time { get; }

    public InteractionsTelemetry Telemetry { get; }

    public InteractionsErrorClassifier Classifier { get; }

    public PolicyTable Policies { get; }

    public IdempotencyRules Idempotency { get; }

    public HaltState Halt { get; }

    public HealthWindow Health { get; }

    public RateLimitGates Gates { get; }

    public RetryBudget Budget { get; }

    public ProactiveLimiter? Limiter { get; }

    public CredentialRefresh? Credentials { get; }

    public TimeoutSourcePool FirstAttemptTimeouts { get; }

    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    /// <summary>Gets the board that shares this client's pauses with other instances; only failures that pause reach it.</summary>
    public InteractionsPauseBoard? Board { get; }

    /// <summary>The circuit a request belongs to: the client's, its authority's, or none when the breaker is off.</summary>
    public CircuitBreaker? BreakerFor(HttpRequestMessage request)
    {
        if (_breakersByAuthority is null || request.RequestUri is not { IsAbsoluteUri: true } uri)
        {
            return _breaker;
        }

        return _breakersByAuthority.GetOrAdd(uri.Authority, static (_, self) => new CircuitBreaker(self.Options.CircuitBreaker, self.Time, new HealthWindow(self.Time)), this);
    }

    /// <summary>An attempt succeeded: the server accepted it.</summary>
    public void OnAccepted(CircuitBreaker? breaker, long second) => OnUp(breaker, second, HealthWindow.Kind.Success);

    /// <summary>Side effects of a classified failure that concern every request of the client or its scope.</summary>
    public void OnFailure(InteractionsError error, HttpRequestMessage request, CircuitBreaker? breaker)
    {
        switch (Policies.For(error))
        {
            case InteractionsPolicy.Halt:
                Halt.Trip(error, Options.HaltDuration);
                Board?.OnLocalPause(Name, scope: null, error.Code, Options.HaltDuration);
                OnUp(breaker, Health.Now, HealthWindow.Kind.Answered);
                break;
            case InteractionsPolicy.WaitAndRetry:
                var scope = Gates.ScopeOf(request);
                var wait = error.RetryAfter ?? Options.RateLimit.DefaultDelay;
                Gates.OnRateLimited(scope, wait);
                Board?.OnLocalPause(Name, scope, error.Code, wait);
                OnUp(breaker, Health.Now, HealthWindow.Kind.Answered);
                break;
            case InteractionsPolicy.Cooldown when error.Code == InteractionsErrorCode.TwoStepPinGuessedTooFast && Board is not null:
                // Here only this request waits its cooldown; other instances pause the scope, so that they do
                // not guess during it and extend it.
                Board.OnLocalPause(Name, Gates.ScopeOf(request), error.Code, error.RetryAfter ?? Options.PinCooldown);
                OnUp(breaker, Health.Now, HealthWindow.Kind.Answered);
                break;
            case InteractionsPolicy.Retry:
                breaker?.OnFailure(error.RetryAfter);
                break;
            default:
                OnUp(breaker, Health.Now, HealthWindow.Kind.Answered);
                break;
        }
    }

    /// <summary>
    /// The server answered with something other than a Retry-code failure: it is up. Only a success counts
    /// toward the pace the rate-limit gate releases at; any answer closes a half-open circuit.
    /// </summary>
    private void OnUp(CircuitBreaker? breaker, long second, HealthWindow.Kind kind)
    {
        Health.Record(kind, second);
        breaker?.OnSuccess(second, kind, recordHealth: !breaker.SharesHealth(Health));
    }

    /// <summary>
    /// Applies a pause another instance started, for the <paramref name="duration"/> it has left: a halt when
    /// the code's policy here is Halt (halts are client-wide), otherwise a pause of the scope's gate.
    /// </summary>
    public void ApplyPause(InteractionsErrorCode code, string? scope, TimeSpan duration)
    {
        if (Policies.For(code) == InteractionsPolicy.Halt)
        {
            Halt.Trip(InteractionsError.Local(code), duration);
        }
        else
        {
            Gates.Pause(scope, duration);
        }
    }

    private static ResiliencePipeline<HttpResponseMessage> BuildPipeline(string name, InteractionsResilienceOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        return new ResiliencePipelineBuilder<HttpResponseMessage> { Name = $"Interactions-{name}", InstanceName = name, TimeProvider = time }

            // Polly's own metrics and logs for the part of the work Polly runs; its events log at Debug,
            // since ours already report each failure once at the level it deserves.
            .ConfigureTelemetry(new TelemetryOptions { LoggerFactory = loggerFactory, SeverityProvider = static _ => ResilienceEventSeverity.Debug })
            .AddTimeout(new TimeoutStrategyOptions
            {
                Name = "TotalTimeout",

                // What is left of the total after the first attempt, which ran outside the pipeline.
                TimeoutGenerator = static args => new ValueTask<TimeSpan>(TimeMath.Max(RequestExecution.From(args.Context).RemainingTotal, TimeSpan.FromTicks(1))),
            })
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "Policies",
                MaxRetryAttempts = int.MaxValue, // each policy counts its own retries
                BackoffType = DelayBackoffType.Constant,
                Delay = TimeSpan.Zero,
                UseJitter = false,
                ShouldHandle = static args => new ValueTask<bool>(RequestExecution.From(args.Context).ShouldRetry(args.Outcome)),
                DelayGenerator = static args => new ValueTask<TimeSpan?>(RequestExecution.From(args.Context).PlannedDelay),
            })
            .AddTimeout(new TimeoutStrategyOptions { Name = "AttemptTimeout", Timeout = options.AttemptTimeout })
            .Build();
    }
}

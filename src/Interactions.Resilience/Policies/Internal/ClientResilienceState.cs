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
/// <c>IHttpClientFactory</c> rotates: options, classifier, policy table, halt, rate-limit gate and the Polly
/// pipeline that runs every request from its first failure on.
/// </summary>
internal sealed class ClientResilienceState
{
    public ClientResilienceState(
        string name,
        InteractionsResilienceOptions options,
        TimeProvider time,
        InteractionsTelemetry telemetry,
        ILoggerFactory loggerFactory,
        IInteractionsErrorClassifier? customClassifier)
    {
        Name = name;
        Options = options;
        Time = time;
        Telemetry = telemetry;
        Classifier = new InteractionsErrorClassifier(time, options.MaxErrorBodyBytes, options.Classifier ?? customClassifier);
        Policies = new PolicyTable(options.Policies);
        Idempotency = new IdempotencyRules(options.Idempotency);
        Halt = new HaltState(time);
        Successes = new SuccessRateMeter(time);
        Gate = new RateLimitGate(time, Successes);
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

    public SuccessRateMeter Successes { get; }

    public RateLimitGate Gate { get; }

    public TimeoutSourcePool FirstAttemptTimeouts { get; }

    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    /// <summary>Side effects of a classified failure that concern every request of the client.</summary>
    public void OnFailure(InteractionsError error)
    {
        switch (Policies.For(error))
        {
            case InteractionsPolicy.Halt:
                Halt.Trip(error, Options.HaltDuration);
                break;
            case InteractionsPolicy.WaitAndRetry:
                Gate.OnRateLimited(error.RetryAfter ?? Options.RateLimit.DefaultDelay);
                break;
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

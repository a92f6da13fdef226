using Interactions.Resilience.Http.Internal;
using Interactions.Resilience.Telemetry.Internal;
using Microsoft.Extensions.Logging;
using Polly;
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
    public ClientResilienceState(string name, InteractionsResilienceOptions options, TimeProvider time, ILogger logger, IInteractionsErrorClassifier? customClassifier)
    {
        Name = name;
        Options = options;
        Time = time;
        Logger = logger;
        Classifier = new InteractionsErrorClassifier(time, options.MaxErrorBodyBytes, options.Classifier ?? customClassifier);
        Policies = new PolicyTable(options.Policies);
        Idempotency = new IdempotencyRules(options.Idempotency);
        Halt = new HaltState(time);
        Successes = new SuccessRateMeter(time);
        Gate = new RateLimitGate(time, Successes);
        FirstAttemptTimeouts = new TimeoutSourcePool(time, options.AttemptTimeout);
        Pipeline = BuildPipeline(name, options, time);
    }

    public string Name { get; }

    public InteractionsResilienceOptions Options { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

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
                Log.Halted(Logger, error.Info.FormattedCode, error.Category, Options.HaltDuration.TotalMilliseconds);
                break;
            case InteractionsPolicy.WaitAndRetry:
                var pause = error.RetryAfter ?? Options.RateLimit.DefaultDelay;
                Gate.OnRateLimited(pause);
                Log.RateLimitPause(Logger, error.Info.FormattedCode, pause.TotalMilliseconds, Gate.Waiting, Gate.CurrentRate);
                break;
        }
    }

    private static ResiliencePipeline<HttpResponseMessage> BuildPipeline(string name, InteractionsResilienceOptions options, TimeProvider time)
    {
        return new ResiliencePipelineBuilder<HttpResponseMessage> { Name = $"Interactions-{name}", TimeProvider = time }
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

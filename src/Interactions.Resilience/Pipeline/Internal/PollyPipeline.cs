using Interactions.Resilience.Internal;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;

namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>The Polly pipeline a client's requests run in from their first failure on: total timeout → retry → attempt timeout.</summary>
internal static class PollyPipeline
{
    public static ResiliencePipeline<HttpResponseMessage> Build(RequestPipeline client, ILoggerFactory loggerFactory)
    {
        var options = client.Options;
        return new ResiliencePipelineBuilder<HttpResponseMessage> { Name = $"Interactions-{client.Name}", InstanceName = client.Name, TimeProvider = client.Time }

            // Polly's own metrics and logs for the part of the work Polly runs; its events log at Debug,
            // since ours already report each failure once at the level it deserves.
            .ConfigureTelemetry(new TelemetryOptions { LoggerFactory = loggerFactory, SeverityProvider = static _ => ResilienceEventSeverity.Debug })
            .AddTimeout(new TimeoutStrategyOptions
            {
                Name = "TotalTimeout",

                // What is left of the total after the first attempt, which ran outside the pipeline.
                TimeoutGenerator = args => new ValueTask<TimeSpan>(TimeMath.Max(client.RemainingTotal(RequestPipeline.From(args.Context)), TimeSpan.FromTicks(1))),
            })
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "Policies",

                // Each policy counts its own retries (Retry, 030003, cooldown, credential replay): the decision ends the loop.
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => new ValueTask<bool>(client.DecisionFor(RequestPipeline.From(args.Context), args.AttemptNumber, args.Outcome).Retries),

                // A rate-limited request waits at its gate instead (its own Retry-After, then the scope's release), measured there.
                DelayGenerator = args => new ValueTask<TimeSpan?>(client.DecisionFor(RequestPipeline.From(args.Context), args.AttemptNumber, args.Outcome) is { Kind: not DecisionKind.WaitForRateLimit } d ? d.Delay : TimeSpan.Zero),
                OnRetry = args =>
                {
                    var state = RequestPipeline.From(args.Context);
                    client.OnRetry(state, client.DecisionFor(state, args.AttemptNumber, args.Outcome));
                    return default;
                },
            })
            .AddTimeout(new TimeoutStrategyOptions { Name = "AttemptTimeout", Timeout = options.AttemptTimeout })
            .Build();
    }
}

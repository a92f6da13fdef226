using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Interactions.Resilience.Telemetry.Internal;

/// <summary>
/// One client's telemetry: each handled failure is reported once, to the log, the meter and the current
/// <see cref="Activity"/>. Never receives headers, bodies, tokens or PINs.
/// </summary>
internal sealed class InteractionsTelemetry
{
    private static readonly KeyValuePair<string, object?> Success = new(InteractionsTelemetryNames.OutcomeTag, "success");
    private static readonly KeyValuePair<string, object?> Failure = new(InteractionsTelemetryNames.OutcomeTag, "failure");

    private readonly ILogger _logger;
    private readonly InteractionsMetrics _metrics;

    public InteractionsTelemetry(ILogger logger, InteractionsMetrics metrics)
    {
        _logger = logger;
        _metrics = metrics;
    }

    public void Handled(InteractionsError error, InteractionsPolicy policy, HandlingOutcome outcome, int attempt, TimeSpan delay, string? reason = null)
    {
        var code = error.Info.FormattedCode;
        switch (outcome)
        {
            case HandlingOutcome.Retrying:
                Log.Retrying(_logger, code, error.Category, attempt, policy, delay.TotalMilliseconds);
                break;
            case HandlingOutcome.Waiting:
                Log.Waiting(_logger, code, error.Category, attempt, policy, delay.TotalMilliseconds);
                break;
            case HandlingOutcome.Halted:
                Log.Halted(_logger, code, error.Category, delay.TotalMilliseconds);
                break;
            default:
                Log.Failed(_logger, code, error.Category, attempt, policy, reason ?? "not retryable");
                break;
        }

        var outcomeName = OutcomeName(outcome);
        _metrics.Errors.Add(
            1,
            new(InteractionsTelemetryNames.ErrorCodeTag, code),
            new(InteractionsTelemetryNames.ErrorCategoryTag, CategoryName(error.Category)),
            new(InteractionsTelemetryNames.PolicyTag, PolicyName(policy)),
            new(InteractionsTelemetryNames.OutcomeTag, outcomeName));

        if (Activity.Current is { } activity)
        {
            activity.SetTag(InteractionsTelemetryNames.ActivityErrorCode, code);
            activity.SetTag(InteractionsTelemetryNames.ActivityErrorCategory, CategoryName(error.Category));
            activity.SetTag(InteractionsTelemetryNames.ActivityPolicy, PolicyName(policy));
            activity.SetTag(InteractionsTelemetryNames.ActivityOutcome, outcomeName);
            activity.SetTag(InteractionsTelemetryNames.ActivityAttempts, attempt);
            if (outcome is HandlingOutcome.Retrying or HandlingOutcome.Waiting)
            {
                activity.AddEvent(new ActivityEvent(InteractionsTelemetryNames.RetryEvent, tags: new ActivityTagsCollection
                {
                    [InteractionsTelemetryNames.ErrorCodeTag] = code,
                    [InteractionsTelemetryNames.PolicyTag] = PolicyName(policy),
                    ["attempt"] = attempt,
                    ["delay.ms"] = delay.TotalMilliseconds,
                }));
            }
        }
    }

    /// <summary>A wait the handler made (a backoff, a cooldown, the rate-limit gate).</summary>
    public void Waited(InteractionsPolicy policy, TimeSpan wait)
    {
        if (wait > TimeSpan.Zero)
        {
            _metrics.WaitDuration.Record(wait.TotalSeconds, new KeyValuePair<string, object?>(InteractionsTelemetryNames.PolicyTag, PolicyName(policy)));
        }
    }

    public void HaltedLocally(InteractionsError error, TimeSpan left)
    {
        Log.HaltedLocally(_logger, error.Info.FormattedCode, left.TotalMilliseconds);
        _metrics.HaltedRequests.Add(1, new KeyValuePair<string, object?>(InteractionsTelemetryNames.ErrorCodeTag, error.Info.FormattedCode));
        Activity.Current?.SetTag(InteractionsTelemetryNames.ActivityErrorCode, error.Info.FormattedCode)
            .SetTag(InteractionsTelemetryNames.ActivityOutcome, "halted")
            .SetTag(InteractionsTelemetryNames.ActivityAttempts, 0);
    }

    public void RateLimitRefused(InteractionsError error, TimeSpan wait, TimeSpan limit)
    {
        Log.RateLimitRefused(_logger, error.Info.FormattedCode, wait.TotalMilliseconds, limit.TotalMilliseconds);
        _metrics.Errors.Add(
            1,
            new(InteractionsTelemetryNames.ErrorCodeTag, error.Info.FormattedCode),
            new(InteractionsTelemetryNames.ErrorCategoryTag, CategoryName(error.Category)),
            new(InteractionsTelemetryNames.PolicyTag, PolicyName(InteractionsPolicy.WaitAndRetry)),
            new(InteractionsTelemetryNames.OutcomeTag, "failed"));
    }

    public void CircuitOpen(InteractionsError error, TimeSpan breakLeft)
    {
        Log.CircuitOpen(_logger, error.Info.FormattedCode, breakLeft.TotalMilliseconds);
        _metrics.Errors.Add(
            1,
            new(InteractionsTelemetryNames.ErrorCodeTag, error.Info.FormattedCode),
            new(InteractionsTelemetryNames.ErrorCategoryTag, CategoryName(error.Category)),
            new(InteractionsTelemetryNames.PolicyTag, PolicyName(InteractionsPolicy.Retry)),
            new(InteractionsTelemetryNames.OutcomeTag, "circuit_open"));
    }

    /// <summary>A pause from another instance was ignored: its code does not pause this client.</summary>
    public void RemotePauseIgnored(string code, string clientName, InteractionsPolicy policy)
    {
        Log.RemotePauseIgnored(_logger, code, clientName, policy);
        _metrics.CoordinationIgnored.Add(
            1,
            new(InteractionsTelemetryNames.ReasonTag, "policy"),
            new(InteractionsTelemetryNames.ErrorCodeTag, code));
    }

    /// <summary>Counts a finished request; cheap when nobody listens.</summary>
    public void Completed(bool success)
    {
        if (_metrics.Requests.Enabled)
        {
            _metrics.Requests.Add(1, success ? Success : Failure);
        }
    }

    private static string OutcomeName(HandlingOutcome outcome) => outcome switch
    {
        HandlingOutcome.Retrying => "retrying",
        HandlingOutcome.Waiting => "waiting",
        HandlingOutcome.Halted => "halted",
        _ => "failed",
    };

    private static string PolicyName(InteractionsPolicy policy) => policy switch
    {
        InteractionsPolicy.Retry => nameof(InteractionsPolicy.Retry),
        InteractionsPolicy.WaitAndRetry => nameof(InteractionsPolicy.WaitAndRetry),
        InteractionsPolicy.Cooldown => nameof(InteractionsPolicy.Cooldown),
        InteractionsPolicy.Halt => nameof(InteractionsPolicy.Halt),
        _ => nameof(InteractionsPolicy.FailFast),
    };

    private static string CategoryName(InteractionsErrorCategory category) => category switch
    {
        InteractionsErrorCategory.General => nameof(InteractionsErrorCategory.General),
        InteractionsErrorCategory.Authentication => nameof(InteractionsErrorCategory.Authentication),
        InteractionsErrorCategory.Api => nameof(InteractionsErrorCategory.Api),
        InteractionsErrorCategory.Template => nameof(InteractionsErrorCategory.Template),
        InteractionsErrorCategory.Media => nameof(InteractionsErrorCategory.Media),
        InteractionsErrorCategory.Permissions => nameof(InteractionsErrorCategory.Permissions),
        InteractionsErrorCategory.Vendor => nameof(InteractionsErrorCategory.Vendor),
        InteractionsErrorCategory.Server => nameof(InteractionsErrorCategory.Server),
        InteractionsErrorCategory.Payment => nameof(InteractionsErrorCategory.Payment),
        _ => nameof(InteractionsErrorCategory.Unknown),
    };
}

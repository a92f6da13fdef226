using Interactions.Resilience.Internal;
using Interactions.Resilience.Telemetry.Internal;

namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>Reports each decision once, to the log, the meter and the activity, at the level it deserves.</summary>
internal static class DecisionLog
{
    public static void Report(InteractionsTelemetry telemetry, InteractionsError error, InteractionsPolicy policy, Decision decision, int attempts, TimeSpan pause)
    {
        switch (decision.Kind)
        {
            case DecisionKind.Retry:
                telemetry.Handled(error, policy, HandlingOutcome.Retrying, attempts, decision.Delay);
                telemetry.Waited(policy, decision.Delay);
                break;
            case DecisionKind.WaitForRateLimit:
                // Waited at the gate (its own Retry-After, then the scope's release), and measured there.
                telemetry.Handled(error, policy, HandlingOutcome.Waiting, attempts, TimeMath.Max(decision.Delay, pause));
                break;
            case DecisionKind.Cooldown:
                telemetry.Handled(error, policy, HandlingOutcome.Waiting, attempts, decision.Delay);
                telemetry.Waited(policy, decision.Delay);
                break;
            case DecisionKind.RefreshCredentials:
                telemetry.Handled(error, policy, HandlingOutcome.Retrying, attempts, TimeSpan.Zero);
                break;
            case DecisionKind.Halt:
                telemetry.Handled(error, policy, HandlingOutcome.Halted, attempts, decision.Delay);
                break;
            default:
                telemetry.Handled(error, policy, HandlingOutcome.Failed, attempts, decision.RefusedWait ?? TimeSpan.Zero, decision.Reason);
                break;
        }
    }
}

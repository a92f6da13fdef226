using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Interactions.Resilience.Operations.Internal;

/// <summary>
/// Reports the pauses in force: Unhealthy (the registration's failure status) while a client is halted,
/// Degraded while a rate-limit pause, a paced scope or an open circuit holds requests back, else Healthy.
/// The description and data name the client, the code and the time left; never a scope, which may be a phone number.
/// </summary>
internal sealed class InteractionsResilienceHealthCheck : IHealthCheck
{
    public const string ClientField = "client.name";
    public const string KindField = "kind";
    public const string CodeField = "error.code";
    public const string TitleField = "error.title";
    public const string TimeLeftField = "time_left_seconds";
    public const string ScopedField = "scoped";
    public const string CountField = "pauses_in_force";

    private readonly InteractionsPauses? _pauses;
    private readonly string? _clientName;

    public InteractionsResilienceHealthCheck(InteractionsPauses? pauses, string? clientName)
    {
        _pauses = pauses;
        _clientName = clientName;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var pauses = (_pauses?.GetPausesInForce() ?? [])
            .Where(p => _clientName is null || string.Equals(p.ClientName, _clientName, StringComparison.Ordinal))
            .OrderBy(static p => p.Kind) // the halt first: it decides the status and the data
            .ToList();
        if (pauses.Count == 0)
        {
            var free = _clientName is null ? "Interactions clients send freely." : $"Interactions client '{_clientName}' sends freely.";
            return Task.FromResult(HealthCheckResult.Healthy(free));
        }

        var worst = pauses[0];
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [ClientField] = worst.ClientName,
            [KindField] = worst.Kind.ToString(),
            [CodeField] = worst.Error.FormattedCode,
            [TitleField] = worst.Error.Title,
            [ScopedField] = worst.Scope is not null,
            [CountField] = pauses.Count,
        };
        if (worst.TimeLeft is { } left)
        {
            data[TimeLeftField] = Math.Round(left.TotalSeconds, 3);
        }

        var description = string.Join("; ", pauses.Select(Describe));
        var status = worst.Kind == InteractionsPauseKind.Halt ? context.Registration.FailureStatus : HealthStatus.Degraded;
        return Task.FromResult(new HealthCheckResult(status, description, exception: null, data));
    }

    /// <summary>"Interactions client 'sms' is halted by 010002 Temporarily Blocked, 59 s left".</summary>
    internal static string Describe(InteractionsPauseInfo pause)
    {
        var what = pause.Kind switch
        {
            InteractionsPauseKind.Halt => "is halted by",
            InteractionsPauseKind.RateLimitPause => pause.Scope is null ? "is paused by" : "has a scope paused by",
            InteractionsPauseKind.Paced => pause.Scope is null ? "is paced after" : "has a scope paced after",
            _ => pause.Scope is null ? "has its circuit open, failing with" : "has a circuit open, failing with",
        };
        var left = pause.TimeLeft is { } time
            ? string.Create(CultureInfo.InvariantCulture, $", {Math.Ceiling(time.TotalSeconds)} s left")
            : string.Empty;
        return $"Interactions client '{pause.ClientName}' {what} {pause.Error.FormattedCode} {pause.Error.Title}{left}";
    }
}

using Interactions.Resilience;
using Interactions.Resilience.Operations.Internal;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds a health check of the Interactions clients' pauses to an <see cref="IHealthChecksBuilder"/>.</summary>
public static class InteractionsResilienceHealthChecksBuilderExtensions
{
    /// <summary>The name the check is registered under unless another is given: <c>interactions-resilience</c>.</summary>
    public const string DefaultName = "interactions-resilience";

    /// <summary>
    /// Adds a health check that is Healthy while the Interactions clients send freely, Degraded while a
    /// rate-limit pause, a paced scope or an open circuit holds requests back, and <paramref name="failureStatus"/>
    /// (Unhealthy by default) while a client is halted. Its description names the client, the code (six digits
    /// and title) and the time left; its data carries them as the fields <c>client.name</c>, <c>kind</c>,
    /// <c>error.code</c>, <c>error.title</c>, <c>time_left_seconds</c>, <c>scoped</c> and <c>pauses_in_force</c>.
    /// Scopes (which may be phone numbers) are never shown.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="clientName">The client to check, as given to <c>AddHttpClient</c>; <see langword="null"/> for every client that uses <c>AddInteractionsResilience()</c>.</param>
    /// <param name="name">The name of the check. The default value is <see cref="DefaultName"/>.</param>
    /// <param name="failureStatus">The status while a client is halted. The default value is <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by, e.g. <c>ready</c>.</param>
    /// <returns>The same builder.</returns>
    public static IHealthChecksBuilder AddInteractionsResilience(
        this IHealthChecksBuilder builder,
        string? clientName = null,
        string name = DefaultName,
        HealthStatus failureStatus = HealthStatus.Unhealthy,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        // Resolved when the check runs, so that AddHealthChecks() and AddHttpClient() may come in either order.
        return builder.Add(new HealthCheckRegistration(
            name,
            services => new InteractionsResilienceHealthCheck(services.GetService<InteractionsPauses>(), clientName),
            failureStatus,
            tags));
    }
}

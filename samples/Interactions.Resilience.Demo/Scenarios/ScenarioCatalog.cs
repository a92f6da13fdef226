using System.Diagnostics.CodeAnalysis;

namespace Interactions.Resilience.Demo.Scenarios;

/// <summary>Every scenario, in the order of the default run.</summary>
internal static class ScenarioCatalog
{
    // Halt goes last: it halts the client for HaltDuration, and every scenario after it would fail locally.
    public static IReadOnlyList<IScenario> All { get; } =
    [
        new RetryScenario(),
        new RateLimitScenario(),
        new PinCooldownScenario(),
        new FailFastScenario(),
        new RetryAfterBeyondMaxWaitScenario(),
        new TransportFaultScenario(),
        new CircuitBreakerScenario(),
        new ScopedWaitScenario(),
        new CredentialRefreshScenario(),
        new ProactiveLimitScenario(),
        new TwoInstancesScenario(),
        new HaltScenario(),
    ];

    /// <summary>Gets the scenarios of the default run: all of them, but <c>two-instances</c> only when Redis is available.</summary>
    public static IReadOnlyList<IScenario> Default { get; } =
        [.. All.Where(s => s is not TwoInstancesScenario || DemoRedis.IsAvailable)];

    /// <summary>Finds the named scenarios, in the order given; <paramref name="unknown"/> is the first name not found.</summary>
    public static bool TryFind(IEnumerable<string> names, out IReadOnlyList<IScenario> scenarios, [NotNullWhen(false)] out string? unknown)
    {
        var found = new List<IScenario>();
        foreach (var name in names)
        {
            var scenario = All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
            if (scenario is null)
            {
                scenarios = [];
                unknown = name;
                return false;
            }

            found.Add(scenario);
        }

        scenarios = found;
        unknown = null;
        return true;
    }
}

namespace Interactions.Resilience.IntegrationTests.TestSupport;

/// <summary>
/// The load tests (rate-limit storm, soak) measure real time and throughput on a small machine: they run one at a
/// time, after the other tests, with nothing else competing for the cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialLoad
{
    public const string Name = "load";
}

namespace Interactions.Resilience.Tests.TestSupport;

/// <summary>
/// Tests that drive fake time through many asynchronous hops run one at a time, so that the harness can
/// tell when the thread pool has settled.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialFakeTime
{
    public const string Name = "fake time";
}

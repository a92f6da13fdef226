namespace Interactions.Resilience.Redis.Tests.TestSupport;

/// <summary>
/// Tests that measure real time against real redis-server processes run one at a time: on a small machine,
/// parallel classes would blur the waits they measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialRedis
{
    public const string Name = "redis";
}

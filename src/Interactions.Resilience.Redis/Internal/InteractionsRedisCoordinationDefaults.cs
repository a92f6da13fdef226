namespace Interactions.Resilience.Redis.Internal;

/// <summary>Every default of <see cref="InteractionsRedisCoordinationOptions"/>, in one place.</summary>
internal static class InteractionsRedisCoordinationDefaults
{
    public const string Channel = "interactions:resilience:pauses";
    public const string KeyPrefix = "interactions:resilience:pause:";
    public static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan PaceTimeout = TimeSpan.FromMilliseconds(100);
}

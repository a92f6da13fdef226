namespace Interactions.Resilience.Redis.Tests.TestSupport;

/// <summary>A theory that needs a real redis-server: skipped or failed as <see cref="RedisFactAttribute"/> says.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RedisTheoryAttribute : TheoryAttribute
{
    public RedisTheoryAttribute()
    {
        if (RedisAvailability.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

namespace Interactions.Resilience.Redis.Tests.TestSupport;

/// <summary>
/// A test that needs a real redis-server: skipped, with how to install one, when none is on PATH; under
/// <c>CI=true</c> it runs anyway and fails with that message.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (RedisAvailability.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

namespace Interactions.Resilience.Redis.Tests.TestSupport;

/// <summary>
/// Whether a <c>redis-server</c> binary is on PATH. Without one, the Redis tests skip on a developer's machine
/// and fail under <c>CI=true</c>, where .ci/run installs it: CI must never pass by skipping them.
/// </summary>
public static class RedisAvailability
{
    public const string InstallHint = "install it with `apt-get install -y redis-server` (the tests start their own redis-server processes on free loopback ports)";

    public static string? Binary { get; } = Find("redis-server");

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string? SkipReason => Binary is null && !IsCi
        ? $"redis-server is not on PATH: {InstallHint}. Under CI=true these tests fail instead of skipping."
        : null;

    public static string RequireBinary()
        => Binary ?? throw new InvalidOperationException(
            $"redis-server is not on PATH{(IsCi ? " and CI=true, so the Redis tests fail rather than skip" : string.Empty)}: {InstallHint}.");

    private static string? Find(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

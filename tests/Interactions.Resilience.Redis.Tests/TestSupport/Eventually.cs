using System.Diagnostics;

namespace Interactions.Resilience.Redis.Tests.TestSupport;

/// <summary>Polls a condition that another process (Redis, another instance) makes true, with a deadline.</summary>
public static class Eventually
{
    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what)
        => TrueAsync(condition, timeout, () => what);

    /// <summary>Like the other overload; <paramref name="what"/> is read at the deadline, to report the state then.</summary>
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var elapsed = Stopwatch.StartNew();
        while (!condition())
        {
            if (elapsed.Elapsed > timeout)
            {
                Assert.Fail($"Waited {timeout.TotalSeconds} s for {what()}, in vain.");
            }

            await Task.Delay(10);
        }
    }
}

using System.Diagnostics;

namespace Interactions.Resilience.Redis.Tests.TestSupport;

/// <summary>Polls a condition that another process (Redis, another instance) makes true, with a deadline.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var elapsed = Stopwatch.StartNew();
        while (!condition())
        {
            if (elapsed.Elapsed > timeout)
            {
                Assert.Fail($"Waited {timeout.TotalSeconds} s for {what}, in vain.");
            }

            await Task.Delay(10);
        }
    }
}

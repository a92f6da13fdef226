using Interactions.Resilience.RateLimiting.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Interactions.Resilience.Tests.RateLimiting;

public class ProactiveLimiterTests
{
    [Fact]
    public Task AcquireAsync_WaitersWakeLate_DoNotBurstPastTheRate() => Task.Run(async () =>
    {
        var time = new FakeTimeProvider();
        var limiter = new ProactiveLimiter(permitsPerSecond: 10, queueLimit: 100, time); // 1 permit every 100 ms
        Assert.True(limiter.TryAcquireNow());
        var waiters = Enumerable.Range(0, 10).Select(_ => limiter.AcquireAsync(CancellationToken.None).AsTask()).ToArray();

        // Every timer fires at once, long after its moment, as on a starved thread pool.
        time.Advance(TimeSpan.FromSeconds(5));
        await SettleAsync();
        var releasedAtOnce = waiters.Count(w => w.IsCompleted);

        for (var step = 0; step < 20 && waiters.Any(w => !w.IsCompleted); step++)
        {
            var before = waiters.Count(w => w.IsCompleted);
            time.Advance(TimeSpan.FromMilliseconds(100));
            await SettleAsync();
            Assert.InRange(waiters.Count(w => w.IsCompleted) - before, 0, 1);
        }

        Assert.InRange(releasedAtOnce, 0, 1);
        Assert.All(waiters, w => Assert.True(w.Result));
    });

    [Fact]
    public Task AcquireAsync_QueueFull_ReturnsFalse() => Task.Run(async () =>
    {
        var time = new FakeTimeProvider();
        var limiter = new ProactiveLimiter(permitsPerSecond: 10, queueLimit: 1, time);
        Assert.True(limiter.TryAcquireNow());

        var queued = limiter.AcquireAsync(CancellationToken.None).AsTask();
        var rejected = await limiter.AcquireAsync(CancellationToken.None);

        Assert.False(rejected);
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(await queued);
    });

    private static async Task SettleAsync()
    {
        // Delays on a TimeProvider complete on the thread pool; give the woken ones time to take their next step.
        for (var i = 0; i < 50; i++)
        {
            await Task.Yield();
            Thread.SpinWait(1000);
        }
    }
}

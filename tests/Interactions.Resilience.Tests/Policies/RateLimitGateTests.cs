using Interactions.Resilience.Policies.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Interactions.Resilience.Tests.Policies;

public class RateLimitGateTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task OnRateLimited_PauseGrowsWhileRequestsQueue_StillReleasesAtTheAcceptedRate()
    {
        var health = new HealthWindow(_time);
        for (var i = 0; i < 5; i++)
        {
            health.Record(HealthWindow.Kind.Success);
        }

        var gate = new RateLimitGate(_time, health);
        var start = _time.GetUtcNow();
        var released = new List<TimeSpan>();
        var waiters = new List<Task>();

        // A burst of 030003 answers, each pushing the pause end back a millisecond, each with a waiter behind it.
        for (var i = 0; i < 7; i++)
        {
            gate.OnRateLimited(TimeSpan.FromSeconds(1));
            waiters.Add(WaitAndRecordAsync());
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        for (var i = 0; i < 400 && waiters.Any(w => !w.IsCompleted); i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Yield();
        }

        Assert.All(waiters, w => Assert.True(w.IsCompletedSuccessfully));
        Assert.Equal(7, released.Count);
        var first = released.Min();
        Assert.True(first >= TimeSpan.FromMilliseconds(1006), $"released at {first}, before the pause ended");
        Assert.InRange(released.Count(t => t < first + TimeSpan.FromSeconds(1)), 1, 5);

        async Task WaitAndRecordAsync()
        {
            Assert.Null(await gate.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None));
            lock (released)
            {
                released.Add(_time.GetUtcNow() - start);
            }
        }
    }

    [Fact]
    public async Task WaitAsync_PauseLongerThanMaxWait_ReturnsTheWaitWithoutWaiting()
    {
        var gate = new RateLimitGate(_time, new HealthWindow(_time));
        gate.OnRateLimited(TimeSpan.FromSeconds(90));

        var refused = await gate.WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(90), refused);
    }
}

using Interactions.Resilience.Health.Internal;
using Interactions.Resilience.RateLimiting.Internal;
using Interactions.Resilience.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Interactions.Resilience.Tests.RateLimiting;

/// <remarks>
/// The tests that assert right after an advance run off xunit's synchronization context: there, the gate's
/// continuations run inside <see cref="FakeTimeProvider.Advance(TimeSpan)"/>, so the gate has settled.
/// </remarks>
public class RateLimitGateTests
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);
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

    [Fact]
    public Task WaitAsync_TimerFiresJustBeforeThePauseEnds_SleepsTheRestWithoutQueueingBehindItsOwnSlot() => Task.Run(async () =>
    {
        var fake = new FakeTimeProvider(HandlerHarness.Start);
        var time = new WholeMillisecondTimers(fake);
        var gate = new RateLimitGate(time, new HealthWindow(time));
        gate.OnRateLimited(TimeSpan.FromMilliseconds(20.5)); // nothing accepted before: paced at 1 a second afterwards

        var wait = gate.WaitAsync(MaxWait, CancellationToken.None).AsTask();
        fake.Advance(TimeSpan.FromMilliseconds(20)); // the 20.5 ms delay, rounded down, ends here: too early
        Assert.False(wait.IsCompleted, "The request went before the pause ended.");
        fake.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(wait.IsCompleted, "The request was queued again behind its own slot, a second later.");
        Assert.Null(await wait);
        Assert.Equal(0, gate.Waiting);
    });

    [Fact]
    public Task WaitAsync_NewRateLimitWhileWaiting_QueuesAgainBehindTheNewPause() => Task.Run(async () =>
    {
        var fake = new FakeTimeProvider(HandlerHarness.Start);
        var gate = new RateLimitGate(fake, new HealthWindow(fake));
        gate.OnRateLimited(TimeSpan.FromMilliseconds(20));

        var wait = gate.WaitAsync(MaxWait, CancellationToken.None).AsTask();
        fake.Advance(TimeSpan.FromMilliseconds(10));
        gate.OnRateLimited(TimeSpan.FromSeconds(2)); // another request hit a longer limit: the pause now ends at 2010 ms
        fake.Advance(TimeSpan.FromMilliseconds(10));

        Assert.False(wait.IsCompleted);
        Assert.Equal(1, gate.Waiting);
        fake.Advance(TimeSpan.FromMilliseconds(1989));
        Assert.False(wait.IsCompleted);
        fake.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(wait.IsCompleted);
        Assert.Null(await wait);
    });

    [Fact]
    public Task OnRateLimited_WholeSecondsThatCanNameTheSameWindowEnd_KeepTheEarlierEnd() => Task.Run(async () =>
    {
        var fake = new FakeTimeProvider(HandlerHarness.Start);
        var gate = new RateLimitGate(fake, new HealthWindow(fake));
        gate.OnRateLimited(TimeSpan.FromSeconds(1)); // the window ends within a second from now

        var wait = gate.WaitAsync(MaxWait, CancellationToken.None).AsTask();
        fake.Advance(TimeSpan.FromMilliseconds(80));
        gate.OnRateLimited(TimeSpan.FromSeconds(1)); // "1" again, 80 ms later: no later bound on the same end

        Assert.Equal(TimeSpan.FromMilliseconds(920), gate.PauseRemaining);
        fake.Advance(TimeSpan.FromMilliseconds(919));
        Assert.False(wait.IsCompleted);
        fake.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(wait.IsCompleted);
        Assert.Null(await wait);
    });

    [Fact]
    public Task WaitAsync_OwnRetryAfterLaterThanThePause_WaitsItAndCountsAsWaiting() => Task.Run(async () =>
    {
        var fake = new FakeTimeProvider(HandlerHarness.Start);
        var gate = new RateLimitGate(fake, new HealthWindow(fake));
        gate.OnRateLimited(TimeSpan.FromSeconds(1));
        fake.Advance(TimeSpan.FromMilliseconds(80));
        gate.OnRateLimited(TimeSpan.FromSeconds(1)); // this request's own limit ends at 1080 ms; the gate's at 1000 ms

        var wait = gate.WaitAsync(fake.GetTimestamp() + fake.TimestampFrequency, MaxWait, CancellationToken.None).AsTask();
        Assert.Equal(1, gate.Waiting);
        fake.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(wait.IsCompleted);
        fake.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(wait.IsCompleted);
        Assert.Null(await wait);
        Assert.Equal(0, gate.Waiting);
    });

    [Fact]
    public void Pacing_AFasterPaceTheServerRefuses_IsTriedAgainOnlyAfterTwiceTheQuietTime()
    {
        var health = new HealthWindow(_time);
        var gate = new RateLimitGate(_time, health);
        Accept(10);
        gate.OnRateLimited(TimeSpan.FromSeconds(1)); // paced at the 10 a second accepted

        _time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(10, gate.CurrentRate, 3);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(11, gate.CurrentRate, 3); // two quiet seconds: a tenth faster

        Accept(10);
        gate.OnRateLimited(TimeSpan.FromSeconds(1)); // the server took 10, not 11: refused
        Assert.Equal(10, gate.CurrentRate, 3);
        _time.Advance(TimeSpan.FromSeconds(2.5));
        Assert.Equal(10, gate.CurrentRate, 3); // two quiet seconds are no longer enough
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(11, gate.CurrentRate, 3); // three are

        Accept(10);
        gate.OnRateLimited(TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(4.5));
        Assert.Equal(10, gate.CurrentRate, 3);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(11, gate.CurrentRate, 3); // five: the wait doubled again

        void Accept(int count)
        {
            for (var i = 0; i < count; i++)
            {
                health.Record(HealthWindow.Kind.Success);
            }
        }
    }
}

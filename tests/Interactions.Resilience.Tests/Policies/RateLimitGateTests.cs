using Interactions.Resilience.Policies.Internal;
using Interactions.Resilience.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Interactions.Resilience.Tests.Policies;

/// <remarks>
/// Each test runs off xunit's synchronization context: there, the gate's continuations run inside
/// <see cref="FakeTimeProvider.Advance(TimeSpan)"/>, so the gate has settled when each assertion looks at it.
/// </remarks>
public class RateLimitGateTests
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    [Fact]
    public Task WaitAsync_TimerFiresJustBeforeThePauseEnds_ReleasesWithoutQueueingBehindItsOwnSlot() => Task.Run(async () =>
    {
        var fake = new FakeTimeProvider(HandlerHarness.Start);
        var time = new WholeMillisecondTimers(fake);
        var gate = new RateLimitGate(time, new SuccessRateMeter(time));
        gate.OnRateLimited(TimeSpan.FromMilliseconds(20.5)); // nothing accepted before: paced at 1 a second afterwards

        var wait = gate.WaitAsync(MaxWait, CancellationToken.None).AsTask();
        fake.Advance(TimeSpan.FromMilliseconds(20)); // the 20.5 ms delay, rounded down, ends here

        Assert.True(wait.IsCompleted, "The request was queued again behind its own slot, a second later.");
        Assert.Null(await wait);
        Assert.Equal(0, gate.Waiting);
    });

    [Fact]
    public Task WaitAsync_NewRateLimitWhileWaiting_QueuesAgainBehindTheNewPause() => Task.Run(async () =>
    {
        var fake = new FakeTimeProvider(HandlerHarness.Start);
        var gate = new RateLimitGate(fake, new SuccessRateMeter(fake));
        gate.OnRateLimited(TimeSpan.FromMilliseconds(20));

        var wait = gate.WaitAsync(MaxWait, CancellationToken.None).AsTask();
        fake.Advance(TimeSpan.FromMilliseconds(10));
        gate.OnRateLimited(TimeSpan.FromSeconds(1)); // another request hit the limit: the pause now ends at 1010 ms
        fake.Advance(TimeSpan.FromMilliseconds(10));

        Assert.False(wait.IsCompleted);
        Assert.Equal(1, gate.Waiting);
        fake.Advance(TimeSpan.FromMilliseconds(989));
        Assert.False(wait.IsCompleted);
        fake.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(wait.IsCompleted);
        Assert.Null(await wait);
    });
}

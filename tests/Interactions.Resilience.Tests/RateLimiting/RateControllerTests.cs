using Interactions.Resilience.RateLimiting.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Interactions.Resilience.Tests.RateLimiting;

/// <remarks>
/// The controller releases its waiters inline here, and each test runs off xunit's synchronization context, so every
/// continuation runs inside <see cref="FakeTimeProvider.Advance(TimeSpan)"/>: the controller has settled when it returns.
/// </remarks>
public class RateControllerTests
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public Task OnRateLimited_OneLimitAmongManyAccepted_PausesAndPacesNobody() => Task.Run(async () =>
    {
        var controller = Controller(acceptedLastSecond: 49);

        Assert.Null(controller.OnRateLimited(TimeSpan.FromSeconds(1)));

        Assert.True(controller.IsActive); // counting evidence from now on
        Assert.False(controller.IsPacing);
        Assert.Equal(TimeSpan.Zero, controller.PauseRemaining);
        var other = controller.WaitAsync(0, MaxWait, CancellationToken.None);
        Assert.True(other.IsCompletedSuccessfully);
        Assert.Null(await other);
    });

    [Fact]
    public Task OnRateLimited_ThreeLimitsAndLittleAccepted_PausesTheScopeUntilTheRetryAfter() => Task.Run(async () =>
    {
        var controller = Controller(acceptedLastSecond: 5);
        Assert.Null(controller.OnRateLimited(TimeSpan.FromSeconds(2)));
        Assert.Null(controller.OnRateLimited(TimeSpan.FromSeconds(2)));

        Assert.Equal(TimeSpan.FromSeconds(2), controller.OnRateLimited(TimeSpan.FromSeconds(2))); // 3 of 8 answers

        var other = controller.WaitAsync(0, MaxWait, CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(other.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(other.IsCompleted);
        Assert.Null(await other);
        Assert.Equal(0, controller.Waiting);
    });

    [Fact]
    public Task WaitAsync_SporadicLimit_TheLimitedRequestStillWaitsItsOwnRetryAfter() => Task.Run(async () =>
    {
        var controller = Controller(acceptedLastSecond: 49);
        controller.OnRateLimited(TimeSpan.FromSeconds(1));

        var own = controller.WaitAsync(_time.GetTimestamp() + _time.TimestampFrequency, MaxWait, CancellationToken.None).AsTask();
        Assert.Equal(1, controller.Waiting);
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(own.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(own.IsCompleted);
        Assert.Null(await own);
    });

    [Fact]
    public Task WaitAsync_PauseLongerThanMaxWait_ReturnsTheWaitWithoutWaiting() => Task.Run(async () =>
    {
        var controller = Controller(acceptedLastSecond: 0);
        controller.Pause(TimeSpan.FromSeconds(90));

        Assert.Equal(TimeSpan.FromSeconds(90), await controller.WaitAsync(0, MaxWait, CancellationToken.None));
    });

    [Fact]
    public Task RemotePause_WithNothingSentHere_WaitsThePauseOut_ThenReleasesEveryoneUnpaced() => Task.Run(async () =>
    {
        var controller = Controller(acceptedLastSecond: 0); // another instance saw the quota spent; this one sent nothing
        controller.Pause(TimeSpan.FromSeconds(1));

        var waiters = Enumerable.Range(0, 50).Select(_ => controller.WaitAsync(0, MaxWait, CancellationToken.None).AsTask()).ToArray();
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.DoesNotContain(waiters, w => w.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.All(waiters, w => Assert.True(w.IsCompletedSuccessfully, "every waiter goes when the pause ends: no pace from a rate of zero"));
        Assert.All(await Task.WhenAll(waiters), Assert.Null);
        Assert.False(controller.IsPacing);
        Assert.Null(await controller.WaitAsync(0, MaxWait, CancellationToken.None));
    });

    [Fact]
    public Task RemotePause_OfExactlyMaxWait_IsWaited_NotRefused() => Task.Run(async () =>
    {
        var controller = Controller(acceptedLastSecond: 0);
        controller.Pause(MaxWait);

        var wait = controller.WaitAsync(0, MaxWait, CancellationToken.None).AsTask();
        _time.Advance(MaxWait);

        Assert.True(wait.IsCompletedSuccessfully);
        Assert.Null(await wait);
    });

    [Fact]
    public Task RemotePause_Lifted_ReleasesTheWaitersAtOnce() => Task.Run(async () =>
    {
        var controller = Controller(acceptedLastSecond: 0);
        controller.Pause(TimeSpan.FromSeconds(30));
        var wait = controller.WaitAsync(0, MaxWait, CancellationToken.None).AsTask();

        Assert.True(controller.Lift());

        Assert.True(wait.IsCompletedSuccessfully);
        Assert.Equal(TimeSpan.Zero, controller.PauseRemaining);
    });

    [Fact]
    public Task Pacing_AfterThePause_ReleasesAtBetaTimesWhatTheServerAccepted() => Task.Run(async () =>
    {
        var controller = Controller(acceptedLastSecond: 20);
        for (var i = 0; i < 30; i++)
        {
            controller.OnRateLimited(TimeSpan.FromSeconds(1)); // a burst: 30 limits against 20 accepted
        }

        var released = new List<TimeSpan>();
        var start = _time.GetUtcNow();
        var waiters = Enumerable.Range(0, 40).Select(async _ =>
        {
            await controller.WaitAsync(0, MaxWait, CancellationToken.None);
            released.Add(_time.GetUtcNow() - start);
        }).ToArray();
        for (var i = 0; i < 4000 && waiters.Any(w => !w.IsCompleted); i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        await Task.WhenAll(waiters);
        Assert.All(released, at => Assert.True(at >= TimeSpan.FromSeconds(1), $"released at {at}, during the pause"));

        // 14 a second at first (0.7 × 20), back at 20 within a second, plus the bucket's two.
        var firstSecond = released.Count(at => at < TimeSpan.FromSeconds(2));
        Assert.InRange(firstSecond, 15, 21);
        Assert.InRange(controller.CurrentRate, 20, 60);
    });

    [Fact]
    public Task WaitAsync_QuietForTheQuietPeriod_StepsAside() => Task.Run(async () =>
    {
        var controller = Controller(acceptedLastSecond: 0);
        controller.Pause(TimeSpan.FromSeconds(1));
        _time.Advance(RateController.QuietPeriod + TimeSpan.FromSeconds(1));

        Assert.Null(await controller.WaitAsync(0, MaxWait, CancellationToken.None));

        Assert.False(controller.IsActive);
        Assert.Equal(0, controller.CurrentRate);
    });

    [Fact]
    public Task WaitAsync_Cancelled_WhileQueued_Throws_AndTheNextWaiterTakesTheSlot() => Task.Run(async () =>
    {
        var controller = Controller(acceptedLastSecond: 0);
        controller.Pause(TimeSpan.FromSeconds(1));
        using var cancel = new CancellationTokenSource();
        var first = controller.WaitAsync(0, MaxWait, cancel.Token).AsTask();
        var second = controller.WaitAsync(0, MaxWait, CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(second.IsCompletedSuccessfully);
        Assert.Equal(0, controller.Waiting);
    });

    // ---- the shared pace ----

    [Fact]
    public Task SharedPace_WhilePaced_EachReleaseWaitsTheSharedDelay_AndTheQuotaSpentIsReported() => Task.Run(async () =>
    {
        var shared = new FakeSharedPace(() => ValueTask.FromResult<TimeSpan?>(TimeSpan.FromMilliseconds(300)));
        var controller = Controller(acceptedLastSecond: 10, shared);
        controller.Pause(TimeSpan.FromMilliseconds(100));
        controller.Pause(TimeSpan.FromMilliseconds(100)); // the same burst: one report per window
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await SpendGrantAsync(controller, shared);

        var wait = controller.WaitAsync(0, MaxWait, CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(299));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(wait.IsCompleted);
        Assert.Null(await wait);

        Assert.Equal(1, shared.Reservations);
        Assert.Single(shared.QuotaSpentReports);
        Assert.Equal(RateController.Defaults.Beta, shared.LastParameters!.Value.Beta);
    });

    [Fact]
    public Task SharedPace_DuringAPause_TheSlotIsTakenWhenThePauseEnds() => Task.Run(async () =>
    {
        var shared = new FakeSharedPace(() => ValueTask.FromResult<TimeSpan?>(TimeSpan.FromMilliseconds(300)));
        var controller = Controller(acceptedLastSecond: 10, shared);
        controller.Pause(TimeSpan.FromSeconds(1));

        // Eleven wait: this instance's share of a window (the 10 it was accepted) goes at the pause's end, at once, as
        // its grant; the eleventh takes the fleet's next slot.
        var waits = Enumerable.Range(0, 11).Select(_ => controller.WaitAsync(0, MaxWait, CancellationToken.None).AsTask()).ToList();
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, shared.Reservations); // a slot taken now would fall due at the pause's end with every other one
        Assert.DoesNotContain(waits, w => w.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(10, waits.Count(w => w.IsCompleted));
        Assert.Equal(1, shared.Reservations);
        _time.Advance(TimeSpan.FromMilliseconds(299));
        Assert.Equal(10, waits.Count(w => w.IsCompleted));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.All(waits, w => Assert.True(w.IsCompleted));
        foreach (var wait in waits)
        {
            Assert.Null(await wait);
        }

        Assert.Equal([TimeSpan.FromSeconds(1)], shared.QuotaSpentRestarts); // the shared curve starts where this one does
    });

    [Fact]
    public Task SharedPace_APauseThatBeginsWhileARequestWaitsForItsSlot_IsWaitedOut_ThenANewSlotTaken() => Task.Run(async () =>
    {
        var shared = new FakeSharedPace(() => ValueTask.FromResult<TimeSpan?>(TimeSpan.FromMilliseconds(500)));
        var controller = Controller(acceptedLastSecond: 10, shared);
        controller.Pause(TimeSpan.FromMilliseconds(100));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        var granted = Enumerable.Range(0, 10).Select(_ => controller.WaitAsync(0, MaxWait, CancellationToken.None).AsTask()).ToList();
        Assert.All(granted, w => Assert.True(w.IsCompleted)); // the pause's grant: this instance's share of a window
        Assert.Equal(0, shared.Reservations);

        var wait = controller.WaitAsync(0, MaxWait, CancellationToken.None).AsTask(); // its slot: 500 ms from now
        Assert.Equal(1, shared.Reservations);
        _time.Advance(TimeSpan.FromMilliseconds(200));
        controller.Pause(TimeSpan.FromSeconds(1)); // another instance saw the quota spent: until 1.2 s from the slot's taking
        _time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.False(wait.IsCompleted, "The request went at a slot taken before the pause, into the spent quota.");
        Assert.Equal(1, shared.Reservations);

        _time.Advance(TimeSpan.FromMilliseconds(699));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1)); // the pause ends: its own grant sends the request, with no second slot taken
        Assert.True(wait.IsCompleted);
        Assert.Null(await wait);
        Assert.Equal(1, shared.Reservations);
        Assert.Equal(0, controller.Waiting);
    });

    [Fact]
    public void SharedPace_WhilePaced_ALoneLimitGoesToTheFleetsCount_ButNotBeforeAnyPace()
    {
        var shared = new FakeSharedPace(() => ValueTask.FromResult<TimeSpan?>(TimeSpan.Zero));
        var controller = Controller(acceptedLastSecond: 10, shared);

        controller.OnRateLimited(TimeSpan.FromSeconds(1)); // not paced: one recipient's limit, nobody else's business
        Assert.Equal(0, shared.LimitReports);

        controller.Pause(TimeSpan.FromMilliseconds(100)); // another instance saw the quota spent: paced from here
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(controller.OnRateLimited(TimeSpan.FromSeconds(1))); // too few here to decrease on, or to pause

        Assert.Equal(1, shared.LimitReports);
        Assert.Single(shared.QuotaSpentReports);
    }

    [Fact]
    public Task SharedPace_AnswersNull_UsesTheLocalBucket_ThenAsksAgainAfterASecond() => Task.Run(async () =>
    {
        var shared = new FakeSharedPace(() => ValueTask.FromResult<TimeSpan?>(null));
        var controller = Controller(acceptedLastSecond: 10, shared); // paced at 7 a second, a bucket of 2
        controller.Pause(TimeSpan.FromMilliseconds(100));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await SpendGrantAsync(controller, shared);

        Assert.Null(await controller.WaitAsync(0, MaxWait, CancellationToken.None)); // the local bucket's first token
        Assert.Equal(1, shared.Reservations);
        var local = controller.WaitAsync(0, MaxWait, CancellationToken.None).AsTask(); // local, without asking
        Assert.Equal(1, shared.Reservations);

        _time.Advance(RateController.SharedRetryAfter);
        var again = controller.WaitAsync(0, MaxWait, CancellationToken.None).AsTask();
        Assert.Equal(2, shared.Reservations);
        Assert.True(local.IsCompletedSuccessfully);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(again.IsCompletedSuccessfully);
    });

    [Fact]
    public Task SharedPace_Throws_UsesTheLocalBucket() => Task.Run(async () =>
    {
        var shared = new FakeSharedPace(() => ValueTask.FromException<TimeSpan?>(new InvalidOperationException("Redis is down")));
        var controller = Controller(acceptedLastSecond: 10, shared);
        controller.Pause(TimeSpan.FromMilliseconds(100));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await SpendGrantAsync(controller, shared);

        Assert.Null(await controller.WaitAsync(0, MaxWait, CancellationToken.None));
        Assert.Equal(1, shared.Reservations);
    });

    [Fact]
    public Task SharedPace_Slow_FallsBackAfterTheBound() => Task.Run(async () =>
    {
        var never = new TaskCompletionSource<TimeSpan?>();
        var shared = new FakeSharedPace(() => new ValueTask<TimeSpan?>(never.Task));
        var controller = Controller(acceptedLastSecond: 10, shared);
        controller.Pause(TimeSpan.FromMilliseconds(100));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await SpendGrantAsync(controller, shared);

        var wait = controller.WaitAsync(0, MaxWait, CancellationToken.None).AsTask();
        _time.Advance(RateController.SharedTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(wait.IsCompleted, "The request still waits for the shared pace past its bound.");
        Assert.Null(await wait);
        never.SetException(new TimeoutException()); // a late failure is observed, not thrown anywhere
    });

    /// <summary>
    /// The pause's grant: this instance's share of a window (the 10 it was accepted) goes at once, without a shared slot;
    /// a window later the fleet's slots (or, when the shared pace fails, the local bucket's) pace again.
    /// </summary>
    private async Task SpendGrantAsync(RateController controller, FakeSharedPace shared)
    {
        for (var i = 0; i < 10; i++)
        {
            Assert.Null(await controller.WaitAsync(0, MaxWait, CancellationToken.None));
        }

        Assert.Equal(0, shared.Reservations);
        _time.Advance(TimeSpan.FromSeconds(1));
    }

    private RateController Controller(int acceptedLastSecond, ISharedPace? shared = null)
        => new(_time, "interactions", scope: null, () => acceptedLastSecond, shared, releaseInline: true);
}


using Interactions.Resilience.RateLimiting.Internal;
namespace Interactions.Resilience.Tests.RateLimiting;

/// <summary>The gate's schedule, in whole milliseconds: a fixed period of 1025, a server window of 1000.</summary>
public class BurstScheduleTests
{
    private readonly BurstSchedule _schedule = new(period: 1025, window: 1000);

    [Fact]
    public void Reserve_WithoutAnswers_BurstsAreAFixedPeriodApart()
    {
        var tickets = Enumerable.Range(0, 6).Select(_ => _schedule.Reserve(earliest: 0, tokens: 2)).ToArray();

        Assert.Equal(0, Release(tickets[0], now: 0));
        Assert.Equal(0, Release(tickets[1], now: 0));
        Assert.Equal(1025, Release(tickets[2], now: 1025));
        Assert.Equal(2050, Release(tickets[4], now: 2050));
    }

    [Fact]
    public void OnAccepted_ASuccessOfTheBurst_StartsTheNextOneWindowAfterItsAnswer_AndMovesEveryLaterBurst()
    {
        var first = _schedule.Reserve(earliest: 0, tokens: 1);
        var second = _schedule.Reserve(earliest: 0, tokens: 1);
        var third = _schedule.Reserve(earliest: 0, tokens: 1);
        Assert.Equal(0, Release(first, now: 0));

        // Before an answer, the second burst is no sooner than a window after the first: its holder sleeps until then.
        Assert.Equal(1000, _schedule.ReleaseAt(second, now: 1));
        _schedule.OnAccepted(sentAt: 0, acceptedAt: 4);

        Assert.Equal(1004, _schedule.ReleaseAt(second, now: 1000));
        Assert.Equal(1004, Release(second, now: 1004));
        _schedule.OnAccepted(sentAt: 1004, acceptedAt: 1006);
        Assert.Equal(2006, _schedule.ReleaseAt(third, now: 1500));
    }

    [Fact]
    public void OnAccepted_TheEarliestAnswerOfTheBurstCounts()
    {
        var first = _schedule.Reserve(earliest: 0, tokens: 2);
        _schedule.Reserve(earliest: 0, tokens: 2);
        var next = _schedule.Reserve(earliest: 0, tokens: 2);
        Assert.Equal(0, Release(first, now: 0));

        _schedule.OnAccepted(sentAt: 0, acceptedAt: 9);
        _schedule.OnAccepted(sentAt: 1, acceptedAt: 3);
        _schedule.OnAccepted(sentAt: 0, acceptedAt: 12);

        Assert.Equal(1003, _schedule.ReleaseAt(next, now: 1000));
    }

    [Fact]
    public void OnAccepted_AnAnswerToARequestSentBeforeTheBurst_MovesNothing()
    {
        _schedule.DelayTo(1000); // the pause ends at 1000
        var ticket = _schedule.Reserve(earliest: 1000, tokens: 1);
        var next = _schedule.Reserve(earliest: 1000, tokens: 1);
        _schedule.OnAccepted(sentAt: 400, acceptedAt: 1001); // in flight before the pause: says nothing of the window after it

        Assert.Equal(1000, Release(ticket, now: 1000));
        Assert.Equal(2025, _schedule.ReleaseAt(next, now: 2001)); // no answer of its own: the fixed period
    }

    [Fact]
    public void ReleaseAt_AHolderThatWakesAfterItsBurstIsOver_MustTakeANewTicket()
    {
        var first = _schedule.Reserve(earliest: 0, tokens: 1);
        var late = _schedule.Reserve(earliest: 0, tokens: 1);
        var next = _schedule.Reserve(earliest: 0, tokens: 1);
        Assert.Equal(0, Release(first, now: 0));

        Assert.Equal(2050, Release(next, now: 2050)); // the third burst began; the second's holder never came
        Assert.Equal(BurstSchedule.Expired, _schedule.ReleaseAt(late, now: 2051));
    }

    [Fact]
    public void DelayTo_APauseThatGrows_VoidsTheTicketsBeforeIt_AndStartsAFullBurstAtItsEnd()
    {
        _schedule.DelayTo(1000);
        var before = _schedule.Reserve(earliest: 1000, tokens: 3);
        _schedule.DelayTo(1005);
        var after = Enumerable.Range(0, 3).Select(_ => _schedule.Reserve(earliest: 1005, tokens: 3)).ToArray();

        Assert.Equal(BurstSchedule.Expired, _schedule.ReleaseAt(before, now: 1000));
        Assert.All(after, t => Assert.Equal(1005, Release(t, now: 1005)));
        Assert.Equal(2030, _schedule.ReleaseAt(_schedule.Reserve(earliest: 1005, tokens: 3), now: 2010));
    }

    [Fact]
    public void Estimate_AssumesTheFixedPeriodForBurstsNotYetSettled()
    {
        for (var i = 0; i < 4; i++)
        {
            _schedule.Reserve(earliest: 0, tokens: 2);
        }

        Assert.Equal(2050, _schedule.Estimate(earliest: 0, tokens: 2));
        Assert.Equal(5000, _schedule.Estimate(earliest: 5000, tokens: 2)); // later than all of it
    }

    /// <summary>The release of a holder that asks at <paramref name="now"/>, having slept until then.</summary>
    private long Release(long ticket, long now)
    {
        var at = _schedule.ReleaseAt(ticket, now);
        Assert.True(at <= now, $"ticket {ticket} is not due at {now}: {at}");
        return at;
    }
}

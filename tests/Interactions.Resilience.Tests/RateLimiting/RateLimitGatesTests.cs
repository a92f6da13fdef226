using Interactions.Resilience.Health.Internal;
using Interactions.Resilience.RateLimiting.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Interactions.Resilience.Tests.RateLimiting;

/// <summary>
/// The client's controllers per scope. Scopes may be recipients — millions of them — so a scope has a controller only
/// while something is in force there, and the request path goes back to reading one flag once the limits are over.
/// </summary>
public class RateLimitGatesTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Find_ScopeNeverLimited_HasNoController_AndNoneIsMade()
    {
        var gates = new RateLimitGates(_time, new HealthWindow(_time), selector: null);
        gates.OnRateLimited("+111", TimeSpan.FromSeconds(1));

        for (var i = 0; i < 10_000; i++)
        {
            Assert.Null(gates.Find($"+{i:D6}")); // what admission asks for a request with no wait of its own
        }

        Assert.Equal(1, gates.ScopeCount);
        Assert.Same(gates.Client, gates.Find(null));
    }

    [Fact]
    public void MayBeActive_ScopedLimitsOver_DropsTheirControllersWithinTwoQuietPeriods_AndReadsFalseAgain()
    {
        var gates = new RateLimitGates(_time, new HealthWindow(_time), selector: null);
        var paused = Enumerable.Range(0, 3).Select(_ => gates.OnRateLimited("+111", TimeSpan.FromSeconds(2))).ToList();
        Assert.Equal(TimeSpan.FromSeconds(2), paused[^1]); // the third of three limited: spent, paused

        gates.OnRateLimited("+222", TimeSpan.FromSeconds(1));
        Assert.True(gates.MayBeActive);
        Assert.Equal(TimeSpan.FromSeconds(2), gates.Find("+111")!.PauseRemaining);

        _time.Advance(RateController.QuietPeriod); // the limits are not yet more than a quiet period old
        Assert.True(gates.MayBeActive);
        Assert.Equal(2, gates.ScopeCount);

        _time.Advance(RateController.QuietPeriod); // the sweep runs once a quiet period: the scopes go within two
        Assert.False(gates.MayBeActive);
        Assert.Equal(0, gates.ScopeCount);
        Assert.Null(gates.Find("+111"));
    }

    [Fact]
    public void Sweep_KeepsAScopeStillPaused_AndDropsOnlyTheQuietOnes()
    {
        var gates = new RateLimitGates(_time, new HealthWindow(_time), selector: null);
        gates.OnRateLimited("+222", TimeSpan.FromSeconds(1)); // a sporadic limit: nothing in force after it
        gates.Pause("+111", TimeSpan.FromSeconds(30)); // another instance saw +111's quota spent

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(gates.MayBeActive);
        Assert.Equal(1, gates.ScopeCount);
        Assert.Equal(TimeSpan.FromSeconds(20), gates.Find("+111")!.PauseRemaining);
        Assert.Null(gates.Find("+222"));
    }

    [Fact]
    public void For_AfterASweep_StartsTheScopeAfresh_AndALimitThereIsSeenAgain()
    {
        var gates = new RateLimitGates(_time, new HealthWindow(_time), selector: null);
        gates.OnRateLimited("+111", TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.False(gates.MayBeActive);

        for (var i = 0; i < 3; i++)
        {
            gates.OnRateLimited("+111", TimeSpan.FromSeconds(4));
        }

        Assert.True(gates.MayBeActive);
        Assert.Equal(TimeSpan.FromSeconds(4), gates.Find("+111")!.PauseRemaining);
    }

    [Fact]
    public void For_ARequestsOwnWait_MakesAController_ThatASweepDropsOnceItIsOver()
    {
        var gates = new RateLimitGates(_time, new HealthWindow(_time), selector: null);

        var controller = gates.For("+111"); // a request waits its own Retry-After (a PIN cooldown, say): no limit recorded
        Assert.False(controller.IsActive);
        Assert.True(gates.MayBeActive); // the request path looks until a sweep finds it idle

        _time.Advance(RateController.QuietPeriod);
        Assert.False(gates.MayBeActive);
        Assert.Equal(0, gates.ScopeCount);
    }
}

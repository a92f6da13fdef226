using Interactions.Resilience.Halt.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Interactions.Resilience.Tests.Halt;

/// <summary>The client's halt: in force for its duration, with the code that tripped it, then gone.</summary>
public class HaltStateTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void IsActive_AfterTrip_ReportsTheCodeAndTheTimeLeft_UntilItEnds()
    {
        var halt = new HaltState(_time);
        halt.Trip(InteractionsError.Local(InteractionsErrorCode.AccountLocked), TimeSpan.FromSeconds(60));

        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(halt.MayBeHalted);
        Assert.True(halt.IsActive(out var error, out var left));
        Assert.Equal(InteractionsErrorCode.AccountLocked, error.Code);
        Assert.Equal(InteractionsErrorSource.Local, error.Source);
        Assert.Equal(TimeSpan.FromSeconds(40), left);

        _time.Advance(TimeSpan.FromSeconds(40));
        Assert.False(halt.IsActive(out _, out _));
        Assert.False(halt.MayBeHalted);
    }

    [Fact]
    public void Trip_ShorterHaltDuringALongerOne_DoesNotShortenIt()
    {
        var halt = new HaltState(_time);
        halt.Trip(InteractionsError.Local(InteractionsErrorCode.AccountLocked), TimeSpan.FromSeconds(60));
        halt.Trip(InteractionsError.Local(InteractionsErrorCode.TemporarilyBlocked), TimeSpan.FromSeconds(5));

        Assert.True(halt.IsActive(out var error, out var left));
        Assert.Equal(InteractionsErrorCode.AccountLocked, error.Code);
        Assert.Equal(TimeSpan.FromSeconds(60), left);
    }

    [Fact]
    public void Trip_LongerHaltDuringAShorterOne_ExtendsItWithTheNewCode()
    {
        var halt = new HaltState(_time);
        halt.Trip(InteractionsError.Local(InteractionsErrorCode.TemporarilyBlocked), TimeSpan.FromSeconds(5));
        halt.Trip(InteractionsError.Local(InteractionsErrorCode.AccountInactive), TimeSpan.FromSeconds(30));

        Assert.True(halt.IsActive(out var error, out var left));
        Assert.Equal(InteractionsErrorCode.AccountInactive, error.Code);
        Assert.Equal(TimeSpan.FromSeconds(30), left);
    }

    [Fact]
    public void Trip_ZeroDuration_HaltsNothing()
    {
        var halt = new HaltState(_time);
        halt.Trip(InteractionsError.Local(InteractionsErrorCode.AccountLocked), TimeSpan.Zero);

        Assert.False(halt.MayBeHalted);
        Assert.False(halt.IsActive(out _, out _));
    }

    [Fact]
    public void Lift_InForce_EndsItAtOnce_AndSaysSo()
    {
        var halt = new HaltState(_time);
        halt.Trip(InteractionsError.Local(InteractionsErrorCode.AccountLocked), TimeSpan.FromSeconds(60));

        Assert.True(halt.Lift());

        Assert.False(halt.IsActive(out _, out _));
        Assert.False(halt.MayBeHalted);
        Assert.False(halt.Lift());
    }

    [Fact]
    public void Lift_HaltThatHasJustEnded_SaysNothingWasInForce()
    {
        var halt = new HaltState(_time);
        halt.Trip(InteractionsError.Local(InteractionsErrorCode.AccountLocked), TimeSpan.FromSeconds(60));
        _time.Advance(TimeSpan.FromSeconds(60)); // ended, and no request has looked since

        Assert.False(halt.Lift()); // an operator's lift reports nothing lifted
    }
}

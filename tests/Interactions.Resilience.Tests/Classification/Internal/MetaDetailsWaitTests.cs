using Interactions.Resilience.Classification.Internal;

namespace Interactions.Resilience.Tests.Classification.Internal;

public class MetaDetailsWaitTests
{
    [Theory]
    [InlineData("Wait 5 minutes before re-trying the request.", 300)]
    [InlineData("Please try again in 30 seconds", 30)]
    [InlineData("try again after 1 hour", 3600)]
    [InlineData("retry in 10 mins", 600)]
    [InlineData("retry in 90sec.", 90)]
    [InlineData("WAIT 2 HOURS", 7200)]
    [InlineData("You have 3 attempts left; wait 20 seconds", 20)] // a number without a unit is not a wait
    public void TryRead_StatedWait_IsRead(string details, int seconds)
    {
        Assert.True(MetaDetailsWait.TryRead(details, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(seconds), wait);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Please wait a few minutes")]
    [InlineData("wait 1.5 minutes")]              // not a whole number
    [InlineData("(#133009) 5 s")]                 // single letters are not units
    [InlineData("Wait 0 seconds")]                // zero is no wait
    [InlineData("Wait 25 hours")]                 // beyond a day: not believed
    [InlineData("Wait 1234567 seconds")]          // more digits than a wait has
    [InlineData("code v16 minutes")]              // a number glued to letters
    [InlineData("Wait 5minutesago")]              // a unit glued to another word
    public void TryRead_NoBelievableWait_ReturnsFalse(string? details)
    {
        Assert.False(MetaDetailsWait.TryRead(details, out _));
    }
}

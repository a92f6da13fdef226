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
    [InlineData("45 seconds", 45)]                                  // at the very start
    [InlineData("Wait 1 second", 1)]
    [InlineData("Wait 2 secs", 2)]
    [InlineData("Wait 1 minute", 60)]
    [InlineData("Wait 3 min", 180)]
    [InlineData("Wait 2 hrs", 7200)]
    [InlineData("Wait 1 hr", 3600)]
    [InlineData("Wait 24 hours", 86400)]                            // exactly the longest wait believed
    [InlineData("Wait 1440 minutes", 86400)]
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
    [InlineData("Wait 0000005 seconds")]          // seven digits, even with leading zeros
    [InlineData("Wait 100000 seconds, or 5 minutes")] // the first stated wait is implausible: none is trusted
    [InlineData("Error code 42")]                 // a number at the very end
    [InlineData("42")]
    public void TryRead_NoBelievableWait_ReturnsFalse(string? details)
    {
        Assert.False(MetaDetailsWait.TryRead(details, out _));
    }
}

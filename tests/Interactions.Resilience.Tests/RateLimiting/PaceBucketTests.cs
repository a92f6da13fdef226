using Interactions.Resilience.RateLimiting.Internal;

namespace Interactions.Resilience.Tests.RateLimiting;

public class PaceBucketTests
{
    private const long Second = 1000;

    [Fact]
    public void TryTake_FullAtFirst_ThenOneTokenPerIntervalOfTheRate()
    {
        var bucket = new PaceBucket(Second);

        Assert.True(bucket.TryTake(0, rate: 10, capacity: 2));
        Assert.True(bucket.TryTake(0, rate: 10, capacity: 2));
        Assert.False(bucket.TryTake(0, rate: 10, capacity: 2));
        Assert.Equal(100, bucket.NextAt(0, rate: 10, capacity: 2));
        Assert.False(bucket.TryTake(99, rate: 10, capacity: 2));
        Assert.True(bucket.TryTake(100, rate: 10, capacity: 2));
    }

    [Fact]
    public void TryTake_IdleForLong_HoldsNoMoreThanItsCapacity()
    {
        var bucket = new PaceBucket(Second);
        bucket.TryTake(0, rate: 10, capacity: 2);

        Assert.True(bucket.TryTake(10 * Second, rate: 10, capacity: 2));
        Assert.True(bucket.TryTake(10 * Second, rate: 10, capacity: 2));
        Assert.False(bucket.TryTake(10 * Second, rate: 10, capacity: 2));
    }

    [Fact]
    public void NextAt_TheRateRises_TheNextTokenComesSooner()
    {
        var bucket = new PaceBucket(Second);
        bucket.TryTake(0, rate: 1, capacity: 1);

        Assert.Equal(1000, bucket.NextAt(0, rate: 1, capacity: 1));
        Assert.Equal(100, bucket.NextAt(0, rate: 10, capacity: 1));
    }

    [Fact]
    public void Grant_ABurstAboveCapacity_GoesAtOnce_AndTheRefillWaitsUntilItsStart()
    {
        var bucket = new PaceBucket(Second);
        bucket.TryTake(0, rate: 10, capacity: 2);

        bucket.Grant(0, tokens: 5, refillFrom: Second);

        for (var i = 0; i < 5; i++)
        {
            Assert.True(bucket.TryTake(0, rate: 10, capacity: 2));
        }

        Assert.False(bucket.TryTake(500, rate: 10, capacity: 2));
        Assert.Equal(Second + 100, bucket.NextAt(500, rate: 10, capacity: 2));
        Assert.False(bucket.TryTake(Second + 99, rate: 10, capacity: 2));
        Assert.True(bucket.TryTake(Second + 100, rate: 10, capacity: 2));
    }
}

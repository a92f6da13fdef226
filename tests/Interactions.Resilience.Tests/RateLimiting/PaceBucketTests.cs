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
}

using Interactions.Resilience.RateLimiting.Internal;

namespace Interactions.Resilience.Tests.RateLimiting;

public class LimitEvidenceTests
{
    [Fact]
    public void Sum_CountsTheLastWindowOnly()
    {
        var evidence = new LimitEvidence(window: 1000);
        evidence.RecordLimit(50);
        evidence.RecordAccepted(120);
        evidence.RecordAccepted(950);
        evidence.RecordAnswered(990);

        Assert.Equal((1, 2, 1), evidence.Sum(999));
        Assert.Equal((0, 1, 1), evidence.Sum(1500)); // the slices before 600 have left the window
        Assert.Equal((0, 0, 0), evidence.Sum(3000));
    }

    [Fact]
    public void Record_ASliceReusedAfterAWindow_StartsFromZero()
    {
        var evidence = new LimitEvidence(window: 1000);
        evidence.RecordLimit(10);
        evidence.RecordLimit(1010); // same slot, one window later

        Assert.Equal((1, 0, 0), evidence.Sum(1010));
    }
}

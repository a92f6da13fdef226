using Interactions.Resilience.RateLimiting.Internal;

namespace Interactions.Resilience.Tests.RateLimiting;

public class CubicRateTests
{
    private static readonly CubicRate Curve = new(RateMax: 100, Beta: 0.7, Growth: 0.4, MinRate: 0.5, MaxRate: 100_000);

    [Fact]
    public void At_Restart_IsBetaTimesTheMaximum() => Assert.Equal(70, Curve.At(0), 6);

    [Fact]
    public void At_K_IsBackAtTheMaximum_FlatThere()
    {
        Assert.Equal(Math.Cbrt(0.3 / 0.4), Curve.K, 9);
        Assert.Equal(100, Curve.At(Curve.K), 6);
        Assert.True(Curve.At(Curve.K - 0.2) - Curve.At(Curve.K - 0.4) < Curve.At(0.2) - Curve.At(0)); // concave: slows as it nears the maximum
    }

    [Fact]
    public void At_PastK_ProbesUpward_FourTimesWithinThreeSeconds()
    {
        Assert.True(Curve.At(Curve.K + 1) > 130);
        Assert.InRange(Curve.SecondsUntil(400), 2.5, 3.0);
        Assert.Equal(400, Curve.At(Curve.SecondsUntil(400)), 6);
    }

    [Fact]
    public void At_BeforeTheRestartOrBeyondTheBounds_IsClamped()
    {
        Assert.Equal(70, Curve.At(-5), 6);
        Assert.Equal(100_000, Curve.At(60));
        Assert.Equal(0.5, (Curve with { RateMax = 0.1 }).At(0));
    }
}

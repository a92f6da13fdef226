using Interactions.Resilience.Health.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Interactions.Resilience.Tests.Health;

/// <summary>The client's recent traffic, in one-second buckets.</summary>
public class HealthWindowTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Sum_CountsOnlyTheLastSeconds_AnswersAsSuccesses()
    {
        var window = new HealthWindow(_time);
        window.Record(HealthWindow.Kind.Request);
        window.Record(HealthWindow.Kind.Failure);
        _time.Advance(TimeSpan.FromSeconds(5));
        window.Record(HealthWindow.Kind.Request);
        window.Record(HealthWindow.Kind.Success);
        window.Record(HealthWindow.Kind.Answered);
        window.Record(HealthWindow.Kind.Retry);

        Assert.Equal((2L, 2L, 1L, 1L), window.Sum(10));
        Assert.Equal((1L, 2L, 0L, 1L), window.Sum(5));
    }

    [Fact]
    public void Sum_ForgetsWhatIsOlderThanTheWindow_WhenBucketsAreReused()
    {
        var window = new HealthWindow(_time);
        window.Record(HealthWindow.Kind.Failure);
        _time.Advance(TimeSpan.FromSeconds(HealthWindow.Seconds)); // the same bucket, a window later

        window.Record(HealthWindow.Kind.Success);

        Assert.Equal((0L, 1L, 0L, 0L), window.Sum(HealthWindow.Seconds));
    }

    [Fact]
    public void AcceptedPerSecond_IsTheBusierOfThisSecondAndTheLast_AnswersExcluded()
    {
        var window = new HealthWindow(_time);
        for (var i = 0; i < 7; i++)
        {
            window.Record(HealthWindow.Kind.Success);
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        window.Record(HealthWindow.Kind.Success);
        window.Record(HealthWindow.Kind.Answered);
        Assert.Equal(7, window.AcceptedPerSecond());

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, window.AcceptedPerSecond());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, window.AcceptedPerSecond());
    }

    [Fact]
    public void Clear_ForgetsEverything()
    {
        var window = new HealthWindow(_time);
        window.Record(HealthWindow.Kind.Failure);

        window.Clear();

        Assert.Equal((0L, 0L, 0L, 0L), window.Sum(HealthWindow.Seconds));
    }
}

using Interactions.Resilience.Tests.RateLimiting.Simulation;
using Xunit.Abstractions;

namespace Interactions.Resilience.Tests.RateLimiting;

/// <summary>
/// The controller against in-process models of every way a server limits, on fake time (see <see cref="RateSimulation"/>),
/// each run side by side with a patient standard handler on the same model. Bounds are the figures measured (see
/// docs/rate-control.md) with a margin; where they are looser than the targets, the doc says so.
/// </summary>
public class RateControllerServerModelTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData("fixed-window-storm", 9.0, 30)] // 50 at once against 20 a window: 30 over; 200 sends: 10 windows
    [InlineData("fixed-window-200-at-once", 9.0, 180)]
    [InlineData("fixed-window-no-retry-after", 9.0, 30)]
    [InlineData("fixed-window-500", 9.0, 500)]
    [InlineData("fixed-window-2", 9.0, 3)]
    [InlineData("sliding-window", 9.0, 30)]
    [InlineData("token-bucket", 9.0, 30)]
    [InlineData("token-bucket-5", 9.75, 45)] // 20 a second, a burst of only 5: 45 over at once, then 195 at 20 a second
    [InlineData("fixed-window-aligned", 9.0, 30)] // windows on whole seconds of the server's clock, not from the first request
    [InlineData("raised-4x", 10.5, 80)] // 4 windows of 20, then 520 at 80 a window
    [InlineData("lowered-4x", 13.0, 80)] // 2 windows of 80, then 240 at 20: 20 over at once, and 60 in the first window after the drop
    public void Quota_EverySendCompletes_NearTheQuotasTime_WithFewLimits(string model, double idealSeconds, int unavoidable)
    {
        var (server, senders, sends) = ServerModels.Create(model);

        var ours = RateSimulation.Run(server(), SimulatedClient.Controller, senders, sends);
        var standard = RateSimulation.Run(server(), SimulatedClient.Standard, senders, sends);

        output.WriteLine($"ours:     {ours}");
        output.WriteLine($"standard: {standard}");
        Assert.Equal(sends, ours.Completed);
        Assert.InRange(ours.End.TotalSeconds, idealSeconds, idealSeconds + (3.5 * Window.TotalSeconds));
        Assert.InRange(ours.Limits, unavoidable, Math.Max(2.4 * unavoidable, unavoidable + 15)); // a tiny quota: a few per cycle
        Assert.True(ours.Limits <= standard.Limits / 2.0, $"{ours.Limits} limits, the standard handler {standard.Limits}");
    }

    [Theory]
    [InlineData("sporadic-ra0")]
    [InlineData("sporadic-ra1")]
    [InlineData("sporadic-ra1-at-once")]
    [InlineData("no-limit")]
    public void Sporadic_PausesNobodyElse_AndCostsNoMoreThanTheStandardHandler(string model)
    {
        var (server, senders, sends) = ServerModels.Create(model);

        var ours = RateSimulation.Run(server(), SimulatedClient.Controller, senders, sends);
        var standard = RateSimulation.Run(server(), SimulatedClient.Standard, senders, sends);
        var unlimited = RateSimulation.Run(new SporadicServer(0, null), SimulatedClient.Controller, senders, sends);

        output.WriteLine($"ours:      {ours}");
        output.WriteLine($"standard:  {standard}");
        output.WriteLine($"no limits: {unlimited}");
        Assert.Equal(sends, ours.Completed);
        Assert.False(ours.EverPaused);
        Assert.False(ours.EverPaced);
        Assert.Equal(TimeSpan.Zero, ours.LongestWaitNotLimited);
        Assert.True(ours.End <= standard.End + TimeSpan.FromMilliseconds(20), $"ours {ours.End}, the standard handler {standard.End}");
        Assert.Equal(standard.Requests, ours.Requests);
    }

    [Fact]
    public void RaisedQuota_IsFollowedWithinAFewSeconds()
    {
        var (server, senders, sends) = ServerModels.Create("raised-4x");

        var ours = RateSimulation.Run(server(), SimulatedClient.Controller, senders, sends);

        // The quota goes from 20 to 80 a window at 4 s: three quarters of it is reached within 3 s.
        var raisedAt = TimeSpan.FromSeconds(4);
        var followed = ours.FirstSecondWith(60, raisedAt);
        output.WriteLine($"{ours}; 60 accepted within a second by {followed}");
        Assert.NotNull(followed);
        Assert.InRange(followed.Value - raisedAt, TimeSpan.Zero, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Figures_SameSeed_SameRun()
    {
        var (server, senders, sends) = ServerModels.Create("fixed-window-storm");

        var first = RateSimulation.Run(server(), SimulatedClient.Controller, senders, sends);
        var second = RateSimulation.Run(server(), SimulatedClient.Controller, senders, sends);

        Assert.Equal(first.End, second.End);
        Assert.Equal(first.Limits, second.Limits);
    }
}

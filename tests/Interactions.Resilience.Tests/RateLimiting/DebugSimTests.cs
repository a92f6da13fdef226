using Interactions.Resilience.Tests.RateLimiting.Simulation;
using Xunit.Abstractions;

namespace Interactions.Resilience.Tests.RateLimiting;

public class DebugSimTests(ITestOutputHelper output)
{
    [Fact]
    public void Debug()
    {
        for (var i = 0; i < 4; i++)
        {
            var r = RateSimulation.Run(new SporadicServer(0, null), SimulatedClient.Standard, 2, 10);
            output.WriteLine(r.ToString());
            output.WriteLine(string.Join(", ", r.Answers.Select(a => a.At.TotalMilliseconds)));
        }
    }
}

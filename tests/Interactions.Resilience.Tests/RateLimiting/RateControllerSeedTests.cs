using Interactions.Resilience.Tests.RateLimiting.Simulation;
using Xunit.Abstractions;

namespace Interactions.Resilience.Tests.RateLimiting;

/// <summary>
/// Every server model under six seeds of the network's jitter: no send is lost (at 2 a second, a bucket of two once
/// limited one send six times, past <c>RateLimit.MaxRetryAttempts</c>), and sporadic limits never pause anybody.
/// </summary>
public class RateControllerSeedTests(ITestOutputHelper output)
{
    public static TheoryData<string> Models => new(ServerModels.Names);

    [Theory]
    [MemberData(nameof(Models))]
    public void AnySeed_EverySendCompletes_AndSporadicLimitsPauseNobody(string model)
    {
        var figures = new List<string>();
        for (var seed = 1; seed <= 6; seed++)
        {
            var (server, senders, sends) = ServerModels.Create(model);
            var run = RateSimulation.Run(server(), SimulatedClient.Controller, senders, sends, seed: seed);
            figures.Add($"{run.End.TotalSeconds:F1} s / {run.Limits}");

            Assert.Equal(sends, run.Completed);
            if (model.StartsWith("sporadic", StringComparison.Ordinal) || model == "no-limit")
            {
                Assert.False(run.EverPaused, $"seed {seed}: a sporadic limit paused the scope");
            }
        }

        output.WriteLine($"{model}: {string.Join(", ", figures)}");
    }
}

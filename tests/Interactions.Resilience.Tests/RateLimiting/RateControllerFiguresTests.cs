using Interactions.Resilience.Tests.RateLimiting.Simulation;
using Xunit.Abstractions;

namespace Interactions.Resilience.Tests.RateLimiting;

/// <summary>Prints, side by side, what the controller and a patient standard handler do on every server model.</summary>
public class RateControllerFiguresTests(ITestOutputHelper output)
{
    public static TheoryData<string> Models => new(ServerModels.Names);

    [Theory]
    [MemberData(nameof(Models))]
    public void Figures_EachServerModel_ControllerAndStandardSideBySide(string model)
    {
        var (factory, senders, sends) = ServerModels.Create(model);
        var ours = RateSimulation.Run(factory(), SimulatedClient.Controller, senders, sends);
        var standard = RateSimulation.Run(factory(), SimulatedClient.Standard, senders, sends);
        output.WriteLine($"{model}: ours {ours}");
        output.WriteLine($"{model}: standard {standard}");
        Assert.Equal(sends, ours.Completed + ours.Failed);
    }
}

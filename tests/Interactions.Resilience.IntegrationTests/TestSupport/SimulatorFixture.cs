using Interactions.Resilience.Testing;

namespace Interactions.Resilience.IntegrationTests.TestSupport;

/// <summary>One simulator for a test class; each test calls <see cref="InteractionsSimulator.Reset"/> first.</summary>
public sealed class SimulatorFixture : IDisposable
{
    public InteractionsSimulator Simulator { get; } = InteractionsSimulator.Start();

    public void Dispose() => Simulator.Dispose();
}

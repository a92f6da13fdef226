namespace Interactions.Resilience.Demo.Scenarios;

/// <summary>One short story: what the simulated server does, and what the app sees through the handler.</summary>
internal interface IScenario
{
    /// <summary>Gets the name used by <c>run &lt;name&gt;</c>, e.g. <c>retry</c>.</summary>
    string Name { get; }

    /// <summary>Gets one line for <c>--help</c>.</summary>
    string Summary { get; }

    /// <summary>Gets a few sentences: what the server does and what the handler should make of it.</summary>
    string Description { get; }

    /// <summary>Scripts the simulator and makes the app's calls through <paramref name="context"/>.</summary>
    Task RunAsync(ScenarioContext context);

    /// <summary>Compares the result with <see cref="Description"/>: one text per difference, <see langword="null"/> for each match.</summary>
    IEnumerable<string?> Check(ScenarioResult result);
}

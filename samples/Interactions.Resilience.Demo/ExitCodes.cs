namespace Interactions.Resilience.Demo;

/// <summary>The exit codes of the demo.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A scenario did not end the way its description says.</summary>
    public const int ScenarioMismatch = 1;

    /// <summary>An unknown command, scenario or code.</summary>
    public const int Usage = 2;

    /// <summary>A setting under Interactions:Resilience failed validation at start-up.</summary>
    public const int InvalidSettings = 3;

    /// <summary>Stopped by Ctrl+C.</summary>
    public const int Cancelled = 130;
}

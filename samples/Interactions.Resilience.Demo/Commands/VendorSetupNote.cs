namespace Interactions.Resilience.Demo.Commands;

/// <summary>
/// The troubleshooting step that opens the vendor's error-code document. It is about the browser in which
/// Interactions are set up or loaded, not about an error code; support staff read it here and in <c>explain</c>.
/// </summary>
internal static class VendorSetupNote
{
    public const string Title = "If Interactions fail to set up or load";

    public const string Text =
        "Check the browser's settings, especially its Performance section. If the Energy Saver option is enabled, " +
        "it might cause such issues: disable Energy Saver as a troubleshooting step to resolve the problem.";

    public const string Scope =
        "This is the vendor's own troubleshooting step. It concerns the browser where Interactions are set up or loaded, " +
        "not HTTP calls: no error code comes with it, and the resilience handler cannot see or fix it.";
}

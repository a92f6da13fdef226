using Spectre.Console;

namespace Interactions.Resilience.Demo.Commands;

/// <summary>One colour per policy, so the catalog reads at a glance.</summary>
internal static class PolicyStyle
{
    public static Text Render(InteractionsPolicy policy) => new(policy.ToString(), policy switch
    {
        InteractionsPolicy.Retry => new Style(Color.Green),
        InteractionsPolicy.WaitAndRetry => new Style(Color.Aqua),
        InteractionsPolicy.Cooldown => new Style(Color.Yellow),
        InteractionsPolicy.Halt => new Style(Color.Red, decoration: Decoration.Bold),
        _ => new Style(Color.Orange1),
    });
}

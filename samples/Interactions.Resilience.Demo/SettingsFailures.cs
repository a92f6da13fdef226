using Microsoft.Extensions.Options;

namespace Interactions.Resilience.Demo;

/// <summary>The failures of the options that stopped the start-up: one, or several when several options failed.</summary>
internal static class SettingsFailures
{
    public static IReadOnlyList<string> Of(Exception exception) => exception switch
    {
        OptionsValidationException options => options.Failures.ToList(),
        AggregateException aggregate when aggregate.InnerExceptions.All(static e => e is OptionsValidationException)
            => aggregate.InnerExceptions.Cast<OptionsValidationException>().SelectMany(static e => e.Failures).ToList(),
        _ => [],
    };
}

using Microsoft.Extensions.Options;

namespace Interactions.Resilience.Redis.Internal;

/// <summary>Checks <see cref="InteractionsRedisCoordinationOptions"/> at start-up; each message names the setting.</summary>
internal sealed class InteractionsRedisCoordinationOptionsValidator : IValidateOptions<InteractionsRedisCoordinationOptions>
{
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxPaceTimeout = TimeSpan.FromSeconds(5);

    public ValidateOptionsResult Validate(string? name, InteractionsRedisCoordinationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Channel))
        {
            failures.Add("Channel must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.KeyPrefix))
        {
            failures.Add("KeyPrefix must not be empty.");
        }

        if (options.PublishTimeout <= TimeSpan.Zero || options.PublishTimeout > MaxTimeout)
        {
            failures.Add($"PublishTimeout must be greater than 0 and at most 1 minute; it is {options.PublishTimeout}.");
        }

        if (options.StartupTimeout < TimeSpan.Zero || options.StartupTimeout > MaxTimeout)
        {
            failures.Add($"StartupTimeout must be between 0 and 1 minute; it is {options.StartupTimeout}.");
        }

        if (options.PaceTimeout < TimeSpan.FromMilliseconds(1) || options.PaceTimeout > MaxPaceTimeout)
        {
            failures.Add($"PaceTimeout must be between 1 ms and 5 seconds; it is {options.PaceTimeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

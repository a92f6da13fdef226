using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Interactions.Resilience.Tests.Options;

/// <summary>
/// Mistakes in the configuration section stop the start-up with an <see cref="OptionsValidationException"/> that
/// names the setting by its path, instead of being dropped, ignored or surfacing as another exception.
/// </summary>
public class InteractionsResilienceConfigurationTests
{
    public static TheoryData<string, string, string> Mistakes() => new()
    {
        // key, value, what the message must say
        { "Policies:031006", "Bogus", "Interactions:Resilience:Policies:031006 must be one of FailFast, Retry, WaitAndRetry, Cooldown, Halt; it is 'Bogus'." },
        { "Policies:031006", "", "Interactions:Resilience:Policies:031006 must be one of FailFast, Retry, WaitAndRetry, Cooldown, Halt; it is empty." },
        { "Retry:MaxRetrys", "5", "Interactions:Resilience:Retry:MaxRetrys is not a setting of Interactions.Resilience" },
        { "MaxWiat", "00:01:00", "Interactions:Resilience:MaxWiat is not a setting of Interactions.Resilience" },
        { "MaxWait", "banana", "Interactions:Resilience:MaxWait must be a duration such as 00:00:30 (hh:mm:ss); 'banana' is not." },
        { "Retry:MaxRetryAttempts", "three", "Interactions:Resilience:Retry:MaxRetryAttempts must be a whole number; 'three' is not." },
        { "ThrowOnFailure", "nope", "Interactions:Resilience:ThrowOnFailure must be true or false; 'nope' is not." },
        { "CircuitBreaker:FailureRatio", "half", "Interactions:Resilience:CircuitBreaker:FailureRatio must be a number such as 0.5; 'half' is not." },
        { "RateLimit:PermitsPerSecond", "many", "Interactions:Resilience:RateLimit:PermitsPerSecond must be a whole number; 'many' is not." },
        { "RateLimit:ScopeSelector", "sender", "Interactions:Resilience:RateLimit:ScopeSelector cannot be set from configuration; set it in code: AddInteractionsResilience(section, o => o.RateLimit.ScopeSelector = …)." },
        { "Classifier", "Mine", "Interactions:Resilience:Classifier cannot be set from configuration" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void StartValidation_ConfigurationMistake_FailsNamingTheSetting(string key, string value, string message)
    {
        using var provider = Provider(new() { ["Interactions:Resilience:" + key] = value });

        var ex = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IStartupValidator>().Validate);

        Assert.Equal("c", ex.OptionsName);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateClient_ConfigurationMistake_ThrowsOptionsValidationExceptionBeforeAnyRequest()
    {
        using var provider = Provider(new() { ["Interactions:Resilience:MaxWait"] = "banana" });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IHttpClientFactory>().CreateClient("c"));

        Assert.Contains("Interactions:Resilience:MaxWait", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StartValidation_SeveralMistakes_NamesEveryOne()
    {
        using var provider = Provider(new()
        {
            ["Interactions:Resilience:Policies:031006"] = "Bogus",
            ["Interactions:Resilience:Retry:MaxRetrys"] = "5",
            ["Interactions:Resilience:MaxWait"] = "banana",
        });

        var ex = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IStartupValidator>().Validate);

        Assert.Equal(3, ex.Failures.Count());
    }

    [Fact]
    public void StartValidation_PolicyForAnUnknownCode_FailsNamingTheSetting()
    {
        using var provider = Provider(new() { ["Interactions:Resilience:Policies:999999"] = "Retry" });

        var ex = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IStartupValidator>().Validate);

        Assert.Contains("Policies:999999 does not name a code of the catalog", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_NamesInAnyCase_AreRead()
    {
        using var provider = Provider(new()
        {
            ["Interactions:Resilience:retry:maxRetryAttempts"] = "5",
            ["Interactions:Resilience:Policies:031006"] = "retry",
            ["Interactions:Resilience:RateLimit:PermitsPerSecond"] = "",
        });

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptionsMonitor<InteractionsResilienceOptions>>().Get("c");

        Assert.Equal(5, options.Retry.MaxRetryAttempts);
        Assert.Equal(InteractionsPolicy.Retry, options.Policies["031006"]);
        Assert.Null(options.RateLimit.PermitsPerSecond);
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddHttpClient("c").AddInteractionsResilience(configuration.GetSection("Interactions:Resilience"));
        return services.BuildServiceProvider();
    }
}

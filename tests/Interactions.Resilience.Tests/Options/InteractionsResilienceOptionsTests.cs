using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Interactions.Resilience.Tests.Options;

public class InteractionsResilienceOptionsTests
{
    [Fact]
    public void Defaults_AreTheDesignDefaults()
    {
        var options = new InteractionsResilienceOptions();

        Assert.Equal(3, options.Retry.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Retry.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Retry.MaxDelay);
        Assert.True(options.Retry.UseJitter);
        Assert.Equal(5, options.RateLimit.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), options.RateLimit.DefaultDelay);
        Assert.True(options.Idempotency.GenerateKeys);
        Assert.Equal("Idempotency-Key", options.Idempotency.HeaderName);
        Assert.Equal(TimeSpan.FromSeconds(60), options.MaxWait);
        Assert.Equal(TimeSpan.FromSeconds(30), options.PinCooldown);
        Assert.Equal(TimeSpan.FromMinutes(5), options.RegistrationCooldown);
        Assert.Equal(TimeSpan.FromSeconds(60), options.HaltDuration);
        Assert.Equal(TimeSpan.FromSeconds(30), options.AttemptTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), options.TotalTimeout);
        Assert.True(options.ThrowOnFailure);
        Assert.Equal(64 * 1024, options.MaxErrorBodyBytes);
        Assert.True(options.RecognizeMetaErrors);
        Assert.Empty(options.Policies);
        Assert.Null(options.Classifier);
        Assert.Null(options.RateLimit.ScopeSelector);
        Assert.Null(options.RateLimit.PermitsPerSecond);
        Assert.Equal(1000, options.RateLimit.QueueLimit);
        Assert.True(options.RetryBudget.Enabled);
        Assert.Equal(0.2, options.RetryBudget.MaxRetryRatio);
        Assert.Equal(10, options.RetryBudget.MinRetriesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RetryBudget.Window);
        Assert.True(options.CircuitBreaker.Enabled);
        Assert.Equal(0.5, options.CircuitBreaker.FailureRatio);
        Assert.Equal(20, options.CircuitBreaker.MinimumThroughput);
        Assert.Equal(TimeSpan.FromSeconds(30), options.CircuitBreaker.SamplingDuration);
        Assert.Equal(TimeSpan.FromSeconds(5), options.CircuitBreaker.BreakDuration);
        Assert.False(options.CircuitBreaker.PerAuthority);
    }

    [Fact]
    public void Defaults_AreValid()
    {
        Assert.True(Validate(new InteractionsResilienceOptions()).Succeeded);
    }

    public static TheoryData<string, Action<InteractionsResilienceOptions>> InvalidSettings() => new()
    {
        { "Retry:MaxRetryAttempts", o => o.Retry.MaxRetryAttempts = -1 },
        { "Retry:MaxRetryAttempts", o => o.Retry.MaxRetryAttempts = 101 },
        { "Retry:BaseDelay", o => o.Retry.BaseDelay = TimeSpan.FromSeconds(-1) },
        { "Retry:MaxDelay", o => o.Retry.MaxDelay = TimeSpan.FromDays(2) },
        { "Retry:MaxDelay", o => { o.Retry.BaseDelay = TimeSpan.FromSeconds(10); o.Retry.MaxDelay = TimeSpan.FromSeconds(5); } },
        { "RateLimit:MaxRetryAttempts", o => o.RateLimit.MaxRetryAttempts = -3 },
        { "RateLimit:DefaultDelay", o => o.RateLimit.DefaultDelay = TimeSpan.FromMilliseconds(-1) },
        { "Idempotency:HeaderName", o => o.Idempotency.HeaderName = "" },
        { "Idempotency:HeaderName", o => o.Idempotency.HeaderName = "Bad Header:" },
        { "Idempotency:HeaderName", o => o.Idempotency.HeaderName = "Content-Type" },
        { "MaxWait", o => o.MaxWait = TimeSpan.FromSeconds(-5) },
        { "PinCooldown", o => o.PinCooldown = TimeSpan.FromSeconds(-5) },
        { "RegistrationCooldown", o => o.RegistrationCooldown = TimeSpan.FromDays(3) },
        { "HaltDuration", o => o.HaltDuration = TimeSpan.FromSeconds(-1) },
        { "AttemptTimeout", o => o.AttemptTimeout = TimeSpan.Zero },
        { "AttemptTimeout", o => o.AttemptTimeout = TimeSpan.FromMilliseconds(5) },
        { "TotalTimeout", o => o.TotalTimeout = TimeSpan.FromSeconds(-1) },
        { "TotalTimeout", o => { o.AttemptTimeout = TimeSpan.FromSeconds(30); o.TotalTimeout = TimeSpan.FromSeconds(10); } },
        { "MaxErrorBodyBytes", o => o.MaxErrorBodyBytes = -1 },
        { "MaxErrorBodyBytes", o => o.MaxErrorBodyBytes = 64 * 1024 * 1024 },
        { "RateLimit:PermitsPerSecond", o => o.RateLimit.PermitsPerSecond = 0 },
        { "RateLimit:QueueLimit", o => o.RateLimit.QueueLimit = -1 },
        { "RetryBudget:MaxRetryRatio", o => o.RetryBudget.MaxRetryRatio = double.NaN },
        { "RetryBudget:MaxRetryRatio", o => o.RetryBudget.MaxRetryRatio = -0.1 },
        { "RetryBudget:MinRetriesPerSecond", o => o.RetryBudget.MinRetriesPerSecond = -1 },
        { "RetryBudget:Window", o => o.RetryBudget.Window = TimeSpan.FromSeconds(31) },
        { "RetryBudget:Window", o => o.RetryBudget.Window = TimeSpan.FromMilliseconds(1500) },
        { "CircuitBreaker:FailureRatio", o => o.CircuitBreaker.FailureRatio = 0 },
        { "CircuitBreaker:FailureRatio", o => o.CircuitBreaker.FailureRatio = 1.5 },
        { "CircuitBreaker:MinimumThroughput", o => o.CircuitBreaker.MinimumThroughput = 1 },
        { "CircuitBreaker:SamplingDuration", o => o.CircuitBreaker.SamplingDuration = TimeSpan.Zero },
        { "CircuitBreaker:BreakDuration", o => o.CircuitBreaker.BreakDuration = TimeSpan.Zero },
        { "Policies:31006", o => o.Policies["31006"] = InteractionsPolicy.Retry },
        { "Policies:099999", o => o.Policies["099999"] = InteractionsPolicy.Retry },
        { "Policies:031006", o => o.Policies["031006"] = (InteractionsPolicy)42 },
        { "Policies:060001", o => o.Policies["060001"] = InteractionsPolicy.Cooldown },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Validate_InvalidSetting_FailsNamingTheSetting(string setting, Action<InteractionsResilienceOptions> change)
    {
        var options = new InteractionsResilienceOptions();
        change(options);

        var result = Validate(options);

        Assert.True(result.Failed);
        Assert.Contains(setting, result.FailureMessage);
    }

    [Fact]
    public void CreateClient_InvalidOptions_ThrowsOptionsValidationExceptionBeforeAnyRequest()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("c").AddInteractionsResilience(o => o.Retry.MaxRetryAttempts = -1);
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IHttpClientFactory>().CreateClient("c"));

        Assert.Contains("Retry:MaxRetryAttempts", ex.Message);
    }

    [Fact]
    public void StartValidation_InvalidOptions_FailsAtStartUp()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("c").AddInteractionsResilience(o => o.TotalTimeout = TimeSpan.FromSeconds(1));
        using var provider = services.BuildServiceProvider();

        // What the generic host does on start with ValidateOnStart.
        var validator = provider.GetRequiredService<IStartupValidator>();

        var ex = Assert.Throws<OptionsValidationException>(validator.Validate);
        Assert.Contains("TotalTimeout", ex.Message);
    }

    [Fact]
    public void Bind_FromConfiguration_ReadsEverySettingByItsName()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["R:Retry:MaxRetryAttempts"] = "5",
            ["R:Retry:BaseDelay"] = "00:00:00.200",
            ["R:Retry:MaxDelay"] = "00:00:05",
            ["R:Retry:UseJitter"] = "false",
            ["R:RateLimit:MaxRetryAttempts"] = "7",
            ["R:RateLimit:DefaultDelay"] = "00:00:02",
            ["R:Idempotency:GenerateKeys"] = "false",
            ["R:Idempotency:HeaderName"] = "X-Key",
            ["R:MaxWait"] = "00:00:45",
            ["R:PinCooldown"] = "00:00:10",
            ["R:RegistrationCooldown"] = "00:01:00",
            ["R:HaltDuration"] = "00:00:20",
            ["R:AttemptTimeout"] = "00:00:08",
            ["R:TotalTimeout"] = "00:00:40",
            ["R:ThrowOnFailure"] = "false",
            ["R:MaxErrorBodyBytes"] = "1024",
            ["R:RecognizeMetaErrors"] = "false",
            ["R:Policies:031006"] = "Retry",
            ["R:Policies:010002"] = "FailFast",
            ["R:RateLimit:PermitsPerSecond"] = "80",
            ["R:RateLimit:QueueLimit"] = "50",
            ["R:RetryBudget:Enabled"] = "false",
            ["R:RetryBudget:MaxRetryRatio"] = "0.5",
            ["R:CircuitBreaker:MinimumThroughput"] = "40",
            ["R:CircuitBreaker:BreakDuration"] = "00:00:15",
            ["R:CircuitBreaker:PerAuthority"] = "true",
        }).Build();
        var services = new ServiceCollection();
        services.AddHttpClient("bound").AddInteractionsResilience(configuration.GetSection("R"));
        services.AddHttpClient("other").AddInteractionsResilience(o => o.MaxWait = TimeSpan.FromSeconds(5));
        using var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<IOptionsMonitor<InteractionsResilienceOptions>>();

        var o = monitor.Get("bound");

        Assert.Equal(5, o.Retry.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(200), o.Retry.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(5), o.Retry.MaxDelay);
        Assert.False(o.Retry.UseJitter);
        Assert.Equal(7, o.RateLimit.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(2), o.RateLimit.DefaultDelay);
        Assert.False(o.Idempotency.GenerateKeys);
        Assert.Equal("X-Key", o.Idempotency.HeaderName);
        Assert.Equal(TimeSpan.FromSeconds(45), o.MaxWait);
        Assert.Equal(TimeSpan.FromSeconds(10), o.PinCooldown);
        Assert.Equal(TimeSpan.FromMinutes(1), o.RegistrationCooldown);
        Assert.Equal(TimeSpan.FromSeconds(20), o.HaltDuration);
        Assert.Equal(TimeSpan.FromSeconds(8), o.AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(40), o.TotalTimeout);
        Assert.False(o.ThrowOnFailure);
        Assert.Equal(1024, o.MaxErrorBodyBytes);
        Assert.False(o.RecognizeMetaErrors);
        Assert.Equal(InteractionsPolicy.Retry, o.Policies["031006"]);
        Assert.Equal(InteractionsPolicy.FailFast, o.Policies["010002"]);
        Assert.Equal(80, o.RateLimit.PermitsPerSecond);
        Assert.Equal(50, o.RateLimit.QueueLimit);
        Assert.False(o.RetryBudget.Enabled);
        Assert.Equal(0.5, o.RetryBudget.MaxRetryRatio);
        Assert.Equal(40, o.CircuitBreaker.MinimumThroughput);
        Assert.Equal(TimeSpan.FromSeconds(15), o.CircuitBreaker.BreakDuration);
        Assert.True(o.CircuitBreaker.PerAuthority);

        // Named options: the other client keeps its own settings.
        Assert.Equal(TimeSpan.FromSeconds(5), monitor.Get("other").MaxWait);
        Assert.Equal(3, monitor.Get("other").Retry.MaxRetryAttempts);
    }

    [Fact]
    public void AddInteractionsResilience_NullArguments_Throw()
    {
        var builder = new ServiceCollection().AddHttpClient("c");

        Assert.Throws<ArgumentNullException>(() => ((IHttpClientBuilder)null!).AddInteractionsResilience());
        Assert.Throws<ArgumentNullException>(() => builder.AddInteractionsResilience((Action<InteractionsResilienceOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddInteractionsResilience((IConfigurationSection)null!));
    }

    private static ValidateOptionsResult Validate(InteractionsResilienceOptions options)
    {
        var services = new ServiceCollection();
        services.AddHttpClient("c").AddInteractionsResilience();
        using var provider = services.BuildServiceProvider();
        var validators = provider.GetServices<IValidateOptions<InteractionsResilienceOptions>>().ToList();
        Assert.Single(validators);
        return validators[0].Validate("c", options);
    }
}

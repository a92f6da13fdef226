using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Interactions.Resilience.Redis.Tests;

/// <summary>What <c>WithRedisCoordination</c> registers and refuses; no Redis needed.</summary>
public sealed class RegistrationTests
{
    [Fact]
    public void Options_Defaults()
    {
        var options = new InteractionsRedisCoordinationOptions();

        Assert.Equal("interactions:resilience:pauses", options.Channel);
        Assert.Equal("interactions:resilience:pause:", options.KeyPrefix);
        Assert.Equal(TimeSpan.FromSeconds(1), options.PublishTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), options.StartupTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.PaceTimeout);
    }

    [Fact]
    public void WithRedisCoordination_BeforeAddInteractionsResilience_Throws()
    {
        var services = new ServiceCollection();

        var ex = Assert.Throws<InvalidOperationException>(() => services.AddHttpClient("sms").WithRedisCoordination("127.0.0.1:1"));

        Assert.Contains("AddInteractionsResilience()", ex.Message);
    }

    [Fact]
    public void WithRedisCoordination_TwoClientsOnTwoRedisConnections_Throws()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("sms").AddInteractionsResilience().WithRedisCoordination("127.0.0.1:1");

        Assert.Throws<InvalidOperationException>(() => services.AddHttpClient("mail").AddInteractionsResilience().WithRedisCoordination("127.0.0.1:2"));
        services.AddHttpClient("push").AddInteractionsResilience().WithRedisCoordination("127.0.0.1:1"); // the same one is fine
    }

    [Fact]
    public void WithRedisCoordination_MalformedConnectionString_ThrowsAtRegistration()
    {
        var services = new ServiceCollection();

        Assert.ThrowsAny<ArgumentException>(() => services.AddHttpClient("sms").AddInteractionsResilience().WithRedisCoordination("127.0.0.1:1,noSuchSetting=1"));
        Assert.ThrowsAny<ArgumentException>(() => services.AddHttpClient("sms").AddInteractionsResilience().WithRedisCoordination(" "));
    }

    [Fact]
    public void WithRedisCoordination_FromServicesWithoutAMultiplexer_CreateClientSaysWhatIsMissing()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("sms").AddInteractionsResilience().WithRedisCoordination();
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IHttpClientFactory>().CreateClient("sms"));

        Assert.Contains("IConnectionMultiplexer", ex.Message);
    }

    [Fact]
    public void WithRedisCoordination_InvalidOptions_FailWithTheSettingsName()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("sms").AddInteractionsResilience().WithRedisCoordination("127.0.0.1:1", o =>
        {
            o.Channel = "";
            o.PublishTimeout = TimeSpan.Zero;
            o.PaceTimeout = TimeSpan.FromSeconds(6);
        });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<InteractionsRedisCoordinationOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.Contains("Channel"));
        Assert.Contains(ex.Failures, f => f.Contains("PublishTimeout"));
        Assert.Contains(ex.Failures, f => f.Contains("PaceTimeout"));
    }

    [Fact]
    public void WithRedisCoordination_OnlyTheClientsThatAskForIt_AreCoordinated()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("sms").AddInteractionsResilience().WithRedisCoordination("127.0.0.1:1");
        services.AddHttpClient("push").AddInteractionsResilience().WithRedisCoordination("127.0.0.1:1");
        services.AddHttpClient("mail").AddInteractionsResilience();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<InteractionsRedisCoordinationOptions>>().Value;

        Assert.Equal(["push", "sms"], options.ClientNames.Order());
    }
}

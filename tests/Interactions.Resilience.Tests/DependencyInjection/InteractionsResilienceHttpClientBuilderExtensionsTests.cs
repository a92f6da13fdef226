using System.Net;
using Interactions.Resilience.Exceptions.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Interactions.Resilience.Tests.DependencyInjection;

public class InteractionsResilienceHttpClientBuilderExtensionsTests
{
    [Fact]
    public void AddInteractionsResilience_SectionAndCode_BindsTheSectionThenAppliesTheCode()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["R:MaxWait"] = "00:00:45",
            ["R:Retry:MaxRetryAttempts"] = "5",
        }).Build();
        Func<HttpRequestMessage, string?> scope = static r => r.Headers.TryGetValues("X-Sender", out var v) ? v.First() : null;
        var services = new ServiceCollection();
        services.AddHttpClient("c").AddInteractionsResilience(configuration.GetSection("R"), o =>
        {
            o.RateLimit.ScopeSelector = scope;
            o.Retry.MaxRetryAttempts = 7; // code wins over the section
        });
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<InteractionsResilienceOptions>>().Get("c");

        Assert.Equal(TimeSpan.FromSeconds(45), options.MaxWait);
        Assert.Equal(7, options.Retry.MaxRetryAttempts);
        Assert.Same(scope, options.RateLimit.ScopeSelector);
    }

    [Fact]
    public void AddInteractionsResilience_SectionAndCode_InvalidResultFailsAtStartUp()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["R:MaxWait"] = "00:00:45" }).Build();
        var services = new ServiceCollection();
        services.AddHttpClient("c").AddInteractionsResilience(configuration.GetSection("R"), o => o.Retry.MaxRetryAttempts = -1);
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IStartupValidator>().Validate);

        Assert.Contains("Retry:MaxRetryAttempts", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddInteractionsResilience_SectionAndCode_NullArgumentsThrow()
    {
        var builder = new ServiceCollection().AddHttpClient("c");
        var section = new ConfigurationBuilder().Build().GetSection("R");

        Assert.Throws<ArgumentNullException>(() => ((IHttpClientBuilder)null!).AddInteractionsResilience(section, _ => { }));
        Assert.Throws<ArgumentNullException>(() => builder.AddInteractionsResilience(null!, _ => { }));
        Assert.Throws<ArgumentNullException>(() => builder.AddInteractionsResilience(section, null!));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StandardHandler_OnTheSameClient_RetriesNoFailureAndCountsNoAnswerOfOurs(bool standardFirst)
    {
        var services = new ServiceCollection();
        var builder = services.AddHttpClient("c");
        if (standardFirst)
        {
            builder.AddStandardResilienceHandler();
            builder.AddInteractionsResilience();
        }
        else
        {
            builder.AddInteractionsResilience();
            builder.AddStandardResilienceHandler();
        }

        using var provider = services.BuildServiceProvider();
        var standard = provider.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>().Get("c-standard");
        var ours = Ours();
        using var serverError = new HttpResponseMessage(HttpStatusCode.InternalServerError);
        using var ok = new HttpResponseMessage(HttpStatusCode.OK);

        Assert.False(await Retries(standard, Outcome.FromException<HttpResponseMessage>(ours)));
        Assert.False(await Retries(standard, Outcome.FromException<HttpResponseMessage>(new HttpRequestException("connection refused"))));
        Assert.False(await Retries(standard, Outcome.FromResult(serverError)));
        Assert.False(await Retries(standard, Outcome.FromResult(ok)));
        Assert.False(await Counts(standard, Outcome.FromException<HttpResponseMessage>(ours)));
        Assert.True(await Counts(standard, Outcome.FromResult(serverError))); // a raw server failure, seen inside ours
    }

    [Fact]
    public async Task StandardHandler_OnAnotherClient_KeepsItsDefaults()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("ours").AddInteractionsResilience();
        services.AddHttpClient("other").AddStandardResilienceHandler();
        using var provider = services.BuildServiceProvider();
        var standard = provider.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>().Get("other-standard");

        Assert.True(await Retries(standard, Outcome.FromException<HttpResponseMessage>(Ours())));
    }

    private static InteractionsException Ours()
        => InteractionsExceptionFactory.Create(InteractionsError.Local(InteractionsErrorCode.TemplateIsPaused), attempts: 1, retryAfter: null, requestUri: null);

    private static ValueTask<bool> Retries(HttpStandardResilienceOptions options, Outcome<HttpResponseMessage> outcome)
        => options.Retry.ShouldHandle(new RetryPredicateArguments<HttpResponseMessage>(ResilienceContextPool.Shared.Get(), outcome, 0));

    private static ValueTask<bool> Counts(HttpStandardResilienceOptions options, Outcome<HttpResponseMessage> outcome)
        => options.CircuitBreaker.ShouldHandle(new CircuitBreakerPredicateArguments<HttpResponseMessage>(ResilienceContextPool.Shared.Get(), outcome));
}

using System.Net;
using Interactions.Resilience.IntegrationTests.TestSupport;
using Interactions.Resilience.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Interactions.Resilience.IntegrationTests.DependencyInjection;

/// <summary>
/// <c>AddStandardResilienceHandler()</c> on the same client as <c>AddInteractionsResilience()</c>, registered before
/// ours (outside) or after it (inside), over real HTTP: the server sees exactly the calls that ours alone makes, and
/// the app gets the same answer.
/// </summary>
public sealed class StandardHandlerStackingTests : IClassFixture<SimulatorFixture>
{
    private const string Name = "stacked";

    private readonly InteractionsSimulator _simulator;

    public StandardHandlerStackingTests(SimulatorFixture fixture)
    {
        _simulator = fixture.Simulator;
        _simulator.Reset();
    }

    public enum Order
    {
        OursAlone,
        StandardOutside,
        StandardInside,
    }

    public static TheoryData<Order> EveryOrder() => new() { Order.OursAlone, Order.StandardOutside, Order.StandardInside };

    [Theory]
    [MemberData(nameof(EveryOrder))]
    public async Task Send_Ok_IsOneCallAndASuccess(Order order)
    {
        using var app = new StackedApp(_simulator.BaseAddress, order);

        using var response = await app.Client.GetAsync(new Uri("v1/status", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _simulator.RequestCount);
    }

    [Theory]
    [MemberData(nameof(EveryOrder))]
    public async Task Send_FailFast031006_IsOneCallAndTheTemplateException(Order order)
    {
        using var app = new StackedApp(_simulator.BaseAddress, order);
        _simulator.FailNext(1, InteractionsErrorCode.TemplateIsPaused); // the next call would succeed: a re-send would hide the error

        var ex = await Assert.ThrowsAsync<InteractionsTemplateException>(() => app.Client.GetAsync(new Uri("v1/status", UriKind.Relative)));

        Assert.Equal(InteractionsErrorCode.TemplateIsPaused, ex.Code);
        Assert.Equal(1, ex.Attempts);
        Assert.Equal(1, _simulator.RequestCount);
    }

    [Theory]
    [MemberData(nameof(EveryOrder))]
    public async Task Send_TenFailFast031006InARow_IsTenCallsAndNeverOpensTheStandardBreaker(Order order)
    {
        using var app = new StackedApp(_simulator.BaseAddress, order, eagerStandardBreaker: true);
        _simulator.FailNext(10, InteractionsErrorCode.TemplateIsPaused);

        for (var i = 0; i < 10; i++)
        {
            await Assert.ThrowsAsync<InteractionsTemplateException>(() => app.Client.GetAsync(new Uri("v1/status", UriKind.Relative)));
        }

        // The standard breaker here opens at 10 % of 2 calls: had it counted our answers, this would be refused.
        using var response = await app.Client.GetAsync(new Uri("v1/status", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(11, _simulator.RequestCount);
    }

    [Theory]
    [MemberData(nameof(EveryOrder))]
    public async Task Send_HaltCode010002_IsOneCallThenFailsLocally(Order order)
    {
        using var app = new StackedApp(_simulator.BaseAddress, order);
        _simulator.FailNext(1, InteractionsErrorCode.TemporarilyBlocked);

        var first = await Assert.ThrowsAsync<InteractionsGeneralException>(() => app.Client.GetAsync(new Uri("v1/status", UriKind.Relative)));
        var second = await Assert.ThrowsAsync<InteractionsGeneralException>(() => app.Client.GetAsync(new Uri("v1/status", UriKind.Relative)));

        Assert.Equal(InteractionsErrorCode.TemporarilyBlocked, first.Code);
        Assert.Equal(1, first.Attempts);
        Assert.Equal(InteractionsErrorCode.TemporarilyBlocked, second.Code);
        Assert.Equal(0, second.Attempts);
        Assert.Equal(1, _simulator.RequestCount);
    }

    [Theory]
    [MemberData(nameof(EveryOrder))]
    public async Task Send_Retry060001Always_IsOursFourCallsAndTheServerException(Order order)
    {
        using var app = new StackedApp(_simulator.BaseAddress, order);
        _simulator.FailNext(20, InteractionsErrorCode.InternalServerError);

        var ex = await Assert.ThrowsAsync<InteractionsServerException>(() => app.Client.GetAsync(new Uri("v1/status", UriKind.Relative)));

        Assert.Equal(InteractionsErrorCode.InternalServerError, ex.Code);
        Assert.Equal(4, ex.Attempts);
        Assert.Equal(4, _simulator.RequestCount);
    }

    [Theory]
    [MemberData(nameof(EveryOrder))]
    public async Task Send_Retry060001Once_IsTwoCallsAndASuccess(Order order)
    {
        using var app = new StackedApp(_simulator.BaseAddress, order);
        _simulator.FailNext(1, InteractionsErrorCode.InternalServerError);

        using var response = await app.Client.GetAsync(new Uri("v1/status", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _simulator.RequestCount);
    }

    [Theory]
    [MemberData(nameof(EveryOrder))]
    public async Task Send_Retry060001WithoutThrowing_IsOursFourCallsAndTheErrorResponse(Order order)
    {
        using var app = new StackedApp(_simulator.BaseAddress, order, o => o.ThrowOnFailure = false);
        _simulator.FailNext(20, InteractionsErrorCode.InternalServerError);

        using var response = await app.Client.GetAsync(new Uri("v1/status", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(InteractionsErrorCode.InternalServerError, response.GetInteractionsError()?.Code);
        Assert.Equal(4, _simulator.RequestCount);
    }

    [Fact]
    public void CreateClient_WithStandardHedging_IsRefusedNamingBothHandlers()
    {
        var services = new ServiceCollection();
        services.AddHttpClient(Name, c => c.BaseAddress = _simulator.BaseAddress)
            .AddInteractionsResilience()
            .AddStandardHedgingHandler();
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IStartupValidator>().Validate);

        Assert.Contains("AddStandardHedgingHandler", ex.Message);
        Assert.Contains($"'{Name}'", ex.Message);
        Assert.Equal(0, _simulator.RequestCount);
    }

    /// <summary>One app's client with the order under test; both handlers with millisecond delays.</summary>
    private sealed class StackedApp : IDisposable
    {
        private readonly ServiceProvider _services;

        public StackedApp(Uri baseAddress, Order order, Action<InteractionsResilienceOptions>? configure = null, bool eagerStandardBreaker = false)
        {
            Action<HttpStandardResilienceOptions> standard = o =>
            {
                o.Retry.Delay = TimeSpan.FromMilliseconds(1); // the standard's 3 retries, with short delays
                if (eagerStandardBreaker)
                {
                    // Opens on the second failure it counts. Inside ours it still counts the server's raw 5xx (fewer
                    // calls, never more), so only the tests of answers that must not count use it.
                    o.CircuitBreaker.MinimumThroughput = 2;
                    o.CircuitBreaker.FailureRatio = 0.1;
                }
            };

            var services = new ServiceCollection();
            var builder = services.AddHttpClient(Name, c => c.BaseAddress = baseAddress);
            if (order == Order.StandardOutside)
            {
                builder.AddStandardResilienceHandler(standard);
            }

            builder.AddInteractionsResilience(o =>
            {
                SimulatorClient.ApplyFastTimings(o);
                configure?.Invoke(o);
            });

            if (order == Order.StandardInside)
            {
                builder.AddStandardResilienceHandler(standard);
            }

            _services = services.BuildServiceProvider();
            _services.GetRequiredService<IStartupValidator>().Validate();
            Client = _services.GetRequiredService<IHttpClientFactory>().CreateClient(Name);
        }

        public HttpClient Client { get; }

        public void Dispose()
        {
            Client.Dispose();
            _services.Dispose();
        }
    }
}

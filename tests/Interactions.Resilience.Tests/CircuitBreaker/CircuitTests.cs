using Interactions.Resilience.CircuitBreaker.Internal;
using Interactions.Resilience.Health.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Interactions.Resilience.Tests.CircuitBreaker;

/// <summary>One circuit, and a client's set of them, on fake time: opens on half of twenty, breaks, lets one trial through.</summary>
public class CircuitTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly InteractionsCircuitBreakerOptions _options = new();

    [Fact]
    public void OnFailure_HalfOfTwentyFailed_Opens_ForTheBreak_ThenOneTrial()
    {
        var health = new HealthWindow(_time);
        var circuit = new Circuit(_options, _time, health);
        for (var i = 0; i < 10; i++)
        {
            circuit.OnSuccess(health.Now, HealthWindow.Kind.Success, recordHealth: true);
        }

        for (var i = 0; i < 9; i++)
        {
            circuit.OnFailure(retryAfter: null);
        }

        Assert.True(circuit.IsClosed); // 9 of 19: not yet

        circuit.OnFailure(retryAfter: null);
        Assert.False(circuit.TryEnter(out var left));
        Assert.Equal(TimeSpan.FromSeconds(5), left);

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(circuit.TryEnter(out _)); // the trial
        Assert.False(circuit.TryEnter(out _)); // one at a time

        circuit.OnSuccess(health.Now, HealthWindow.Kind.Answered, recordHealth: true);
        Assert.True(circuit.IsClosed);
    }

    [Fact]
    public void OnFailure_TrialFails_OpensAgain_ForTheServersLongerRetryAfter()
    {
        var circuit = Opened();
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(circuit.TryEnter(out _));

        circuit.OnFailure(TimeSpan.FromSeconds(12));

        Assert.False(circuit.TryEnter(out var left));
        Assert.Equal(TimeSpan.FromSeconds(12), left);
    }

    [Fact]
    public void TryEnter_TrialThatNeverReports_IsReplacedAfterABreak()
    {
        var circuit = Opened();
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(circuit.TryEnter(out _)); // a trial that is cancelled and never reports

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.True(circuit.TryEnter(out _));
    }

    [Fact]
    public void Circuits_PerAuthority_OneCircuitPerHost_Disabled_None()
    {
        var perHost = new Circuits(new InteractionsCircuitBreakerOptions { PerAuthority = true }, _time, new HealthWindow(_time));
        var off = new Circuits(new InteractionsCircuitBreakerOptions { Enabled = false }, _time, new HealthWindow(_time));
        var client = new Circuits(_options, _time, new HealthWindow(_time));
        using var a = new HttpRequestMessage(HttpMethod.Get, "http://a.example/x");
        using var a2 = new HttpRequestMessage(HttpMethod.Get, "http://A.example/y");
        using var b = new HttpRequestMessage(HttpMethod.Get, "http://b.example/x");

        Assert.Same(perHost.For(a), perHost.For(a2));
        Assert.NotSame(perHost.For(a), perHost.For(b));
        Assert.Null(off.For(a));
        Assert.Same(client.For(a), client.For(b));
        Assert.Equal(["a.example", "b.example"], perHost.ByAuthority.Select(p => p.Key).Order());
        Assert.Same(perHost.For(b), perHost.ByAuthority.Single(p => p.Key == "b.example").Value);
        var whole = Assert.Single(client.ByAuthority); // the client's circuit, shown without an authority
        Assert.Null(whole.Key);
        Assert.Same(client.For(a), whole.Value);
        Assert.Empty(off.ByAuthority);
    }

    [Fact]
    public void TryEnter_Closed_LetsEveryRequestThrough_WithNoBreak()
    {
        var circuit = new Circuit(_options, _time, new HealthWindow(_time));

        Assert.True(circuit.TryEnter(out var left));
        Assert.True(circuit.TryEnter(out _));
        Assert.Equal(TimeSpan.Zero, left);
        Assert.False(circuit.IsOpen(out _));
    }

    [Fact]
    public void IsOpen_ShowsTheBreakLeft_ThenNoneOnceTheTrialIsUnderWay()
    {
        var circuit = Opened();
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(circuit.IsOpen(out var left));
        Assert.Equal(TimeSpan.FromSeconds(3), left);

        _time.Advance(TimeSpan.FromSeconds(4)); // past the break: the next request is the trial
        Assert.True(circuit.TryEnter(out _));

        Assert.True(circuit.IsOpen(out left)); // half-open: still not closed, but no break left to show
        Assert.Equal(TimeSpan.Zero, left);
    }

    [Fact]
    public void Reset_ClosesAtOnce_AndForgetsTheFailuresThatOpenedIt()
    {
        var circuit = Opened();

        Assert.True(circuit.Reset());

        Assert.True(circuit.IsClosed);
        Assert.True(circuit.TryEnter(out _));
        circuit.OnFailure(retryAfter: null); // one failure after the reset: 1 of 1, under the minimum throughput
        Assert.True(circuit.IsClosed);
        Assert.False(circuit.Reset()); // nothing to reset
    }

    [Fact]
    public void OnSuccess_TrialSucceeds_Closes_AndForgetsTheFailuresBeforeIt()
    {
        var health = new HealthWindow(_time);
        var circuit = Opened(health); // 20 failures in the window
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(circuit.TryEnter(out _));

        circuit.OnSuccess(health.Now, HealthWindow.Kind.Success, recordHealth: true);
        circuit.OnFailure(retryAfter: null); // with the old 20 failures remembered, 21 of 22 would open it again

        Assert.True(circuit.IsClosed);
    }

    private Circuit Opened(HealthWindow? health = null)
    {
        var circuit = new Circuit(_options, _time, health ?? new HealthWindow(_time));
        for (var i = 0; i < _options.MinimumThroughput; i++)
        {
            circuit.OnFailure(retryAfter: null);
        }

        Assert.False(circuit.IsClosed);
        return circuit;
    }
}

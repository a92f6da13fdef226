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
        Assert.Equal(2, perHost.All.Count());
    }

    private Circuit Opened()
    {
        var circuit = new Circuit(_options, _time, new HealthWindow(_time));
        for (var i = 0; i < _options.MinimumThroughput; i++)
        {
            circuit.OnFailure(retryAfter: null);
        }

        Assert.False(circuit.IsClosed);
        return circuit;
    }
}

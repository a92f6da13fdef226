using System.Text;
using Interactions.Resilience.Redis.Internal;

namespace Interactions.Resilience.Redis.Tests;

/// <summary>The wire form of a pause and the key it is kept under; no Redis needed.</summary>
public sealed class PauseMessageTests
{
    private static readonly DateTimeOffset Until = new(2026, 11, 28, 12, 0, 2, TimeSpan.Zero);

    [Theory]
    [InlineData(null)]
    [InlineData("+111")]
    public void Write_ThenRead_GivesThePauseAndTheInstance(string? scope)
    {
        var pause = new InteractionsPause("sms", scope, InteractionsErrorCode.RateLimitExceeded, Until);

        Assert.True(PauseMessage.TryRead(PauseMessage.Write("instance-1", pause), out var instance, out var read));

        Assert.Equal("instance-1", instance);
        Assert.Equal(pause, read);
    }

    [Fact]
    public void Write_IsReadableJson()
        => Assert.Equal(
            """{"v":1,"instance":"i","client":"sms","scope":"+111","code":"010002","until":"2026-11-28T12:00:02.0000000+00:00"}""",
            Encoding.UTF8.GetString(PauseMessage.Write("i", new InteractionsPause("sms", "+111", InteractionsErrorCode.TemporarilyBlocked, Until))));

    [Theory]
    [InlineData("")]
    [InlineData("{not json")]
    [InlineData("[]")]
    [InlineData("""{"v":"1","instance":"i","client":"sms","scope":null,"code":"030003","until":"2026-11-28T12:00:02.0000000+00:00"}""")]
    [InlineData("""{"v":2,"instance":"i","client":"sms","scope":null,"code":"030003","until":"2026-11-28T12:00:02.0000000+00:00"}""")]
    [InlineData("""{"v":1,"client":"sms","scope":null,"code":"030003","until":"2026-11-28T12:00:02.0000000+00:00"}""")]
    [InlineData("""{"v":1,"instance":"i","client":"sms","scope":null,"code":"999999","until":"2026-11-28T12:00:02.0000000+00:00"}""")]
    [InlineData("""{"v":1,"instance":"i","client":"sms","scope":7,"code":"030003","until":"2026-11-28T12:00:02.0000000+00:00"}""")]
    [InlineData("""{"v":1,"instance":"i","client":"sms","scope":null,"code":"030003","until":"tomorrow"}""")]
    public void Read_AnythingElse_IsRefused(string json)
        => Assert.False(PauseMessage.TryRead(Encoding.UTF8.GetBytes(json), out _, out _));

    [Theory]
    [InlineData("{not json", PauseMessage.Malformed)]
    [InlineData("""{"v":2,"instance":"i","client":"sms","scope":null,"code":"030003","until":"2026-11-28T12:00:02.0000000+00:00"}""", PauseMessage.UnknownVersion)]
    [InlineData("""{"v":1,"instance":"i","client":"sms","scope":null,"code":"999999","until":"2026-11-28T12:00:02.0000000+00:00"}""", PauseMessage.Malformed)]
    public void Read_Refused_SaysWhy(string json, string reason)
    {
        Assert.False(PauseMessage.TryRead(Encoding.UTF8.GetBytes(json), out _, out _, out var why));
        Assert.Equal(reason, why);
    }

    [Fact]
    public void Read_LongerThanMaxBytes_IsRefusedAsOversized_EvenWhenItIsAPause()
    {
        var pause = new InteractionsPause("sms", new string('x', PauseMessage.MaxBytes), InteractionsErrorCode.RateLimitExceeded, Until);

        Assert.False(PauseMessage.TryRead(PauseMessage.Write("i", pause), out _, out _, out var why));
        Assert.Equal(PauseMessage.Oversized, why);
    }

    [Fact]
    public void Key_EscapesClientAndScope_AndMarksTheWholeClientWithAStar()
    {
        Assert.Equal("p:sms:*:030003", PauseKeys.For("p:", new InteractionsPause("sms", null, InteractionsErrorCode.RateLimitExceeded, Until)));
        Assert.Equal("p:a%3Ab:%2B1%3A2:030003", PauseKeys.For("p:", new InteractionsPause("a:b", "+1:2", InteractionsErrorCode.RateLimitExceeded, Until)));
        Assert.Equal("p:sms:%2A:030003", PauseKeys.For("p:", new InteractionsPause("sms", "*", InteractionsErrorCode.RateLimitExceeded, Until)));
    }

    [Fact]
    public void Pattern_EscapesGlobCharactersOfThePrefix()
        => Assert.Equal(@"app\*\?\[x\]:*", PauseKeys.Pattern("app*?[x]:"));
}

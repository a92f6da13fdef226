using System.Text;
using Interactions.Resilience.Redis.Internal;

namespace Interactions.Resilience.Redis.Tests;

/// <summary>The wire form of a lift; no Redis needed.</summary>
public sealed class LiftMessageTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData(InteractionsPauseKind.Halt, null)]
    [InlineData(InteractionsPauseKind.RateLimitPause, "+111")]
    public void Write_ThenRead_GivesTheLiftAndTheInstance(InteractionsPauseKind? kind, string? scope)
    {
        Assert.True(LiftMessage.TryRead(LiftMessage.Write("instance-1", new InteractionsPauseLift("sms", kind, scope)), out var instance, out var read));

        Assert.Equal("instance-1", instance);
        Assert.Equal(("sms", kind, scope), (read.ClientName, read.Kind, read.Scope));
    }

    [Fact]
    public void Write_IsReadableJson()
        => Assert.Equal(
            """{"v":1,"type":"lift","instance":"i","client":"sms","kind":"Halt","scope":null}""",
            Encoding.UTF8.GetString(LiftMessage.Write("i", new InteractionsPauseLift("sms", InteractionsPauseKind.Halt, null))));

    [Fact]
    public void ALift_IsNotReadAsAPause_NorAPauseAsALift()
    {
        var lift = LiftMessage.Write("i", new InteractionsPauseLift("sms", null, null));
        var pause = PauseMessage.Write("i", new InteractionsPause("sms", null, InteractionsErrorCode.TemporarilyBlocked, DateTimeOffset.UnixEpoch));

        Assert.False(PauseMessage.TryRead(lift, out _, out _));
        Assert.False(LiftMessage.TryRead(pause, out _, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{not json")]
    [InlineData("""{"v":2,"type":"lift","instance":"i","client":"sms","kind":null,"scope":null}""")]
    [InlineData("""{"v":"1","type":"lift","instance":"i","client":"sms","kind":null,"scope":null}""")] // once threw, and the message was lost uncounted
    [InlineData("""[1,2]""")]
    [InlineData("""{"v":1.5,"type":"lift","instance":"i","client":"sms","kind":null,"scope":null}""")]
    [InlineData("""{"v":1,"type":"lift","client":"sms","kind":null,"scope":null}""")]
    [InlineData("""{"v":1,"type":"lift","instance":"i","kind":null,"scope":null}""")]
    [InlineData("""{"v":1,"type":"lift","instance":"i","client":"sms","kind":"Everything","scope":null}""")]
    [InlineData("""{"v":1,"type":"lift","instance":"i","client":"sms","kind":"7","scope":null}""")]
    [InlineData("""{"v":1,"type":"lift","instance":"i","client":"sms","kind":null,"scope":7}""")]
    public void Read_AnythingElse_IsRefused(string json)
        => Assert.False(LiftMessage.TryRead(Encoding.UTF8.GetBytes(json), out _, out _));
}

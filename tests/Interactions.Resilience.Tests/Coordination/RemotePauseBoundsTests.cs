using Interactions.Resilience.Coordination.Internal;

namespace Interactions.Resilience.Tests.Coordination;

/// <summary>How long a pause from another instance may stop this one: at most what this instance would impose itself.</summary>
public class RemotePauseBoundsTests
{
    private static readonly TimeSpan Year = TimeSpan.FromDays(365);

    private static readonly InteractionsResilienceOptions Options = new()
    {
        HaltDuration = TimeSpan.FromSeconds(45),
        MaxWait = TimeSpan.FromSeconds(20),
        PinCooldown = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public void Bound_HaltLongerThanHaltDuration_IsCutToHaltDuration()
        => Assert.Equal(TimeSpan.FromSeconds(45), RemotePauseBounds.Bound(InteractionsPolicy.Halt, InteractionsErrorCode.TemporarilyBlocked, Year, Options));

    [Fact]
    public void Bound_HaltShorterThanHaltDuration_IsKept()
        => Assert.Equal(TimeSpan.FromSeconds(3), RemotePauseBounds.Bound(InteractionsPolicy.Halt, InteractionsErrorCode.AccountLocked, TimeSpan.FromSeconds(3), Options));

    [Fact]
    public void Bound_RateLimitLongerThanMaxWait_IsCutToMaxWait()
        => Assert.Equal(TimeSpan.FromSeconds(20), RemotePauseBounds.Bound(InteractionsPolicy.WaitAndRetry, InteractionsErrorCode.RateLimitExceeded, Year, Options));

    [Fact]
    public void Bound_RateLimitShorterThanMaxWait_IsKept()
        => Assert.Equal(TimeSpan.FromMilliseconds(1500), RemotePauseBounds.Bound(InteractionsPolicy.WaitAndRetry, InteractionsErrorCode.RateLimitExceeded, TimeSpan.FromMilliseconds(1500), Options));

    [Fact]
    public void Bound_PinCooldownLongerThanMaxWait_IsCutToMaxWait()
        => Assert.Equal(TimeSpan.FromSeconds(20), RemotePauseBounds.Bound(InteractionsPolicy.Cooldown, InteractionsErrorCode.TwoStepPinGuessedTooFast, Year, Options));

    [Fact]
    public void Bound_RegistrationCooldown_DoesNotPauseHere_IsIgnored()
        => Assert.Null(RemotePauseBounds.Bound(InteractionsPolicy.Cooldown, InteractionsErrorCode.WaitBeforeRegistering, TimeSpan.FromSeconds(5), Options));

    [Theory]
    [InlineData(InteractionsPolicy.FailFast, InteractionsErrorCode.TemplateIsPaused)]
    [InlineData(InteractionsPolicy.Retry, InteractionsErrorCode.InternalServerError)]
    [InlineData(InteractionsPolicy.FailFast, InteractionsErrorCode.RateLimitExceeded)] // 030003 overridden to FailFast here
    public void Bound_CodeWhosePolicyHereDoesNotPause_IsIgnored(InteractionsPolicy policy, InteractionsErrorCode code)
        => Assert.Null(RemotePauseBounds.Bound(policy, code, TimeSpan.FromSeconds(5), Options));

    [Fact]
    public void Bound_CodeOverriddenToHaltHere_IsBoundedByHaltDuration()
        => Assert.Equal(TimeSpan.FromSeconds(45), RemotePauseBounds.Bound(InteractionsPolicy.Halt, InteractionsErrorCode.TemplateIsPaused, Year, Options));

    [Fact]
    public void Bound_NothingLeft_IsIgnored()
    {
        Assert.Null(RemotePauseBounds.Bound(InteractionsPolicy.Halt, InteractionsErrorCode.TemporarilyBlocked, TimeSpan.Zero, Options));
        Assert.Null(RemotePauseBounds.Bound(InteractionsPolicy.WaitAndRetry, InteractionsErrorCode.RateLimitExceeded, TimeSpan.FromSeconds(-1), Options));
    }
}

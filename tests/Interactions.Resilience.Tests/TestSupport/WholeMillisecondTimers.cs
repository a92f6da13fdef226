using Microsoft.Extensions.Time.Testing;

namespace Interactions.Resilience.Tests.TestSupport;

/// <summary>
/// A <see cref="FakeTimeProvider"/> whose timers round their due time down to whole milliseconds, as
/// <see cref="TimeProvider.System"/>'s do: a delay computed from timestamps may then end up to a millisecond
/// before the timestamp it was computed for. (FakeTimeProvider 10 rounds down too; this keeps the tests that rely on
/// it independent of that detail.)
/// </summary>
internal sealed class WholeMillisecondTimers(FakeTimeProvider fake) : TimeProvider
{
    public override long TimestampFrequency => fake.TimestampFrequency;

    public override long GetTimestamp() => fake.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => fake.GetUtcNow();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        => fake.CreateTimer(callback, state, RoundDown(dueTime), period);

    private static TimeSpan RoundDown(TimeSpan dueTime)
        => dueTime == Timeout.InfiniteTimeSpan ? dueTime : TimeSpan.FromMilliseconds(Math.Floor(dueTime.TotalMilliseconds));
}

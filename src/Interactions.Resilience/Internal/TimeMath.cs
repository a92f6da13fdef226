namespace Interactions.Resilience.Internal;

/// <summary>Conversions between <see cref="TimeSpan"/> and <see cref="TimeProvider"/> timestamps.</summary>
internal static class TimeMath
{
    public static long ToTimestampTicks(TimeSpan duration, TimeProvider time)
        => (long)(duration.TotalSeconds * time.TimestampFrequency);

    public static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    public static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

namespace Interactions.Resilience.Tests.TestSupport;

internal static class AssertWait
{
    /// <summary>Asserts a wait measured in fake time, within the harness's step.</summary>
    public static void Equal(TimeSpan expected, TimeSpan actual, TimeSpan tolerance)
        => Assert.True((actual - expected).Duration() <= tolerance, $"Expected a wait of {expected} (± {tolerance}), but it was {actual}.");
}

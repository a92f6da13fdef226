using Interactions.Resilience.RateLimiting.Internal;

namespace Interactions.Resilience.Tests.RateLimiting;

/// <summary>A shared pace that answers what the test says, and counts what it was asked.</summary>
internal sealed class FakeSharedPace(Func<ValueTask<TimeSpan?>> reserve) : ISharedPace
{
    public int Reservations { get; private set; }

    public List<double> QuotaSpentReports { get; } = [];

    public PaceParameters? LastParameters { get; private set; }

    public ValueTask<TimeSpan?> ReserveAsync(string clientName, string? scope, PaceParameters parameters, CancellationToken cancellationToken)
    {
        Reservations++;
        LastParameters = parameters;
        return reserve();
    }

    public int LimitReports { get; private set; }

    public ValueTask OnLimitedAsync(string clientName, string? scope, int minLimits, PaceParameters parameters)
    {
        LimitReports++;
        return ValueTask.CompletedTask;
    }

    public List<TimeSpan> QuotaSpentRestarts { get; } = [];

    public ValueTask OnQuotaSpentAsync(string clientName, string? scope, double localRate, PaceParameters parameters, TimeSpan restartIn)
    {
        QuotaSpentReports.Add(localRate);
        QuotaSpentRestarts.Add(restartIn);
        return ValueTask.CompletedTask;
    }
}

using Interactions.Resilience.Testing;

namespace Interactions.Resilience.Benchmarks.Load;

/// <summary>
/// The burst of work every zoo model gets, and the models. The shape is the issue's: 50 concurrent senders × 4 sends
/// (200), a quota of 20 a second, and for the changing quota 10 → 40 (or 40 → 10) a second after 3 s, so the figures
/// compare with the ones reported there.
/// </summary>
internal static class ZooWork
{
    public const int Senders = 50;
    public const int SendsPerSender = 4;
    public const int Sends = Senders * SendsPerSender;
    public const int Quota = 20;
    public const int LowQuota = 10;
    public const int HighQuota = 40;
    public const double SporadicShare = 0.02;
    public const int Seed = 20_261_202;

    /// <summary>No run waits longer than this: a send still unfinished then counts as failed.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan QuotaChangesAfter = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    /// <summary>The models, in the order they run.</summary>
    public static IReadOnlyList<ZooModel> Models { get; } =
    [
        Windowed("fixed-429", InteractionsRateLimitModel.FixedWindow(Quota).WithStatusCode(429), Quota),
        Windowed("fixed-400", InteractionsRateLimitModel.FixedWindow(Quota), Quota, standardComparedOn: "fixed-429"),
        Windowed("sliding", InteractionsRateLimitModel.SlidingWindow(Quota).WithStatusCode(429), Quota),
        TokenBucket("token-bucket", rate: Quota, burst: Quota),
        Windowed("no-retry-after", InteractionsRateLimitModel.FixedWindow(Quota).WithStatusCode(429).WithoutRetryAfter(), Quota),
        Windowed(
            "raised-4x",
            InteractionsRateLimitModel.FixedWindow(LowQuota).WithRateChange(QuotaChangesAfter, HighQuota).WithStatusCode(429),
            LowQuota,
            HighQuota),
        Windowed(
            "lowered-4x",
            InteractionsRateLimitModel.FixedWindow(HighQuota).WithRateChange(QuotaChangesAfter, LowQuota).WithStatusCode(429),
            HighQuota,
            LowQuota),
        Sporadic("sporadic-ra0", TimeSpan.Zero),
        Sporadic("sporadic-ra1", TimeSpan.FromSeconds(1)),
        new("no-limit", null, ZooModelKind.None, null, 0, "no-limit"),
    ];

    /// <summary>
    /// Models run only when <c>--models</c> names them. <c>token-bucket-small</c> holds half a second's tokens: a client
    /// that waits out the whole-second <c>Retry-After</c> and then sends at once finds 10 tokens, not 20, each second, so
    /// only a client that paces its sends evenly gets the quota.
    /// </summary>
    public static IReadOnlyList<ZooModel> Extra { get; } =
    [
        TokenBucket("token-bucket-small", rate: Quota, burst: Quota / 2),
    ];

    /// <summary>
    /// A fixed or sliding window of <paramref name="rate"/> a second (then <paramref name="rateAfterChange"/> from
    /// <see cref="QuotaChangesAfter"/>): an ideal client fills each window as it opens, at 0 s, 1 s, 2 s, …, so the burst
    /// ends when the window that holds its last send opens.
    /// </summary>
    private static ZooModel Windowed(string name, InteractionsRateLimitModel server, int rate, int? rateAfterChange = null, string? standardComparedOn = null)
    {
        var sent = 0;
        var window = -1;
        while (sent < Sends)
        {
            window++;
            sent += Window * window >= QuotaChangesAfter && rateAfterChange is { } after ? after : rate;
        }

        var firstBurst = Math.Max(0, Senders - rate);
        var lowered = rateAfterChange is { } next && next < rate ? rate - next : 0;
        return new(name, server, ZooModelKind.Quota, Window * window, firstBurst + lowered, standardComparedOn ?? name);
    }

    /// <summary>A token bucket: full at the start, then one token every 1/rate s, so the last send finds its token at (sends − burst) / rate.</summary>
    private static ZooModel TokenBucket(string name, int rate, int burst)
        => new(
            name,
            InteractionsRateLimitModel.TokenBucket(rate, burst).WithStatusCode(429),
            ZooModelKind.Quota,
            TimeSpan.FromSeconds((double)(Sends - burst) / rate),
            Math.Max(0, Senders - burst),
            name);

    private static ZooModel Sporadic(string name, TimeSpan retryAfter)
        => new(name, InteractionsRateLimitModel.Sporadic(SporadicShare, retryAfter, Seed).WithStatusCode(429), ZooModelKind.Sporadic, null, 0, name);
}

namespace Interactions.Resilience.Tests.RateLimiting.Simulation;

/// <summary>The server models the controller is measured against, by name, with the work sent to each.</summary>
internal static class ServerModels
{
    public static readonly string[] Names =
    [
        "fixed-window-storm", "fixed-window-200-at-once", "fixed-window-no-retry-after", "fixed-window-500", "fixed-window-2",
        "sliding-window", "token-bucket", "raised-4x", "lowered-4x", "sporadic-ra0", "sporadic-ra1", "sporadic-ra1-at-once", "no-limit",
    ];

    public static (Func<IServerModel> Server, int Senders, int Sends) Create(string name) => name switch
    {
        "fixed-window-storm" => (() => new FixedWindowServer(20), 50, 200),
        "fixed-window-200-at-once" => (() => new FixedWindowServer(20), 200, 200),
        "fixed-window-no-retry-after" => (() => new FixedWindowServer(20, retryAfter: false), 50, 200),
        "fixed-window-500" => (() => new FixedWindowServer(500), 1000, 5000),
        "fixed-window-2" => (() => new FixedWindowServer(2), 5, 20),
        "sliding-window" => (() => new SlidingWindowServer(20), 50, 200),
        "token-bucket" => (() => new TokenBucketServer(20, 20), 50, 200),
        "token-bucket-5" => (() => new TokenBucketServer(20, 5), 50, 200),
        "fixed-window-aligned" => (() => new FixedWindowServer(20, aligned: true), 50, 200),
        "raised-4x" => (() => new FixedWindowServer(t => t < TimeSpan.FromSeconds(4) ? 20 : 80), 100, 600),
        "lowered-4x" => (() => new FixedWindowServer(t => t < TimeSpan.FromSeconds(2) ? 80 : 20), 100, 400),
        "sporadic-ra0" => (() => new SporadicServer(0.02, TimeSpan.Zero), 20, 1000),
        "sporadic-ra1" => (() => new SporadicServer(0.02, TimeSpan.FromSeconds(1)), 20, 1000),
        "sporadic-ra1-at-once" => (() => new SporadicServer(0.02, TimeSpan.FromSeconds(1)), 200, 200),
        "no-limit" => (() => new SporadicServer(0, null), 20, 1000),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown model"),
    };
}

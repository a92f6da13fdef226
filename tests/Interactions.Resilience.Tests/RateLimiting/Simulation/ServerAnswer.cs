namespace Interactions.Resilience.Tests.RateLimiting.Simulation;

/// <summary>What a modelled server answers one request: accepted, or 030003 with or without <c>Retry-After</c>.</summary>
internal readonly record struct ServerAnswer(bool Accepted, TimeSpan? RetryAfter)
{
    public static ServerAnswer Accept { get; } = new(true, null);

    public static ServerAnswer Limit(TimeSpan? retryAfter) => new(false, retryAfter);

    /// <summary>Whole seconds, rounded up, at least one: what servers put in <c>Retry-After</c>.</summary>
    public static TimeSpan WholeSeconds(TimeSpan wait) => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(wait.TotalSeconds - 1e-9)));
}

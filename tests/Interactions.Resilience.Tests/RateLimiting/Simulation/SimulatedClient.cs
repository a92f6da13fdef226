namespace Interactions.Resilience.Tests.RateLimiting.Simulation;

/// <summary>Who sends in a simulation.</summary>
internal enum SimulatedClient
{
    /// <summary>Requests pass the <c>RateController</c>, as the handler sends them.</summary>
    Controller,

    /// <summary>
    /// A patient <c>AddStandardResilienceHandler</c>: each request on its own waits the server's Retry-After, or an
    /// exponential backoff with jitter (2 s base, capped at 30 s) without one, up to 30 retries.
    /// </summary>
    Standard,
}

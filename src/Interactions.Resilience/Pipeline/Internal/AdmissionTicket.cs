using Interactions.Resilience.CircuitBreaker.Internal;
using Interactions.Resilience.RateLimiting.Internal;

namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>
/// What admission hands back to the attempt, which reports to it afterwards: the request's circuit (entered for
/// this attempt), and the rate-limit gate it waited at, if any.
/// </summary>
/// <param name="Circuit">The request's circuit, or null when the breaker is off.</param>
/// <param name="Gate">The gate the request waited at for this attempt, or null when it passed none.</param>
/// <param name="SentAt">When the attempt left, as a timestamp: tells the gate when the server's window began.</param>
internal readonly record struct AdmissionTicket(Circuit? Circuit, RateController? Gate = null, long SentAt = 0);

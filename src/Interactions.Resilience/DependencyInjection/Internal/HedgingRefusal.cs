using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Interactions.Resilience.DependencyInjection.Internal;

/// <summary>
/// Fails the start-up of a client that has both <c>AddInteractionsResilience()</c> and <c>AddStandardHedgingHandler()</c>:
/// hedging sends parallel copies of a request (on a timer, not only on a failure), so no predicate can keep it from
/// multiplying the calls that ours counts, paces and halts as one request.
/// </summary>
internal sealed class HedgingRefusal(string clientName) : IValidateOptions<HttpStandardHedgingResilienceOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpStandardHedgingResilienceOptions options)
        => string.Equals(name, clientName, StringComparison.Ordinal)
            ? ValidateOptionsResult.Fail(
                $"The HttpClient '{clientName}' has both AddInteractionsResilience() and AddStandardHedgingHandler(): hedging sends copies of a request in parallel, " +
                "which the Interactions handler cannot count, pace or halt as one request. Remove one of them; AddStandardResilienceHandler() can be combined with it.")
            : ValidateOptionsResult.Success;
}

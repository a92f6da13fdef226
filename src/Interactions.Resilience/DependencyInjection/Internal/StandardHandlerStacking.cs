using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Interactions.Resilience.DependencyInjection.Internal;

/// <summary>
/// Makes <c>AddStandardResilienceHandler()</c> on a client that also has <c>AddInteractionsResilience()</c> safe in
/// either order. <c>InteractionsException</c> is an <see cref="HttpRequestException"/>, which the standard
/// handler treats as transient: outside ours it would re-send what we failed fast or halted on (and could turn it
/// into a success); inside ours it would retry the raw failures that ours classifies and retries itself, multiplying
/// the attempts. So its retry leaves every failure to us, and its circuit breaker does not count our answers.
/// Hedging sends copies of a request that ours cannot see as one request; that combination is refused at start-up.
/// </summary>
internal static class StandardHandlerStacking
{
    // Microsoft.Extensions.Http.Resilience names the options of AddStandardResilienceHandler "{client}-standard";
    // AddStandardHedgingHandler names its options after the client itself.
    private const string StandardSuffix = "-standard";

    public static void Register(IServiceCollection services, string clientName)
    {
        services.PostConfigure<HttpStandardResilienceOptions>(clientName + StandardSuffix, static options =>
        {
            var retry = options.Retry.ShouldHandle;
            options.Retry.ShouldHandle = args => IsFailure(args.Outcome) ? PredicateResult.False() : retry(args);

            var breaker = options.CircuitBreaker.ShouldHandle;
            options.CircuitBreaker.ShouldHandle = args => IsOurAnswer(args.Outcome) ? PredicateResult.False() : breaker(args);
        });

        services.AddSingleton<IValidateOptions<HttpStandardHedgingResilienceOptions>>(new HedgingRefusal(clientName));
    }

    /// <summary>
    /// Any failure on a client of ours is ours: outside ours it is our final answer, inside ours a raw answer that
    /// ours classifies (every status from 400 up, every exception) and retries by its own policy.
    /// </summary>
    private static bool IsFailure(Outcome<HttpResponseMessage> outcome)
        => outcome.Exception is not null || (outcome.Result is { } response && InteractionsErrorClassifier.IsFailure(response.StatusCode));

    /// <summary>Our final answer: the exception we threw, or the error response returned with <c>ThrowOnFailure = false</c>.</summary>
    private static bool IsOurAnswer(Outcome<HttpResponseMessage> outcome)
        => outcome.Exception is InteractionsException || (outcome.Result is { } response && response.GetInteractionsError() is not null);
}

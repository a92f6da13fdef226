using Interactions.Resilience.Testing;

namespace Interactions.Resilience.Demo.Scenarios;

/// <summary>The checks scenarios make on their result; each returns <see langword="null"/> on a match.</summary>
internal static class Expect
{
    public static string? Requests(ScenarioResult result, int count)
        => result.Requests.Count == count ? null : $"expected the server to see {count} requests; it saw {result.Requests.Count}";

    public static string? Answers(ScenarioResult result, params SimulatorAnswer[] answers)
        => result.Requests.Select(r => r.Answer).SequenceEqual(answers)
            ? null
            : $"expected the server to answer {string.Join(", ", answers)}; it answered {string.Join(", ", result.Requests.Select(r => r.Answer))}";

    /// <summary>Every attempt of one logical request carried the same idempotency key.</summary>
    public static string? OneIdempotencyKey(ScenarioResult result)
    {
        var keys = result.Requests.Select(r => r.IdempotencyKey).Distinct().ToList();
        return keys is [not null] ? null : $"expected one idempotency key on every attempt; saw {keys.Count} distinct (null = none)";
    }

    public static string? Success(AppCall call)
        => call.Outcome.Succeeded ? null : $"expected '{call.Label}' to succeed; it got {call.Outcome.Error!.GetType().Name} {call.Outcome.Error.FormattedCode}";

    public static string? Failure<TException>(AppCall call, InteractionsErrorCode code, int attempts)
        where TException : InteractionsException
        => call.Outcome.Error switch
        {
            TException e when e.Code == code && e.Attempts == attempts => null,
            null => $"expected '{call.Label}' to fail with {typeof(TException).Name} {InteractionsErrorCatalog.Format(code)}; it succeeded",
            var e => $"expected '{call.Label}' to fail with {typeof(TException).Name} {InteractionsErrorCatalog.Format(code)} after {attempts} attempts; it got {e.GetType().Name} {e.FormattedCode} after {e.Attempts}",
        };

    public static string? RetryAfter(AppCall call, TimeSpan atLeast, TimeSpan atMost)
        => call.Outcome.Error?.RetryAfter is { } wait && wait >= atLeast && wait <= atMost
            ? null
            : $"expected '{call.Label}' to carry a RetryAfter between {Format.Duration(atLeast)} and {Format.Duration(atMost)}; it carries {(call.Outcome.Error?.RetryAfter is { } w ? Format.Duration(w) : "none")}";

    public static string? TookAtLeast(AppCall call, TimeSpan wait)
        => call.Took >= wait ? null : $"expected '{call.Label}' to wait at least {Format.Duration(wait)}; it took {Format.Duration(call.Took)}";
}

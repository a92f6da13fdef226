using System.Globalization;
using System.Text;
using Interactions.Resilience.Testing.Internal;

namespace Interactions.Resilience.Testing;

/// <summary>
/// How <see cref="InteractionsSimulator"/> rate-limits, for <see cref="InteractionsSimulator.RateLimit(InteractionsRateLimitModel)"/>:
/// a fixed window, a sliding window, a token bucket or sporadic single-request limits, each optionally with a
/// rate that changes on a schedule, scoped to a sender or a sender/recipient pair, answered as 429 or as 400.
/// </summary>
/// <remarks>
/// <para>
/// A model is an immutable description: the factories create one, and <see cref="WithStatusCode"/>,
/// <see cref="WithoutRetryAfter"/>, <see cref="PerSender"/>, <see cref="PerSenderAndRecipient"/> and
/// <see cref="WithRateChange"/> return a changed copy. The simulator creates the model's state (windows,
/// buckets, random draws) when the model is put in force, and runs it on the simulator's <see cref="TimeProvider"/>.
/// </para>
/// <para>
/// Every rejection is answered with code 030003 Rate Limit Exceeded in the JSON body, with HTTP 400 as the vendor
/// answers (or the status of <see cref="WithStatusCode"/>), and is counted in <see cref="InteractionsSimulator.RateLimitedCount"/>.
/// A quota model (fixed window, sliding window, token bucket) sends <c>Retry-After</c> with the whole seconds until
/// a permit is free, rounded up, at least 1, as servers send it; <see cref="WithoutRetryAfter"/> sends none.
/// </para>
/// </remarks>
public sealed class InteractionsRateLimitModel
{
    private InteractionsRateLimitModel(RateLimitModelKind kind, int requestsPerSecond, int capacity, double share, TimeSpan? sporadicRetryAfter, int seed)
    {
        Kind = kind;
        RequestsPerSecond = requestsPerSecond;
        Capacity = capacity;
        Share = share;
        SporadicRetryAfter = sporadicRetryAfter;
        Seed = seed;
    }

    internal RateLimitModelKind Kind { get; }

    internal int RequestsPerSecond { get; }

    internal int Capacity { get; }

    internal double Share { get; }

    internal TimeSpan? SporadicRetryAfter { get; }

    internal int Seed { get; }

    internal int StatusCode { get; private init; } = 400;

    internal bool SendsRetryAfter { get; private init; } = true;

    internal RateLimitScope Scope { get; private init; } = RateLimitScope.Account;

    internal IReadOnlyList<RateChange> RateChanges { get; private init; } = [];

    internal bool IsQuota => Kind != RateLimitModelKind.Sporadic;

    /// <summary>
    /// At most <paramref name="requestsPerSecond"/> requests per fixed one-second window, which starts at the first
    /// request after the previous window ended (the model of <see cref="InteractionsSimulator.RateLimit(int)"/>).
    /// A rejection's <c>Retry-After</c> is the whole seconds left in the window.
    /// </summary>
    /// <param name="requestsPerSecond">The requests accepted per window; at least 1.</param>
    /// <returns>The model.</returns>
    public static InteractionsRateLimitModel FixedWindow(int requestsPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requestsPerSecond, 1);
        return new(RateLimitModelKind.FixedWindow, requestsPerSecond, 0, 0, null, 0);
    }

    /// <summary>
    /// At most <paramref name="requestsPerSecond"/> requests in any rolling second (a sliding log): a request is
    /// rejected while the second ending at its arrival already holds that many accepted requests. A rejection's
    /// <c>Retry-After</c> is the whole seconds until the oldest of them leaves the window.
    /// </summary>
    /// <param name="requestsPerSecond">The requests accepted per rolling second; at least 1.</param>
    /// <returns>The model.</returns>
    public static InteractionsRateLimitModel SlidingWindow(int requestsPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requestsPerSecond, 1);
        return new(RateLimitModelKind.SlidingWindow, requestsPerSecond, 0, 0, null, 0);
    }

    /// <summary>
    /// A token bucket that holds at most <paramref name="burst"/> tokens, starts full and refills continuously at
    /// <paramref name="requestsPerSecond"/>; each accepted request takes a token, a request that finds none is
    /// rejected. A rejection's <c>Retry-After</c> is the whole seconds until the next token.
    /// </summary>
    /// <param name="requestsPerSecond">The refill rate, in requests per second; at least 1.</param>
    /// <param name="burst">The capacity: how many requests the full bucket accepts at once; at least 1.</param>
    /// <returns>The model.</returns>
    public static InteractionsRateLimitModel TokenBucket(int requestsPerSecond, int burst)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requestsPerSecond, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        return new(RateLimitModelKind.TokenBucket, requestsPerSecond, burst, 0, null, 0);
    }

    /// <summary>
    /// No quota: each request, whatever came before, is rejected with probability <paramref name="share"/>, as a
    /// server does that limits one recipient or one pair while the account is far from its quota. The draws come
    /// from a <see cref="Random"/> seeded with <paramref name="seed"/>, one per request in order of arrival, so the
    /// n-th request's answer is the same in every run.
    /// </summary>
    /// <param name="share">The share of requests rejected, from 0 to 1 (e.g. 0.02 for 2 %).</param>
    /// <param name="retryAfter">
    /// The <c>Retry-After</c> of a rejection, in whole seconds rounded up (<see cref="TimeSpan.Zero"/> sends
    /// <c>Retry-After: 0</c>); <see langword="null"/> sends none.
    /// </param>
    /// <param name="seed">The seed of the draws.</param>
    /// <returns>The model.</returns>
    public static InteractionsRateLimitModel Sporadic(double share, TimeSpan? retryAfter, int seed = 0)
    {
        if (double.IsNaN(share) || share is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(share), share, "The share of rejected requests is from 0 to 1.");
        }

        if (retryAfter is { } wait)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero, nameof(retryAfter));
        }

        return new(RateLimitModelKind.Sporadic, 0, 0, share, retryAfter, seed);
    }

    /// <summary>Answers rejections with <paramref name="statusCode"/> (e.g. 429) instead of 400; the body still carries 030003.</summary>
    /// <param name="statusCode">The HTTP status of a rejection (400–599).</param>
    /// <returns>A copy of this model with that status.</returns>
    public InteractionsRateLimitModel WithStatusCode(int statusCode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        return Copy(statusCode: statusCode);
    }

    /// <summary>Sends no <c>Retry-After</c> with a rejection, as some servers do.</summary>
    /// <returns>A copy of this model without <c>Retry-After</c>.</returns>
    public InteractionsRateLimitModel WithoutRetryAfter() => Copy(sendsRetryAfter: false);

    /// <summary>
    /// Gives each sender its own quota: requests share one when their <c>X-Sender</c> header is the same (requests
    /// without it share one of their own). The header is the scope the library's README uses for
    /// <c>RateLimit.ScopeSelector</c>.
    /// </summary>
    /// <returns>A copy of this model with one quota per sender.</returns>
    /// <exception cref="InvalidOperationException">The model is <see cref="Sporadic"/>, which has no quota to scope.</exception>
    public InteractionsRateLimitModel PerSender() => Copy(scope: ScopeOf(RateLimitScope.Sender));

    /// <summary>
    /// Gives each sender/recipient pair its own quota, as Meta's pair limit does: requests share one when their
    /// <c>X-Sender</c> header and the top-level string <c>to</c> of their JSON body are the same (a missing header
    /// or <c>to</c>, or a body that is not JSON, counts as empty). The simulator reads <c>to</c> only while such a
    /// model is in force, and keeps neither the body nor the key in <see cref="InteractionsSimulator.Requests"/>.
    /// </summary>
    /// <returns>A copy of this model with one quota per sender/recipient pair.</returns>
    /// <exception cref="InvalidOperationException">The model is <see cref="Sporadic"/>, which has no quota to scope.</exception>
    public InteractionsRateLimitModel PerSenderAndRecipient() => Copy(scope: ScopeOf(RateLimitScope.SenderAndRecipient));

    /// <summary>
    /// Changes the quota's rate to <paramref name="requestsPerSecond"/> once <paramref name="after"/> has passed
    /// since the model was put in force (by the simulator's clock), as a server raises or lowers an account's
    /// throughput on its own. Call it again for more changes. A fixed or sliding window changes its permits per
    /// second at once (the window in force included); a token bucket its refill rate, keeping its capacity.
    /// <see cref="InteractionsSimulator.ChangeRateLimit(int)"/> changes the rate at a moment of the test's choosing.
    /// </summary>
    /// <param name="after">When the change happens, from the moment the model is put in force.</param>
    /// <param name="requestsPerSecond">The new rate; at least 1.</param>
    /// <returns>A copy of this model with the change scheduled.</returns>
    /// <exception cref="InvalidOperationException">The model is <see cref="Sporadic"/>, which has no rate.</exception>
    public InteractionsRateLimitModel WithRateChange(TimeSpan after, int requestsPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(after, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(requestsPerSecond, 1);
        ThrowIfNoQuota("has no rate to change");
        return Copy(rateChanges: [.. RateChanges.Append(new RateChange(after, requestsPerSecond)).OrderBy(c => c.After)]);
    }

    /// <summary>Describes the model, e.g. <c>fixed window 20/s, 429, Retry-After</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        switch (Kind)
        {
            case RateLimitModelKind.FixedWindow:
                text.Append(invariant, $"fixed window {RequestsPerSecond}/s");
                break;
            case RateLimitModelKind.SlidingWindow:
                text.Append(invariant, $"sliding window {RequestsPerSecond}/s");
                break;
            case RateLimitModelKind.TokenBucket:
                text.Append(invariant, $"token bucket {RequestsPerSecond}/s, burst {Capacity}");
                break;
            default:
                text.Append(invariant, $"sporadic {Share * 100:0.###} %");
                break;
        }

        foreach (var change in RateChanges)
        {
            text.Append(invariant, $", {change.RequestsPerSecond}/s after {change.After.TotalSeconds:0.###} s");
        }

        text.Append(invariant, $", {StatusCode}");
        var retryAfter = !SendsRetryAfter ? null : IsQuota ? "Retry-After" : SporadicRetryAfter is { } wait ? string.Create(invariant, $"Retry-After {SimulatorState.ToRetryAfterSeconds(wait, minimum: 0)}") : null;
        text.Append(retryAfter is null ? ", no Retry-After" : ", " + retryAfter);
        if (Scope != RateLimitScope.Account)
        {
            text.Append(Scope == RateLimitScope.Sender ? ", per sender" : ", per sender/recipient pair");
        }

        return text.ToString();
    }

    private RateLimitScope ScopeOf(RateLimitScope scope)
    {
        ThrowIfNoQuota("has no quota to scope");
        return scope;
    }

    private void ThrowIfNoQuota(string what)
    {
        if (!IsQuota)
        {
            throw new InvalidOperationException($"A sporadic model limits single requests at random: it {what}.");
        }
    }

    private InteractionsRateLimitModel Copy(
        int? statusCode = null, bool? sendsRetryAfter = null, RateLimitScope? scope = null, IReadOnlyList<RateChange>? rateChanges = null)
        => new(Kind, RequestsPerSecond, Capacity, Share, SporadicRetryAfter, Seed)
        {
            StatusCode = statusCode ?? StatusCode,
            SendsRetryAfter = sendsRetryAfter ?? SendsRetryAfter,
            Scope = scope ?? Scope,
            RateChanges = rateChanges ?? RateChanges,
        };
}

using Interactions.Resilience.Classification.Internal;
using Polly;

namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>
/// One request from its first failure on (or from its start, while it must wait): what it has spent, its pending
/// wait, its credential replay, what it will report, and the decision of its last attempt. Made only off the fast path.
/// </summary>
/// <remarks>
/// Reused: <see cref="Rent"/> takes the instance cached on the calling thread (or makes one), and <see cref="Return"/>
/// caches it on the returning thread once the request is over — after the Polly pipeline has finished, its context
/// is back in its pool, and the held error body is restored or released, so nothing else refers to it any more.
/// A request never shares its state: a rented instance belongs to one request until it is returned.
/// </remarks>
internal sealed class RequestState
{
    [ThreadStatic]
    private static RequestState? t_cached;

    private Outcome<HttpResponseMessage>? _firstOutcome;

    private RequestState()
    {
    }

    public HttpRequestMessage Request { get; private set; } = null!;

    public Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Send { get; private set; } = null!;

    /// <summary>Gets or sets the rate-limit scope of the request (the app's selector, or what the server named).</summary>
    public string? Scope { get; set; }

    public long StartedAt { get; private set; }

    public CancellationToken CallerToken { get; private set; }

    /// <summary>Gets or sets what admission handed back for the attempt in progress.</summary>
    public AdmissionTicket Ticket { get; set; }

    /// <summary>Gets or sets what admission said on the fast path, when the request must wait before its first attempt.</summary>
    public AdmissionResult? AdmittedOnFastPath { get; set; }

    public AttemptCounters Counters;

    public PendingWait Wait;

    public CredentialReplay Credentials;

    public FinalReport Report;

    /// <summary>The error body of the last attempt's response, held until that response is dropped or delivered.</summary>
    public ErrorBodyPeek Body;

    /// <summary>Gets the number of the attempt <see cref="Decision"/> was made for; -1 before any.</summary>
    public int DecidedFor { get; private set; } = -1;

    public Decision Decision { get; private set; }

    /// <summary>A state for the request <paramref name="first"/>, as a new one would be.</summary>
    public static RequestState Rent(in FirstAttempt first, string? scope, int credentialsGeneration)
    {
        var state = t_cached ?? new RequestState();
        t_cached = null;
        state.Request = first.Request;
        state.Send = first.Send;
        state.Scope = scope;
        state.StartedAt = first.StartedAt;
        state.Ticket = first.Ticket;
        state.CallerToken = first.CallerToken;
        state.Credentials.GenerationWhenSent = credentialsGeneration;
        return state;
    }

    /// <summary>The request is over and nothing refers to this state any more: clear it, and cache it for the next.</summary>
    public static void Return(RequestState state)
    {
        state.Body.Release();
        state.Request = null!;
        state.Send = null!;
        state.Scope = null;
        state.StartedAt = 0;
        state.Ticket = default;
        state.CallerToken = default;
        state.AdmittedOnFastPath = null;
        state.Counters = default;
        state.Wait = default;
        state.Credentials = default;
        state.Report = default;
        state.Body = default;
        state.DecidedFor = -1;
        state.Decision = default;
        state._firstOutcome = null;
        t_cached = state;
    }

    public void Decided(int attemptNumber, Decision decision)
    {
        DecidedFor = attemptNumber;
        Decision = decision;
    }

    /// <summary>The fast path's attempt failed: the pipeline's first attempt replays its outcome instead of sending again.</summary>
    public void ReplayFirst(Outcome<HttpResponseMessage> outcome)
    {
        Counters.Attempts = 1;
        _firstOutcome = outcome;
    }

    public bool TakeFirstOutcome(out Outcome<HttpResponseMessage> outcome)
    {
        if (_firstOutcome is { } first)
        {
            _firstOutcome = null;
            outcome = first;
            return true;
        }

        outcome = default;
        return false;
    }
}

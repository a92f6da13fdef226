using Polly;

namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>
/// One request from its first failure on (or from its start, while it must wait): what it has spent, its pending
/// wait, its credential replay, what it will report, and the decision of its last attempt. Made only off the fast path.
/// </summary>
internal sealed class RequestState
{
    private Outcome<HttpResponseMessage>? _firstOutcome;

    public RequestState(in FirstAttempt first, string? scope, int credentialsGeneration)
    {
        Request = first.Request;
        Send = first.Send;
        Scope = scope;
        StartedAt = first.StartedAt;
        Ticket = first.Ticket;
        Credentials.GenerationWhenSent = credentialsGeneration;
        CallerToken = first.CallerToken;
    }

    public HttpRequestMessage Request { get; }

    public Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Send { get; }

    /// <summary>Gets or sets the rate-limit scope of the request (the app's selector, or what the server named).</summary>
    public string? Scope { get; set; }

    public long StartedAt { get; }

    public CancellationToken CallerToken { get; }

    /// <summary>Gets or sets what admission handed back for the attempt in progress.</summary>
    public AdmissionTicket Ticket { get; set; }

    /// <summary>Gets or sets what admission said on the fast path, when the request must wait before its first attempt.</summary>
    public AdmissionResult? AdmittedOnFastPath { get; set; }

    public AttemptCounters Counters;

    public PendingWait Wait;

    public CredentialReplay Credentials;

    public FinalReport Report;

    /// <summary>Gets the number of the attempt <see cref="Decision"/> was made for; -1 before any.</summary>
    public int DecidedFor { get; private set; } = -1;

    public Decision Decision { get; private set; }

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

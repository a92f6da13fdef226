namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>What the request's exception (or final response) reports: the last error, a refused wait, why it failed locally.</summary>
internal struct FinalReport
{
    /// <summary>Gets or sets the last attempt's error; null after a success.</summary>
    public InteractionsError? LastError;

    /// <summary>Gets or sets a wait longer than <c>MaxWait</c> or the time left, carried as <c>RetryAfter</c>.</summary>
    public TimeSpan? RefusedWait;

    /// <summary>Gets or sets why the handler failed the request without the server's answer, if it did.</summary>
    public string? LocalDetail;

    public readonly TimeSpan? RetryAfter => RefusedWait ?? LastError?.RetryAfter;
}

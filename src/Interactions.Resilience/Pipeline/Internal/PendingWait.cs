namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>The end of a limited request's own wait (its <c>Retry-After</c>), as a timestamp; 0 when none is pending.</summary>
internal struct PendingWait
{
    private long _notBefore;

    public readonly bool IsPending => _notBefore != 0;

    public void Set(long notBefore) => _notBefore = notBefore;

    /// <summary>Takes the pending wait's end, once.</summary>
    public long Take()
    {
        var notBefore = _notBefore;
        _notBefore = 0;
        return notBefore;
    }
}

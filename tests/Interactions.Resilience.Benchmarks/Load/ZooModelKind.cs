namespace Interactions.Resilience.Benchmarks.Load;

/// <summary>Which verdicts apply to a server model of the zoo.</summary>
internal enum ZooModelKind
{
    /// <summary>A quota: every send completes, within one window of the ideal, few rate-limit answers.</summary>
    Quota,

    /// <summary>Sporadic single-request limits: every send completes, no slower than the standard handler.</summary>
    Sporadic,

    /// <summary>No limit at all: every send completes.</summary>
    None,
}

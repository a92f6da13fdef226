using System.Collections.Frozen;

namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>The policy of each code: the catalog's default, unless the options override it.</summary>
internal sealed class PolicyTable
{
    private readonly FrozenDictionary<int, InteractionsPolicy> _policies;
    private readonly bool _unknownOverridden;

    public PolicyTable(IDictionary<string, InteractionsPolicy> overrides)
    {
        var policies = InteractionsErrorCatalog.All.ToDictionary(static e => (int)e.Code, static e => e.DefaultPolicy);
        foreach (var (key, policy) in overrides)
        {
            if (InteractionsErrorCatalog.TryParse(key, out var code))
            {
                policies[(int)code] = policy;
                _unknownOverridden |= code == InteractionsErrorCode.UnknownError;
            }
        }

        _policies = policies.ToFrozenDictionary();
    }

    /// <summary>
    /// The policy for an error; a transport failure follows 060002's. A code the catalog lacks (080001 with another raw
    /// code) under a 4xx fails fast: a caller-side answer no retry fixes. Under a 5xx, the vendor's own 080001, or an
    /// override of 080001, 080001's policy applies.
    /// </summary>
    public InteractionsPolicy For(InteractionsError error)
        => error.Code == InteractionsErrorCode.UnknownError && !_unknownOverridden && IsUnlistedCodeUnder4xx(error)
            ? InteractionsPolicy.FailFast
            : _policies[(int)error.Code];

    public InteractionsPolicy For(InteractionsErrorCode code) => _policies[(int)code];

    private static bool IsUnlistedCodeUnder4xx(InteractionsError error)
        => error.StatusCode is { } status && (int)status is >= 400 and < 500
            && error.Source is InteractionsErrorSource.Header or InteractionsErrorSource.Body
            && !string.Equals(error.RawCode, error.Info.FormattedCode, StringComparison.Ordinal);
}

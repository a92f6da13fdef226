using System.Collections.Frozen;

namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>The policy of each code: the catalog's default, unless the options override it.</summary>
internal sealed class PolicyTable
{
    private readonly FrozenDictionary<int, InteractionsPolicy> _policies;

    public PolicyTable(IDictionary<string, InteractionsPolicy> overrides)
    {
        var policies = InteractionsErrorCatalog.All.ToDictionary(static e => (int)e.Code, static e => e.DefaultPolicy);
        foreach (var (key, policy) in overrides)
        {
            if (InteractionsErrorCatalog.TryParse(key, out var code))
            {
                policies[(int)code] = policy;
            }
        }

        _policies = policies.ToFrozenDictionary();
    }

    /// <summary>The policy for an error; a transport failure follows 060002's.</summary>
    public InteractionsPolicy For(InteractionsError error) => _policies[(int)error.Code];

    public InteractionsPolicy For(InteractionsErrorCode code) => _policies[(int)code];
}

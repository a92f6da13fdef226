using Interactions.Resilience.Testing;

namespace Interactions.Resilience.Benchmarks.Load;

/// <summary>
/// One server model of the zoo: what the simulator does, and the figures the quota sets for the burst.
/// </summary>
/// <param name="Name">The name on the command line and in the tables, e.g. <c>fixed-429</c>.</param>
/// <param name="Server">The simulator's model; <see langword="null"/> for no limit.</param>
/// <param name="Kind">Which verdicts apply.</param>
/// <param name="Ideal">The time the quota allows for the whole burst: when its last permit is free; <see langword="null"/> without a quota.</param>
/// <param name="Unavoidable">The rate-limit answers no client can avoid: the first burst beyond the quota, plus one window at the old quota beyond a lowered one.</param>
/// <param name="StandardComparedOn">
/// The model whose standard-handler figures the "a fifth of the standard's" verdict uses: this one, or for a 400 (which
/// the standard handler does not retry, so it fails those sends instead of drawing more answers) the same quota as 429.
/// </param>
internal sealed record ZooModel(
    string Name,
    InteractionsRateLimitModel? Server,
    ZooModelKind Kind,
    TimeSpan? Ideal,
    int Unavoidable,
    string StandardComparedOn)
{
    public string Description => Server?.ToString() ?? "no limit";
}

using System.Globalization;

namespace Interactions.Resilience.Benchmarks.Load;

/// <summary>The command line of the <c>zoo</c>, <c>fleet</c> and <c>soak</c> modes: <c>--rounds R --models a,b --instances K</c>.</summary>
internal sealed record LoadOptions(int Rounds, IReadOnlySet<string>? Models, int Instances)
{
    public const int DefaultRounds = 3;
    public const int DefaultInstances = 3;
    public const int MaxRounds = 20;
    public const int MaxInstances = 8;

    public const string Usage = "options: --rounds R (1–20, default 3), --models name,name (zoo default: all but token-bucket-small; fleet default: fixed-429,raised-4x), --instances K (fleet, 2–8, default 3)";

    /// <summary>Parses the options after the mode's name; on a mistake, says which and returns <see langword="null"/>.</summary>
    public static LoadOptions? Parse(IReadOnlyList<string> args, TextWriter error)
    {
        var rounds = DefaultRounds;
        var instances = DefaultInstances;
        HashSet<string>? models = null;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--rounds" when TryInt(value, 1, MaxRounds, out rounds):
                case "--instances" when TryInt(value, 2, MaxInstances, out instances):
                    i++;
                    break;
                case "--models" when !string.IsNullOrWhiteSpace(value):
                    models = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
                    i++;
                    break;
                default:
                    error.WriteLine($"cannot read '{args[i]}{(value is null ? string.Empty : " " + value)}'; {Usage}");
                    return null;
            }
        }

        return new LoadOptions(rounds, models, instances);
    }

    /// <summary>
    /// Keeps the models of <paramref name="all"/> the command line names, or the <paramref name="defaults"/> when it
    /// names none; says which names are unknown.
    /// </summary>
    public IReadOnlyList<ZooModel>? Select(IReadOnlyList<ZooModel> all, IReadOnlyList<ZooModel> defaults, TextWriter error)
    {
        if (Models is null)
        {
            return defaults;
        }

        var unknown = Models.Where(m => !all.Any(z => z.Name.Equals(m, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
        {
            error.WriteLine($"unknown model(s) {string.Join(", ", unknown)}; the models are {string.Join(", ", all.Select(z => z.Name))}");
            return null;
        }

        return all.Where(z => Models.Contains(z.Name)).ToList();
    }

    private static bool TryInt(string? text, int min, int max, out int value)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
}

using System.Globalization;
using System.Text.RegularExpressions;
using Interactions.Resilience.Classification.Internal;

namespace Interactions.Resilience.Tests.Classification;

/// <summary>docs/meta-errors.md shows users the table the classifier uses: each row says what the code does.</summary>
public partial class MetaErrorsDocTests
{
    [Fact]
    public void Doc_ListsEveryRowOfTheTable_WithItsCatalogCodeAndPolicy()
    {
        var rows = Rows();
        var documented = new HashSet<int>();
        foreach (var (from, to, code, policy) in rows)
        {
            for (var meta = from; meta <= to; meta++)
            {
                Assert.True(MetaErrorTable.Map(meta) == code, $"docs/meta-errors.md maps Meta {meta} to {code}; the table to {MetaErrorTable.Map(meta)}");
                documented.Add(meta);
            }

            Assert.Equal(InteractionsErrorCatalog.Get(code).DefaultPolicy, policy);
        }

        // Every code the table maps, in the ranges Meta uses, is documented.
        foreach (var meta in Enumerable.Range(0, 1000).Concat(Enumerable.Range(80000, 100)).Concat(Enumerable.Range(130000, 6000)))
        {
            if (MetaErrorTable.Map(meta) is not null)
            {
                Assert.True(documented.Contains(meta), $"Meta {meta} is mapped but not in docs/meta-errors.md");
            }
        }
    }

    private static List<(int From, int To, InteractionsErrorCode Code, InteractionsPolicy Policy)> Rows()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "meta-errors.md"));
        var rows = new List<(int, int, InteractionsErrorCode, InteractionsPolicy)>();
        foreach (Match match in RowPattern().Matches(doc))
        {
            var from = int.Parse(match.Groups["from"].Value, CultureInfo.InvariantCulture);
            var to = match.Groups["to"].Success ? int.Parse(match.Groups["to"].Value, CultureInfo.InvariantCulture) : from;
            Assert.True(InteractionsErrorCatalog.TryParse(match.Groups["code"].Value, out var code));
            rows.Add((from, to, code, Enum.Parse<InteractionsPolicy>(match.Groups["policy"].Value)));
        }

        Assert.True(rows.Count >= 40, $"only {rows.Count} rows were read from docs/meta-errors.md");
        return rows;
    }

    [GeneratedRegex(@"^\| (?<from>\d+)(?:–(?<to>\d+))? \| [^|]* \| (?<code>\d{6}) [^|]+ \| (?<policy>\w+) \|", RegexOptions.Multiline)]
    private static partial Regex RowPattern();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Interactions.Resilience.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root was not found above " + AppContext.BaseDirectory);
    }
}

namespace Interactions.Resilience.Tests.Catalog;

public class ReadmePolicyTableTests
{
    [Fact]
    public void Readme_ListsEveryCodeWithItsCategoryTitleAndDefaultPolicy()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));

        foreach (var entry in InteractionsErrorCatalog.All)
        {
            Assert.Contains($"| {entry.FormattedCode} | {entry.Category} | {entry.Title} | {entry.DefaultPolicy} |", readme);
        }
    }

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

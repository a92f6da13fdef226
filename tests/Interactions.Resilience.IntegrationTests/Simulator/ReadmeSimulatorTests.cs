using System.Reflection;
using Interactions.Resilience.Testing;

namespace Interactions.Resilience.IntegrationTests.Simulator;

/// <summary>The README's "Testing your app" names every public member of the simulator, so none goes unknown.</summary>
public class ReadmeSimulatorTests
{
    [Fact]
    public void Readme_NamesEveryPublicMemberOfTheSimulator()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var testing = readme[readme.IndexOf("## Testing your app", StringComparison.Ordinal)..];

        var members = typeof(InteractionsSimulator)
            .GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => m is PropertyInfo || (m is MethodInfo method && !method.IsSpecialName))
            .Select(m => m.Name)
            .Distinct()
            .ToList();

        Assert.NotEmpty(members);
        Assert.All(members, name => Assert.True(
            testing.Contains($"`{name}`", StringComparison.Ordinal) || testing.Contains($"`{name}(", StringComparison.Ordinal),
            $"README, Testing your app, does not name InteractionsSimulator.{name}"));
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

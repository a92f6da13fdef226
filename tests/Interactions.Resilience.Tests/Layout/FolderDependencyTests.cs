using System.Text.RegularExpressions;

namespace Interactions.Resilience.Tests.Layout;

/// <summary>
/// The core's folders do not depend on each other in circles: the catalog is data and depends on nothing,
/// classification never reaches policies, and only the pipeline and DI see every feature. Read from the sources
/// (a type of one folder named in another's code), so a new dependency shows here before it sets.
/// </summary>
public partial class FolderDependencyTests
{
    private static readonly Lazy<Dictionary<string, HashSet<string>>> Graph = new(Build);

    [Fact]
    public void Folders_HaveNoCycles()
    {
        var graph = Graph.Value;
        var cycles = graph.SelectMany(e => e.Value.Where(to => Reaches(graph, to, e.Key)).Select(to => $"{e.Key} → {to}")).ToList();

        Assert.True(cycles.Count == 0, "Folders that depend on each other in a circle: " + string.Join(", ", cycles));
    }

    [Theory]
    [InlineData("Catalog")]
    [InlineData("Internal")]
    [InlineData("Health")]
    public void Folder_DependsOnNoOtherFeature(string folder)
    {
        var deps = Graph.Value.GetValueOrDefault(folder, []).Where(d => d is not ("Catalog" or "Internal")).ToList();

        Assert.True(deps.Count == 0, $"{folder} depends on {string.Join(", ", deps)}");
    }

    [Fact]
    public void Classification_DecidesWhatHappened_NeverWhatToDo()
    {
        var deps = Graph.Value.GetValueOrDefault("Classification", []);

        Assert.Equal(["Catalog"], deps.Order());
    }

    [Fact]
    public void FeatureFolders_KnowNothingOfDiOrThePipeline()
    {
        var offenders = Graph.Value
            .Where(e => e.Key is not ("Pipeline" or "DependencyInjection"))
            .Where(e => e.Value.Contains("Pipeline") || e.Value.Contains("DependencyInjection"))
            .Select(e => e.Key)
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void SourceFiles_AreAtMostAboutThreeHundredLines_TenPercentSlack()
    {
        var tooLong = SourceFiles().Select(f => (File: f, Lines: File.ReadAllLines(f).Length)).Where(f => f.Lines > 340).ToList();

        Assert.True(tooLong.Count == 0, string.Join(", ", tooLong.Select(f => $"{Path.GetFileName(f.File)}: {f.Lines}")));
    }

    private static Dictionary<string, HashSet<string>> Build()
    {
        var sources = SourceFiles().ToDictionary(f => f, f => StripCommentsAndStrings(File.ReadAllText(f)));
        var declaredIn = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (file, text) in sources)
        {
            foreach (Match m in TypeDeclaration().Matches(text))
            {
                declaredIn[m.Groups[1].Value] = FolderOf(file);
            }
        }

        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (file, text) in sources)
        {
            var from = FolderOf(file);
            foreach (var (type, to) in declaredIn)
            {
                // A type named in code: not a member access (x.Type) nor a property of the same name (Type { get; }).
                if (to != from && Regex.IsMatch(text, $@"(?<![.\w]){type}\b(?!\s*\{{\s*(?:get|set|init)\b)"))
                {
                    (graph.TryGetValue(from, out var set) ? set : graph[from] = []).Add(to);
                }
            }
        }

        return graph;
    }

    private static bool Reaches(Dictionary<string, HashSet<string>> graph, string from, string target)
    {
        var seen = new HashSet<string>();
        var stack = new Stack<string>([from]);
        while (stack.TryPop(out var node))
        {
            if (node == target)
            {
                return true;
            }

            if (seen.Add(node))
            {
                foreach (var next in graph.GetValueOrDefault(node, []))
                {
                    stack.Push(next);
                }
            }
        }

        return false;
    }

    private static string FolderOf(string file)
    {
        var relative = Path.GetRelativePath(CoreRoot(), file).Split(Path.DirectorySeparatorChar);
        return relative.Length > 1 ? relative[0] : "(root)";
    }

    private static IEnumerable<string> SourceFiles()
        => Directory.EnumerateFiles(CoreRoot(), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    private static string CoreRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Interactions.Resilience.sln")))
            {
                return Path.Combine(dir.FullName, "src", "Interactions.Resilience");
            }
        }

        throw new InvalidOperationException("The repository root was not found above " + AppContext.BaseDirectory);
    }

    private static string StripCommentsAndStrings(string text)
        => StringLiteral().Replace(BlockComment().Replace(LineComment().Replace(text, string.Empty), string.Empty), "\"\"");

    [GeneratedRegex(@"\b(?:class|struct|enum|interface|record(?:\s+struct|\s+class)?)\s+(\w+)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"//.*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();

    [GeneratedRegex(@"""(?:\\.|[^""\\])*""")]
    private static partial Regex StringLiteral();
}

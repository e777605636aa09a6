using System.Text.RegularExpressions;
using ModelGoPack.Diagnostics;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

public sealed partial class DocsTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));

    private static string Doc(string name) => File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", name));

    [Fact]
    public void Diagnostics_doc_table_matches_the_catalog_row_for_row()
    {
        var rows = DiagnosticRow().Matches(Doc("diagnostics.md"))
            .Select(m => (Code: m.Groups["code"].Value, Severity: m.Groups["severity"].Value, Waivable: m.Groups["waivable"].Value, Title: m.Groups["title"].Value.Trim()))
            .ToList();

        var expected = DiagnosticCatalog.All
            .Select(d => (d.Code, Severity: d.Severity.ToString().ToLowerInvariant(), Waivable: d.Waivable ? "yes" : "no", Title: d.Title.Replace("|", "\\|", StringComparison.Ordinal)))
            .ToList();

        // The table is kept by hand: on a mismatch, the message is the table to paste.
        var table = string.Join("\n", DiagnosticCatalog.All.Select(d => $"| [{d.Code}](diagnostics/{d.Code}.md) | {d.Severity.ToString().ToLowerInvariant()} | {(d.Waivable ? "yes" : "no")} | {d.Title.Replace("|", "\\|", StringComparison.Ordinal)} | {d.Help.Replace("|", "\\|", StringComparison.Ordinal)} |"));
        Assert.True(expected.SequenceEqual(rows), "docs/diagnostics.md's diagnostics table should read:\n" + table);
    }

    [Fact]
    public void Every_code_is_unique_and_in_the_range_of_its_obligation()
    {
        Assert.Equal(DiagnosticCatalog.All.Count, DiagnosticCatalog.All.Select(d => d.Code).Distinct().Count());
        Assert.All(DiagnosticCatalog.All, d =>
        {
            Assert.Matches("^MGP[1-9][0-9]{3}$", d.Code);
            Assert.Equal(d.Code[3] is '8' or '9' ? DiagnosticKind.Input : DiagnosticKind.Compliance, d.Kind);
            Assert.False(string.IsNullOrWhiteSpace(d.Help));
        });
    }

    [Fact]
    public void Configuration_doc_documents_every_config_key_of_the_schema()
    {
        var configuration = Doc("configuration.md");
        using var schema = System.Text.Json.JsonDocument.Parse(Config.ConfigSkeleton.Schema);
        var keys = schema.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name)
            .Concat(schema.RootElement.GetProperty("$defs").GetProperty("upstream").GetProperty("properties").EnumerateObject().Select(p => "upstream[]." + p.Name))
            .Concat(schema.RootElement.GetProperty("$defs").GetProperty("modification").GetProperty("properties").EnumerateObject().Select(p => "modifications[]." + p.Name))
            .Concat(schema.RootElement.GetProperty("$defs").GetProperty("waiver").GetProperty("properties").EnumerateObject().Select(p => "waivers[]." + p.Name));

        Assert.All(keys, key => Assert.Contains($"| `{key}` |", configuration, StringComparison.Ordinal));
    }

    [Fact]
    public void Repository_schema_file_is_the_one_the_tool_ships()
    {
        var path = Path.Combine(RepositoryRoot.Path, "src", "ModelGoPack.Core", "Config", "modelgo.schema.json");
        Assert.Equal(File.ReadAllText(path), Config.ConfigSkeleton.Schema);
        Assert.Contains("src/ModelGoPack.Core/Config/modelgo.schema.json", Doc("configuration.md"), StringComparison.Ordinal);
    }

    [Fact]
    public void README_commands_name_paths_that_exist()
    {
        Assert.Contains("dotnet test ModelGoPack.sln", Readme, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, "tests", "examples", "tiny-llm-distilled", "modelgo.json")));
        Assert.Contains("pack tests/examples/tiny-llm-distilled", Readme, StringComparison.Ordinal);
        var ci = File.ReadAllText(Path.Combine(RepositoryRoot.Path, ".ci", "run"));
        Assert.Contains("dotnet test ModelGoPack.sln", ci, StringComparison.Ordinal);
    }

    [Fact]
    public void MSBuild_doc_documents_every_MSBuild_property_item_and_task_parameter()
    {
        var msbuild = Doc("msbuild.md");
        var targets = string.Concat(Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "build"), "ModelGoPack.*").Select(File.ReadAllText));
        var properties = MSBuildName().Matches(targets).Select(m => m.Groups["name"].Value).Distinct().ToList();
        Assert.Contains("ModelGoPackWeights", properties);
        Assert.Contains("ModelGoUpstream", properties);
        Assert.All(properties, name => Assert.Contains($"`{name}`", msbuild, StringComparison.Ordinal));

        var parameters = typeof(Tasks.PackModel).GetProperties()
            .Where(p => p.DeclaringType == typeof(Tasks.PackModel))
            .Select(p => p.Name)
            .ToList();
        Assert.Contains("ReuseState", parameters);
        Assert.All(parameters, name => Assert.Contains($"`{name}`", msbuild, StringComparison.Ordinal));
    }

    [Fact]
    public void Contributor_guide_states_the_fuzz_budget_ci_sets()
    {
        var contributing = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "CONTRIBUTING.md"));
        var ci = File.ReadAllText(Path.Combine(RepositoryRoot.Path, ".ci", "run"));
        var seconds = int.Parse(FuzzSeconds().Match(ci).Groups["seconds"].Value, System.Globalization.CultureInfo.InvariantCulture);
        // A fuzz target is a folder of its failing inputs (Fixtures/fuzz/{target}/).
        var targets = Directory.GetDirectories(Path.Combine(RepositoryRoot.Path, "tests", "ModelGoPack.Tests", "Fixtures", "fuzz")).Length;

        Assert.Contains($"Each of the {targets} targets runs for `MODELGOPACK_FUZZ_SECONDS` seconds", contributing, StringComparison.Ordinal);
        Assert.Contains($"`.ci/run` sets {seconds}, {seconds * targets} s in all.", contributing, StringComparison.Ordinal);
        Assert.Contains($"(with a {seconds * targets} s fuzz budget", contributing, StringComparison.Ordinal);
        Assert.Contains("[CONTRIBUTING.md](CONTRIBUTING.md)", Readme, StringComparison.Ordinal);
        Assert.Contains("docs/diagnostics/", Readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Relative_links_of_the_contributor_guide_and_the_diagnostic_pages_name_files_that_exist()
    {
        var pages = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "docs", "diagnostics"), "*.md")
            .Append(Path.Combine(RepositoryRoot.Path, "CONTRIBUTING.md"))
            .Append(Path.Combine(RepositoryRoot.Path, "docs", "diagnostics.md"));
        var broken = pages.SelectMany(page => MarkdownLink().Matches(File.ReadAllText(page))
                .Select(m => m.Groups["target"].Value)
                .Where(target => !target.Contains("://", StringComparison.Ordinal) && !target.StartsWith('#'))
                .Where(target => !Path.Exists(Path.Combine(Path.GetDirectoryName(page)!, target.Split('#')[0])))
                .Select(target => $"{Path.GetRelativePath(RepositoryRoot.Path, page)}: {target}"))
            .ToList();

        Assert.Empty(broken);
    }

    [GeneratedRegex(@"MODELGOPACK_FUZZ_SECONDS=(?<seconds>\d+)")]
    private static partial Regex FuzzSeconds();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"[$@]\((?<name>ModelGo[A-Za-z]+)\)")]
    private static partial Regex MSBuildName();

    // A row links its code to the code's page: | [MGP1001](diagnostics/MGP1001.md) | error | no | title | help |
    [GeneratedRegex(@"^\| \[(?<code>MGP\d{4})\]\(diagnostics/\k<code>\.md\) \| (?<severity>error|warning|info) \| (?<waivable>yes|no) \| (?<title>(?:[^|\\]|\\\|)+) \|", RegexOptions.Multiline)]
    private static partial Regex DiagnosticRow();
}

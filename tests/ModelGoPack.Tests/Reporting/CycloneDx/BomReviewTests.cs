using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests.Reporting.CycloneDx;

/// <summary>Review of the BOM: what an adversarial run found, each as a test that fails without its fix.</summary>
public sealed class BomReviewTests
{
    private static string Example => Path.Combine(RepositoryRoot.Path, "tests", "examples", "tiny-llm-distilled");

    [Fact]
    public void The_output_never_replaces_a_page_that_only_quotes_bomFormat()
    {
        using var temp = new TempDirectory();

        // The repository's own page on the BOM quotes the key; so may a user's notes, or a JSON file that nests it.
        var page = temp.Combine("bom.md");
        File.Copy(Path.Combine(RepositoryRoot.Path, "docs", "bom.md"), page);
        var nested = temp.Combine("nested.json");
        File.WriteAllText(nested, "{\"example\": {\"bomFormat\": \"CycloneDX\"}}");
        var earlier = temp.Combine("earlier.json");
        File.WriteAllText(earlier, "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\"}");
        var original = File.ReadAllText(page);

        foreach (var mine in new[] { page, nested })
        {
            var before = File.ReadAllText(mine);
            var (exit, stdout, _) = CliRunner.Run("bom", Example, "--no-cache", "--quiet", "--output", mine);
            Assert.Equal(2, exit);
            Assert.Contains("MGP9071", stdout, StringComparison.Ordinal);
            Assert.Equal(before, File.ReadAllText(mine));
        }

        Assert.Equal(original, File.ReadAllText(page));

        // An earlier BOM, another tool's with bomFormat first, is still replaced.
        Assert.Equal(0, CliRunner.Run("bom", Example, "--no-cache", "--quiet", "--output", earlier).ExitCode);
        Assert.Contains("\"specVersion\": \"1.6\"", File.ReadAllText(earlier), StringComparison.Ordinal);
    }
}

/// <summary>Review of the BOM's date: a change dated from git dates the bundle, its BOM and the BOM of the bundle alike.</summary>
public sealed class BomGitDateReviewTests
{
    [Fact]
    public void A_change_dated_from_git_dates_the_BOM_in_the_bundle_as_the_BOM_of_the_bundle()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Base", "derivative", "fine-tuning");
        ((System.Text.Json.Nodes.JsonObject)project.Array("upstream")[0]!)["git"] = "base-v1";
        project.Write();
        TestGit.Run(project.Root, "2026-01-10T12:00:00Z", "init", "-q", "-b", "main");
        TestGit.Run(project.Root, "2026-01-10T12:00:00Z", "add", "-A");
        TestGit.Run(project.Root, "2026-01-10T12:00:00Z", "commit", "-q", "-m", "upstream as released");
        TestGit.Run(project.Root, "2026-01-10T12:00:00Z", "tag", "base-v1");
        project.File("extra.py", "print('x')\n");
        TestGit.Run(project.Root, "2026-03-06T12:00:00Z", "add", "-A");
        TestGit.Run(project.Root, "2026-03-06T12:00:00Z", "commit", "-q", "-m", "add a script");
        var output = Path.Combine(project.Scratch, "out");

        var packed = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root, Bom = true }, output, BundleFormat.Directory);
        Assert.True(packed.OutputPath is not null, string.Join("\n", packed.Diagnostics));
        var ofBundle = ModelGoPackEngine.Bom(new ProjectRequest { ProjectDirectory = output }, null);
        Assert.True(ofBundle.Bom is not null, string.Join("\n", ofBundle.Diagnostics));

        var inside = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllBytes(Path.Combine(output, "modelgo-bom.cdx.json")))!;
        Assert.Equal("2026-03-06T00:00:00Z", (string?)inside["metadata"]!["timestamp"]);
        Assert.Equal(File.ReadAllBytes(Path.Combine(output, "modelgo-bom.cdx.json")), ofBundle.Bom!.Value.ToArray());
    }
}

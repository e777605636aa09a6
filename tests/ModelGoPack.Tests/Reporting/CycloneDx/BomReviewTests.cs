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

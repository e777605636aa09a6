using System.Text.Json.Nodes;
using ModelGoPack.Diagnostics;
using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// Clause 2.2(a)(ii) asks for notices "stating that You have modified the Licensed Materials and the relevant date of
/// such modification". A modification dated after the release cannot be that date, so NOTICE would state a falsehood:
/// an error (MGP2010). The release date is "releaseDate", else SOURCE_DATE_EPOCH's day, else the day of the run. A
/// modification dated before the upstream itself was released, when that is known, is doubtful: a warning (MGP2011).
/// </summary>
public sealed class ModificationDateTests
{
    private static readonly long March1 = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    [Theory]
    [InlineData("2026-06-01", "2026-06-02", true)]
    [InlineData("2026-06-01", "2027-01-01", true)]
    [InlineData("2026-06-01", "2026-06-01", false)]
    [InlineData("2026-06-01", "2026-05-31", false)]
    public void A_modification_dated_after_the_releaseDate_is_an_error_at_its_date(string releaseDate, string date, bool after)
    {
        using var project = Derivative(date);
        project.Config["releaseDate"] = releaseDate;
        project.Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        if (!after)
        {
            Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
            Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP2010");
            return;
        }

        var d = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal("MGP2010", d.Code);
        Assert.StartsWith($"The modification \"Fine-tuned\" is dated {date}, after the release date {releaseDate} (\"releaseDate\"). ", d.Message, StringComparison.Ordinal);
        Assert.Contains("\"date\"", File.ReadAllLines(Path.Combine(project.Root, "modelgo.json"))[d.Line - 1], StringComparison.Ordinal);
        Assert.Contains(date, File.ReadAllLines(Path.Combine(project.Root, "modelgo.json"))[d.Line - 1], StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_releaseDate_the_release_is_SOURCE_DATE_EPOCH_and_a_releaseDate_comes_first()
    {
        using var project = Derivative("2026-05-01");
        project.Write();

        var fromEpoch = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root, SourceDateEpoch = March1 });

        var d = Assert.Single(fromEpoch.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal("MGP2010", d.Code);
        Assert.Contains("after the release date 2026-03-01 (SOURCE_DATE_EPOCH)", d.Message, StringComparison.Ordinal);

        project.Config["releaseDate"] = "2026-06-01";
        project.Write();
        Assert.True(ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root, SourceDateEpoch = March1 }).Compliant);
    }

    [Fact]
    public void Without_either_the_release_is_the_day_of_the_run()
    {
        using var project = Derivative("2999-01-01");
        project.Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var d = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal("MGP2010", d.Code);
        Assert.Contains($"after the release date {DateTime.UtcNow.AddHours(14):yyyy-MM-dd} (today, the day of this run", d.Message, StringComparison.Ordinal);

        using var yesterday = Derivative(DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        yesterday.Write();
        Assert.True(ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = yesterday.Root }).Compliant);
    }

    [Fact]
    public void Pack_through_the_CLI_refuses_a_modification_after_SOURCE_DATE_EPOCH_and_writes_nothing()
    {
        using var project = Derivative("2026-05-01");
        project.Write();
        var output = Path.Combine(project.Scratch, "out.zip");

        var (exit, stdout, _) = CliRunner.Run(new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = March1.ToString(System.Globalization.CultureInfo.InvariantCulture) }, "pack", project.Root, "-f", "zip", "-o", output);

        Assert.Equal(1, exit);
        Assert.Matches(@"modelgo\.json\(\d+,\d+\): error MGP2010: The modification ""Fine-tuned"" is dated 2026-05-01, after the release date 2026-03-01 \(SOURCE_DATE_EPOCH\)", stdout);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("2026-04-01", "2026-03-31", true)]
    [InlineData("2026-04-01", "2026-04-01", false)]
    public void A_modification_before_the_upstreams_declared_releaseDate_is_a_warning(string upstreamRelease, string date, bool before)
    {
        using var project = Derivative(date);
        ((JsonObject)project.Array("upstream")[0]!)["releaseDate"] = upstreamRelease;
        project.Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        var warnings = result.Diagnostics.Where(d => d.Code == "MGP2011").ToList();
        Assert.Equal(before ? 1 : 0, warnings.Count);
        if (before)
        {
            Assert.Equal(Severity.Warning, warnings[0].Severity);
            Assert.StartsWith($"The modification \"Fine-tuned\" of \"Base\" is dated {date}, before \"Base\" was released on {upstreamRelease} (its \"releaseDate\").", warnings[0].Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_modification_naming_another_upstream_is_not_compared_with_this_ones_release()
    {
        using var project = Derivative("2026-05-01");
        project.Upstream("Other", "derivative", "merge");
        ((JsonObject)project.Array("upstream")[0]!)["releaseDate"] = "2026-06-01";
        ((JsonObject)project.Array("modifications")[0]!)["upstream"] = "Other";
        project.Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP2011");
    }

    [Fact]
    public void The_upstreams_release_date_is_read_from_its_release_manifest_and_kept_in_the_bundle_manifest()
    {
        using var upstream = new ModelProjectBuilder("base-model");
        upstream.Config["releaseDate"] = "2026-04-10";
        upstream.Write();
        var release = Path.Combine(upstream.Scratch, "base");
        Assert.True(ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = upstream.Root }, release, BundleFormat.Directory).Compliant);

        using var project = Derivative("2026-04-01");
        project.File("upstream/base-manifest/modelgo-manifest.json", File.ReadAllText(Path.Combine(release, "modelgo-manifest.json")));
        ((JsonObject)project.Array("upstream")[0]!)["manifest"] = "upstream/base-manifest/modelgo-manifest.json";
        project.Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var d = Assert.Single(result.Diagnostics, d => d.Code == "MGP2011");
        Assert.Contains("before \"Base\" was released on 2026-04-10 (its release manifest's \"releaseDate\")", d.Message, StringComparison.Ordinal);

        using var declared = Derivative("2026-05-01");
        ((JsonObject)declared.Array("upstream")[0]!)["releaseDate"] = "2026-04-10";
        declared.Config["releaseDate"] = "2026-06-01";
        declared.Write();
        var bundle = declared.Pack(BundleFormat.Directory).OutputPath!;
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "modelgo-manifest.json")))!;
        Assert.Equal("2026-04-10", (string?)manifest["upstream"]![0]!["releaseDate"]);
        Assert.True(ModelGoPackEngine.Verify(bundle).Compliant);
    }

    // A bundle whose manifest was rewritten to date its release before its modification (re-hashed or not: the
    // manifest lists no digest of its own) is judged as pack would judge its declaration.
    [Fact]
    public void Verify_judges_the_dates_a_received_manifest_declares()
    {
        using var project = Derivative("2026-05-01");
        project.Config["releaseDate"] = "2026-06-01";
        project.Write();
        var bundle = project.Pack(BundleFormat.Directory).OutputPath!;
        var manifestPath = Path.Combine(bundle, "modelgo-manifest.json");
        File.WriteAllText(manifestPath, File.ReadAllText(manifestPath).Replace("\"releaseDate\": \"2026-06-01\"", "\"releaseDate\": \"2026-04-01\"", StringComparison.Ordinal));

        var result = ModelGoPackEngine.Verify(bundle);

        Assert.False(result.Compliant);
        var d = Assert.Single(result.Diagnostics, d => d.Code == "MGP2010");
        Assert.Equal("modelgo-manifest.json", d.Path);
    }

    private static ModelProjectBuilder Derivative(string date)
    {
        var project = new ModelProjectBuilder();
        project.Upstream("Base", "derivative", "fine-tuning").Modification(date, "Fine-tuned");
        return project;
    }
}

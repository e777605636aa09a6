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
    // 09:00 UTC: still 1 March at UTC+14, the zone the release's day is taken in.
    private static readonly long March1 = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

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
        Assert.Contains("after the release date 2026-03-01 (SOURCE_DATE_EPOCH, its day at UTC+14)", d.Message, StringComparison.Ordinal);

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
        Assert.Contains($"after the release date {DateTime.UtcNow.AddHours(14):yyyy-MM-dd} (today, the day of this run at UTC+14", d.Message, StringComparison.Ordinal);

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
        Assert.Matches(@"modelgo\.json\(\d+,\d+\): error MGP2010: The modification ""Fine-tuned"" is dated 2026-05-01, after the release date 2026-03-01 \(SOURCE_DATE_EPOCH, its day at UTC\+14\)", stdout);
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

    // SOURCE_DATE_EPOCH is an instant; modification dates are local days. Its day is taken at UTC+14, so the day
    // changes at 10:00 UTC.
    [Theory]
    [InlineData("2026-03-01T09:59:59Z", true)]
    [InlineData("2026-03-01T10:00:00Z", false)]
    public void SOURCE_DATE_EPOCH_is_taken_at_UTC_plus_14(string instant, bool after)
    {
        using var project = Derivative("2026-03-02");
        project.Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root, SourceDateEpoch = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds() });

        Assert.Equal(after, result.Diagnostics.Any(d => d.Code == "MGP2010"));
    }

    // A commit made at 01:00 in Tokyo on 2 March is 16:00 UTC on 1 March; git dates it 2 March, and a build that sets
    // SOURCE_DATE_EPOCH to the last commit's time must not call it later than the release.
    [Fact]
    public void A_modification_git_dates_east_of_UTC_is_not_after_a_SOURCE_DATE_EPOCH_of_its_commit()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Base", "derivative", "fine-tuning");
        ((JsonObject)project.Array("upstream")[0]!)["git"] = "base-v1";
        project.Write();
        Git(project.Root, "2026-01-10T12:00:00Z", "init", "-q", "-b", "main");
        Git(project.Root, "2026-01-10T12:00:00Z", "add", "-A");
        Git(project.Root, "2026-01-10T12:00:00Z", "commit", "-q", "-m", "upstream");
        Git(project.Root, "2026-01-10T12:00:00Z", "tag", "base-v1");
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("embed.weight", "F32", [4, 2]));
        Git(project.Root, "2026-03-02T01:00:00+09:00", "add", "-A");
        Git(project.Root, "2026-03-02T01:00:00+09:00", "commit", "-q", "-m", "fine-tune");
        var commit = new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.FromHours(9)).ToUnixTimeSeconds();

        var atCommit = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root, SourceDateEpoch = commit });
        var dayBefore = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root, SourceDateEpoch = commit - 86_400 });

        Assert.DoesNotContain(atCommit.Diagnostics, d => d.Code == "MGP2010");
        Assert.Contains(dayBefore.Diagnostics, d => d.Code == "MGP2010" && d.Message.Contains("is dated 2026-03-02, after the release date 2026-03-01", StringComparison.Ordinal));
    }

    // Nix sets SOURCE_DATE_EPOCH=315532800 (1980-01-01) when nothing dates the build; such placeholders are not the
    // release's day, which is then the day of the run.
    [Theory]
    [InlineData(1L, false)]
    [InlineData(315_532_800L, false)]
    [InlineData(315_619_200L, false)]
    [InlineData(315_619_201L, true)]
    [InlineData(long.MinValue, false)]
    [InlineData(long.MaxValue, false)]
    public void Placeholder_epochs_are_ignored_and_extreme_ones_do_not_fail(long epoch, bool after)
    {
        using var project = Derivative("2026-05-01");
        project.Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root, SourceDateEpoch = epoch });

        var dated = result.Diagnostics.Where(d => d.Code == "MGP2010").ToList();
        Assert.Equal(after, dated.Count == 1);
        if (after)
        {
            Assert.Contains("after the release date 1980-01-02 (SOURCE_DATE_EPOCH, its day at UTC+14)", dated[0].Message, StringComparison.Ordinal);
        }
    }

    // verify has no SOURCE_DATE_EPOCH: pack writes the day it judged by to the manifest, and only a day the inputs gave.
    [Fact]
    public void Pack_records_the_release_day_it_judged_by_so_verify_agrees()
    {
        using var project = Derivative(DateTime.UtcNow.AddDays(40).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        project.Write();
        var epoch = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(60), TimeSpan.Zero).ToUnixTimeSeconds();
        var output = Path.Combine(project.Scratch, "out");

        var packed = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root, SourceDateEpoch = epoch }, output, BundleFormat.Directory);

        Assert.True(packed.Compliant, string.Join("\n", packed.Diagnostics));
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "modelgo-manifest.json")))!;
        Assert.Equal(DateTime.UtcNow.Date.AddDays(60).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), (string?)manifest["releaseDate"]);
        var verified = ModelGoPackEngine.Verify(output);
        Assert.True(verified.Compliant, string.Join("\n", verified.Diagnostics));

        // Without a releaseDate or SOURCE_DATE_EPOCH, the clock gave the day: the manifest does not record it.
        using var undated = Derivative("2026-01-01");
        undated.Write();
        var bundle = undated.Pack(BundleFormat.Directory).OutputPath!;
        Assert.Null(JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "modelgo-manifest.json")))!["releaseDate"]);
    }

    private static void Git(string root, string date, params string[] arguments) => TestGit.Run(root, date, arguments);

    private static ModelProjectBuilder Derivative(string date)
    {
        var project = new ModelProjectBuilder();
        project.Upstream("Base", "derivative", "fine-tuning").Modification(date, "Fine-tuned");
        return project;
    }
}

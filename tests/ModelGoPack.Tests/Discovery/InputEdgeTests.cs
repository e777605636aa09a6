using System.Text;
using ModelGoPack.Emit;
using ModelGoPack.Licensing;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>Inputs that once crashed, hung or passed silently: each ends in a coded diagnostic now.</summary>
public sealed class InputEdgeTests
{
    [Theory]
    [InlineData("""{ "name": null, "version": "1.0.0" }""", "MGP8004", "\"name\" is null")]
    [InlineData("""{ "name": "m", "version": "1.0.0", "upstream": [{ "name": "T", "relation": null }] }""", "MGP8004", "\"relation\" is null")]
    [InlineData("""{ "name": "m", "version": "1.0.0", "upstream": [{ "name": null, "relation": "derivative" }] }""", "MGP8004", "\"name\" is null")]
    [InlineData("""{ "name": "m", "version": "1.0.0", "modifications": [{ "date": null, "description": "d" }] }""", "MGP8004", "\"date\" is null")]
    [InlineData("""{ "name": "m", "version": "1.0.0", "copyright": ["\ud800"] }""", "MGP8006", "valid Unicode")]
    [InlineData("""{ "name": "m", "version": "1.0.0", "\ud800": 1 }""", "MGP8006", "valid Unicode")]
    [InlineData("""{ "name": "m", "version": "1.0.0", "upstream": [{ "name": "T", "relation": "extracted", "method": "d", "notices": ["x\u0000y"] }] }""", "MGP8006", "control character")]
    [InlineData("""{ "name": "m", "version": "1.0.0", "exclude": ["a\u0007/**"] }""", "MGP8006", "control character")]
    public void Config_values_that_were_dropped_or_crashed_are_errors(string json, string code, string fragment)
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("modelgo.json"), json);

        var (exit, stdout, stderr) = CliRunner.Run("check", temp.Path);

        Assert.Equal(2, exit);
        Assert.Contains($"error {code}", stdout, StringComparison.Ordinal);
        Assert.Contains(fragment, stdout, StringComparison.Ordinal);
        Assert.Empty(stderr);
    }

    [Fact]
    public void Output_that_is_or_holds_the_project_is_refused_and_the_project_kept()
    {
        using var project = new ModelProjectBuilder();
        project.File("modelgo-manifest.json", "{}").File("precious/data.txt", "keep me");
        project.Config["exclude"] = new System.Text.Json.Nodes.JsonArray("modelgo-manifest.json");
        project.Write();
        var before = project.Snapshot();

        var same = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, project.Root + "/", BundleFormat.Directory);
        var parent = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, project.Scratch, BundleFormat.Directory);

        Assert.Equal("MGP8015", Assert.Single(same.Diagnostics).Code);
        Assert.Equal("MGP8015", Assert.Single(parent.Diagnostics).Code);
        Assert.Equal(before, project.Snapshot());
    }

    [Fact]
    public void A_folder_named_like_a_generated_file_is_MGP8010()
    {
        using var project = new ModelProjectBuilder();
        project.File("LICENSE/x.txt", "x").File("notice/y.txt", "y").Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Equal(["LICENSE/x.txt", "notice/y.txt"], result.Diagnostics.Where(d => d.Code == "MGP8010").Select(d => d.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Named_pipes_and_undecodable_names_are_MGP8009_and_pack_does_not_hang()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        Assert.Equal(0, ProcessRunner.Run("mkfifo", project.Root, "pipe").ExitCode);
        Assert.Equal(0, ProcessRunner.Run("sh", project.Root, "-c", "touch \"$(printf 'bad\\377name')\"").ExitCode);

        var check = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });
        var pack = Task.Run(() => ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, Path.Combine(project.Scratch, "out.zip"), BundleFormat.Zip));

        var packed = await pack.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(["MGP8009", "MGP8009"], check.Diagnostics.Select(d => d.Code));
        Assert.Contains(check.Diagnostics, d => d.Path == "pipe" && d.Message.Contains("not a regular file", StringComparison.Ordinal));
        Assert.Contains(check.Diagnostics, d => d.Message.Contains("not valid UTF-8", StringComparison.Ordinal));
        Assert.Equal(2, packed.ExitCode);
        Assert.False(File.Exists(Path.Combine(project.Scratch, "out.zip")));
    }

    [Fact]
    public void Output_with_a_trailing_slash_is_the_folder_itself()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var output = Path.Combine(project.Scratch, "out");

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output + "/", BundleFormat.Directory);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        Assert.Equal(output, result.OutputPath);
        Assert.True(File.Exists(Path.Combine(output, "modelgo-manifest.json")));
    }

    [Fact]
    public void Notice_paths_never_follow_a_linked_folder_out_of_the_project()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Teacher", "extracted", "distillation");
        var upstream = (System.Text.Json.Nodes.JsonObject)project.Array("upstream")[0]!;
        upstream["notices"] = new System.Text.Json.Nodes.JsonArray("ext/hostname", "upstream");
        project.Config["exclude"] = new System.Text.Json.Nodes.JsonArray("ext/**");
        project.Write();
        Directory.CreateSymbolicLink(Path.Combine(project.Root, "ext"), "/etc");

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var errors = result.Diagnostics.Where(d => d.Code == "MGP4002").Select(d => d.Message).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, m => m.Contains("'ext/hostname'", StringComparison.Ordinal) && m.Contains("symbolic link", StringComparison.Ordinal));
        Assert.Contains(errors, m => m.Contains("'upstream'", StringComparison.Ordinal) && m.Contains("is a folder", StringComparison.Ordinal));
    }

    [Fact]
    public void Notice_text_keeps_form_feeds_and_unicode_line_separators()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Teacher", "extracted", "distillation", "a\fb\u2028c\u0085d\r\ne\rf\n").Write();
        var output = Path.Combine(project.Scratch, "out");

        ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, BundleFormat.Directory);

        Assert.Contains("a\fb\u2028c\u0085d\ne\nf\n", File.ReadAllText(Path.Combine(output, "NOTICE")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check", "")]
    [InlineData("init", "")]
    [InlineData("pack", ".", "--output", "")]
    [InlineData("check", ".", "--templates", "")]
    public void Empty_arguments_are_diagnostics_not_crashes(params string[] args)
    {
        var (exit, stdout, stderr) = CliRunner.Run(args);

        Assert.Equal(2, exit);
        Assert.Matches("MGP80(12|13|15)", stdout);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Paths_in_reports_are_not_joined_to_the_project_twice()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var config = Path.Combine(project.Root, "modelgo.json");

        var (_, asFile, _) = CliRunner.Run("check", config);
        var (_, templates, _) = CliRunner.Run("check", project.Root, "--templates", "no-such-folder");

        Assert.StartsWith($"{config}: error MGP8012", asFile, StringComparison.Ordinal);
        Assert.StartsWith($"{Path.GetFullPath("no-such-folder")}: error MGP8013", templates, StringComparison.Ordinal);
    }

    [Fact]
    public void License_rewrapped_to_20_columns_is_still_the_canonical_text()
    {
        var narrow = new StringBuilder();
        foreach (var line in LicenseText.Text.Split("\r\n"))
        {
            var width = 0;
            foreach (var word in line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                if (width > 0 && width + 1 + word.Length > 20)
                {
                    narrow.Append('\n');
                    width = 0;
                }

                narrow.Append(width > 0 ? " " : "").Append(word);
                width += (width > 0 ? 1 : 0) + word.Length;
            }

            narrow.Append('\n');
        }

        Assert.Equal(LicenseMatchKind.Canonical, LicenseIdentifier.Identify(narrow.ToString()).Kind);
    }
}

using System.Text.Json;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

public sealed class CliTests
{
    private static readonly string Example = Path.Combine(RepositoryRoot.Path, "tests", "examples", "tiny-llm-distilled");

    [Fact]
    public void Example_packs_to_a_zip_that_unzip_accepts_and_whose_digests_sha256sum_confirms()
    {
        using var temp = new TempDirectory();
        var zip = temp.Combine("example.zip");

        var (exit, stdout, _) = CliRunner.Run("pack", Example, "--format", "zip", "--output", zip);

        Assert.Equal(0, exit);
        Assert.Contains("Compliant with MG-BY-SA-2.0 (0 warnings).", stdout, StringComparison.Ordinal);
        var (unzipExit, unzipOutput) = ProcessRunner.Run("unzip", null, "-t", zip);
        Assert.True(unzipExit == 0, unzipOutput);
        Assert.Contains("No errors detected", unzipOutput, StringComparison.Ordinal);

        var extracted = temp.Combine("x");
        Assert.Equal(0, ProcessRunner.Run("unzip", null, "-q", zip, "-d", extracted).ExitCode);
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(extracted, "modelgo-manifest.json")));
        var files = manifest.RootElement.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(10, files.Count);
        foreach (var file in files)
        {
            var path = file.GetProperty("path").GetString()!;
            var (shaExit, shaOutput) = ProcessRunner.Run("sha256sum", extracted, path);
            Assert.Equal(0, shaExit);
            Assert.Equal(file.GetProperty("sha256").GetString(), shaOutput.Split(' ')[0]);
        }

        // Weights are stored, text is deflated.
        var (_, listing) = ProcessRunner.Run("zipinfo", null, zip);
        Assert.Matches(@"stor\s.*model\.safetensors", listing);
        Assert.Matches(@"defN\s.*NOTICE", listing);
        Assert.DoesNotContain("runs/", listing, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_json_report_has_the_versioned_shape_and_exit_code()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Base", "derivative", "fine-tuning").Write();

        var (exit, stdout, _) = CliRunner.Run("check", project.Root, "--format", "json");

        Assert.Equal(1, exit);
        using var report = JsonDocument.Parse(stdout);
        var root = report.RootElement;
        Assert.Equal(1, root.GetProperty("reportVersion").GetInt32());
        Assert.False(root.GetProperty("compliant").GetBoolean());
        var d = Assert.Single(root.GetProperty("diagnostics").EnumerateArray());
        Assert.Equal("MGP2001", d.GetProperty("code").GetString());
        Assert.Equal("error", d.GetProperty("severity").GetString());
        Assert.Equal("modelgo.json", d.GetProperty("path").GetString());
        Assert.True(d.GetProperty("line").GetInt32() > 0);
        Assert.Contains("Base", d.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_report_prints_msbuild_style_lines_with_the_project_path()
    {
        using var project = new ModelProjectBuilder();
        project.Config["copyrights"] = new System.Text.Json.Nodes.JsonArray();
        project.Write();

        var (exit, stdout, _) = CliRunner.Run("check", project.Root);

        Assert.Equal(2, exit);
        Assert.Matches(@"modelgo\.json\(\d+,\d+\): error MGP8003: Unknown key 'copyrights'", stdout);
        Assert.StartsWith(project.Root, stdout, StringComparison.Ordinal);
        Assert.Contains("Not compliant: 1 error, 0 warnings.", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_refuses_a_non_compliant_project_with_exit_1_and_writes_nothing()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Teacher", "derivative", "distillation").Write();
        var output = Path.Combine(project.Scratch, "out");

        var (exit, stdout, _) = CliRunner.Run("pack", project.Root, "-o", output);

        Assert.Equal(1, exit);
        Assert.Contains("error MGP3002", stdout, StringComparison.Ordinal);
        Assert.Contains("No bundle was written.", stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Theory]
    [InlineData("pack", "--format", "tar")]
    [InlineData("check", "--format", "xml")]
    [InlineData("check", ".", "--no-such-flag")]
    [InlineData("frobnicate")]
    public void Bad_usage_exits_2_with_a_message_on_stderr(params string[] args)
    {
        var (exit, _, stderr) = CliRunner.Run(args);

        Assert.Equal(2, exit);
        Assert.Contains("modelgopack:", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_config_or_folder_exits_2_with_a_hint()
    {
        using var temp = new TempDirectory();

        var (noConfig, stdout, _) = CliRunner.Run("check", temp.Path);
        var (noFolder, stdout2, _) = CliRunner.Run("check", temp.Combine("nope"));

        Assert.Equal(2, noConfig);
        Assert.Contains("MGP8001", stdout, StringComparison.Ordinal);
        Assert.Contains("modelgopack init", stdout, StringComparison.Ordinal);
        Assert.Equal(2, noFolder);
        Assert.Contains("MGP8012", stdout2, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_SOURCE_DATE_EPOCH_is_MGP8017()
    {
        var (exit, stdout, _) = CliRunner.Run(new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = "yesterday" }, "check", Example);

        Assert.Equal(2, exit);
        Assert.Contains("MGP8017", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void SOURCE_DATE_EPOCH_sets_the_entry_times()
    {
        using var temp = new TempDirectory();
        var zip = temp.Combine("b.zip");

        var (exit, _, _) = CliRunner.Run(new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = "1767225600" }, "pack", Example, "-f", "zip", "-o", zip);

        Assert.Equal(0, exit);
        using var archive = System.IO.Compression.ZipFile.OpenRead(zip);
        Assert.All(archive.Entries, e => Assert.Equal(new DateTime(2026, 1, 1), e.LastWriteTime.DateTime));
    }

    [Fact]
    public void Init_writes_a_commented_skeleton_that_check_reads_and_never_overwrites()
    {
        using var temp = new TempDirectory();
        var folder = temp.Combine("My Model");
        Directory.CreateDirectory(folder);

        var (exit, _, _) = CliRunner.Run("init", folder);

        Assert.Equal(0, exit);
        var path = Path.Combine(folder, "modelgo.json");
        var text = File.ReadAllText(path);
        Assert.Contains("\"name\": \"My-Model\"", text, StringComparison.Ordinal);
        Assert.Contains("// derivative: you modified the upstream's Licensed Materials", text, StringComparison.Ordinal);

        // The skeleton reads back: an empty folder is then only missing its weights and copyright lines.
        var (checkExit, stdout, _) = CliRunner.Run("check", folder);
        Assert.Equal(1, checkExit);
        Assert.Contains("warning MGP4001", stdout, StringComparison.Ordinal);
        Assert.Contains("error MGP5001", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("MGP80", stdout, StringComparison.Ordinal);

        File.AppendAllText(path, "// mine\n");
        var (again, stdout2, _) = CliRunner.Run("init", folder);
        Assert.Equal(2, again);
        Assert.Contains("MGP8016", stdout2, StringComparison.Ordinal);
        Assert.EndsWith("// mine\n", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Version_flag_prints_the_tool_version()
    {
        // The real entry point: in process, the test host would be the entry assembly.
        var (exit, stdout) = ToolProcess.Run(null, "--version");

        Assert.Equal(0, exit);
        Assert.StartsWith(ToolInfo.Version, stdout.Trim(), StringComparison.Ordinal);
    }
}

using System.Text.Json;
using ModelGoPack.Cli;
using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>Usage errors are usage errors (issue 15, point 5), and the messages of point 6.</summary>
public sealed class CliUsageTests
{
    private static readonly string Example = Path.Combine(RepositoryRoot.Path, "tests", "examples", "tiny-llm-distilled");


    // --- unknown options ---

    [Theory]
    [InlineData("pack --fromat zip", "modelgopack: unknown option '--fromat'; did you mean '--format'?", "pack")]
    [InlineData("pack --fromat", "modelgopack: unknown option '--fromat'; did you mean '--format'?", "pack")]
    [InlineData("pack --fromat=zip", "modelgopack: unknown option '--fromat'; did you mean '--format'?", "pack")]
    [InlineData("check --quite", "modelgopack: unknown option '--quite'; did you mean '--quiet'?", "check")]
    [InlineData("check --no-cahce", "modelgopack: unknown option '--no-cahce'; did you mean '--no-cache'?", "check")]
    [InlineData("check --Format json", "modelgopack: unknown option '--Format'; did you mean '--format'?", "check")]
    [InlineData("verify b.zip --extarct out", "modelgopack: unknown option '--extarct'; did you mean '--extract'?", "verify")]
    [InlineData("check --xyz", "modelgopack: unknown option '--xyz'.", "check")]
    [InlineData("inspect -x", "modelgopack: unknown option '-x'.", "inspect")]
    public void An_unknown_option_is_exit_2_never_the_DIR_argument_with_the_closest_option_suggested(string command, string message, string name)
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("project"));

        // Run where a project would be found, so that taking the option for DIR would give a verdict.
        var (exit, output) = ToolProcess.Run(temp.Path, command.Split(' '));

        Assert.Equal(2, exit);
        Assert.Equal($"{message}\nRun 'modelgopack {name} --help' for usage.\n", output);
        Assert.Equal(["project"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_folder_named_like_an_option_is_passed_after_double_dash()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var folder = Path.Combine(project.Scratch, "--model");
        Directory.Move(project.Root, folder);
        try
        {
            var (unknown, refused) = ToolProcess.Run(project.Scratch, "check", "--model", "--no-cache", "-q");
            var (exit, output) = ToolProcess.Run(project.Scratch, "check", "--no-cache", "-q", "--", "--model");

            Assert.Equal(2, unknown);
            Assert.StartsWith("modelgopack: unknown option '--model'.", refused, StringComparison.Ordinal);
            Assert.Equal(0, exit);
            Assert.Equal("Compliant with MG-BY-SA-2.0 (0 warnings).\n", output);
        }
        finally
        {
            Directory.Move(folder, project.Root);
        }
    }

    [Fact]
    public void An_option_value_that_starts_with_a_dash_is_the_options()
    {
        using var temp = new TempDirectory();

        var (exit, stdout, _) = CliRunner.Run("stamp-dataset", temp.Path, "--generator", "-teacher-", "--description", "-x");

        Assert.Equal(0, exit);
        Assert.StartsWith("Wrote ", stdout, StringComparison.Ordinal);
        var stamp = File.ReadAllText(temp.Combine("modelgo-dataset.json"));
        Assert.Contains("\"name\": \"-teacher-\"", stamp, StringComparison.Ordinal);
        Assert.Contains("\"description\": \"-x\"", stamp, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--fromat", "--format")]
    [InlineData("-fromat", "--format")]
    [InlineData("--outptu", "--output")]
    [InlineData("--templtes", "--templates")]
    [InlineData("--verfy-upstream", "--verify-upstream")]
    [InlineData("--fmt", null)]
    [InlineData("--out", null)]
    [InlineData("--zzzzzz", null)]
    public void A_suggestion_is_the_closest_long_option_and_only_a_close_one(string typed, string? suggested)
    {
        string[] options = ["--output", "-o", "--format", "-f", "--templates", "--quiet", "-q", "--cache", "--no-cache", "--verify-upstream", "--help", "-h", "-?"];

        Assert.Equal(suggested, Usage.Suggest(typed, options));
    }

    // --- values of options with a fixed set of them ---

    [Fact]
    public void Enum_values_are_case_insensitive()
    {
        using var temp = new TempDirectory();
        var zip = temp.Combine("b.zip");

        var (packExit, _, packErr) = CliRunner.Run("pack", Example, "--format", "ZIP", "--output", zip, "--no-cache", "-q");
        var (checkExit, report, _) = CliRunner.Run("check", Example, "-f", "Json", "--no-cache", "-q");
        var (inspectExit, listing, _) = CliRunner.Run("inspect", Example, "--format", "JSON");
        var (verifyExit, sarif, _) = CliRunner.Run("verify", zip, "--format", "Sarif", "-q");

        Assert.Equal((0, ""), (packExit, packErr));
        Assert.Equal("PK"u8.ToArray(), File.ReadAllBytes(zip)[..2]);
        Assert.Equal(0, checkExit);
        Assert.Equal(1, JsonDocument.Parse(report).RootElement.GetProperty("reportVersion").GetInt32());
        Assert.Equal(0, inspectExit);
        Assert.True(JsonDocument.Parse(listing).RootElement.GetProperty("artifacts").GetArrayLength() > 0);
        Assert.Equal(0, verifyExit);
        Assert.Equal("2.1.0", JsonDocument.Parse(sarif).RootElement.GetProperty("version").GetString());
    }

    [Theory]
    [InlineData("pack", "tar", "dir, zip, tar.gz, oci")]
    [InlineData("check", "xml", "text, json, sarif")]
    [InlineData("verify", "html", "text, json, sarif")]
    [InlineData("inspect", "sarif", "text, json")]
    public void A_bad_value_lists_the_accepted_values(string command, string value, string accepted)
    {
        string[] args = command == "verify" ? [command, "b.zip", "--format", value] : [command, "--format", value];

        var (exit, stdout, stderr) = CliRunner.Run(args);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"modelgopack: '{value}' is not a value of --format; the accepted values are {accepted} (in any case).\nRun 'modelgopack {command} --help' for usage.\n", stderr.ReplaceLineEndings("\n"));
    }

    // --- contradictory flags ---

    [Theory]
    [InlineData("pack")]
    [InlineData("check")]
    public void Cache_and_no_cache_together_are_refused(string command)
    {
        using var temp = new TempDirectory();
        var cache = temp.Combine("cache");
        var output = temp.Combine("out");

        var (exit, stdout, stderr) = CliRunner.Run(command == "pack"
            ? ["pack", Example, "--cache", cache, "--no-cache", "-o", output]
            : ["check", Example, "--no-cache", "--cache", cache]);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"modelgopack: --cache and --no-cache contradict each other: --no-cache reads and writes no digest cache, and --cache names the cache to read and write. Give one of them.\nRun 'modelgopack {command} --help' for usage.\n", stderr.ReplaceLineEndings("\n"));
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    // --- finding the project above the current folder ---

    [Fact]
    public void Check_pack_and_inspect_from_a_subfolder_find_the_project_above_and_say_so()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        Directory.CreateDirectory(Path.Combine(project.Root, ".git"));
        var below = Path.Combine(project.Root, "scripts", "eval");
        Directory.CreateDirectory(below);
        var zip = Path.Combine(project.Scratch, "b.zip");
        var note = $"modelgopack: using the project in '../..' ({project.Root}): the current folder holds no modelgo.json, and '../..' is the nearest folder above it that does.\n";

        var (checkExit, check) = ToolProcess.Run(below, "check", "--no-cache", "-q");
        var (packExit, pack) = ToolProcess.Run(below, "pack", "--no-cache", "-q", "-f", "zip", "-o", zip);
        var (inspectExit, inspect) = ToolProcess.Run(below, "inspect");

        Assert.Equal((0, "Compliant with MG-BY-SA-2.0 (0 warnings).\n" + note), (checkExit, check));
        Assert.Equal(0, packExit);
        Assert.Contains($"Wrote {zip} (", pack, StringComparison.Ordinal);
        Assert.EndsWith(note, pack, StringComparison.Ordinal);
        Assert.True(File.Exists(zip));
        Assert.Equal(0, inspectExit);
        Assert.Contains("model.safetensors", inspect, StringComparison.Ordinal);
        Assert.EndsWith(note, inspect, StringComparison.Ordinal);
        Assert.Equal(["eval"], Directory.GetFileSystemEntries(Path.Combine(project.Root, "scripts")).Select(Path.GetFileName));
    }

    [Fact]
    public void The_search_stops_at_the_repository_root_and_an_explicit_DIR_is_never_searched_above()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var repository = Path.Combine(project.Root, "vendored");
        Directory.CreateDirectory(Path.Combine(repository, ".git"));
        var below = Path.Combine(repository, "src");
        Directory.CreateDirectory(below);

        var (searched, above) = ToolProcess.Run(below, "check", "--no-cache", "-q");
        var (given, explicitDir) = ToolProcess.Run(Path.Combine(project.Root, "vendored"), "check", ".", "--no-cache", "-q");

        Assert.Equal(2, searched);
        Assert.Equal($"./modelgo.json: error MGP8001: No modelgo.json in the current folder ({below}) or a folder above it up to '{repository}', the repository's root. Pass the project's folder as DIR, or run from inside it. Run `modelgopack init` in the model project to write a modelgo.json skeleton, then fill it in.\nNot compliant: 1 error, 0 warnings.\n", above);
        Assert.Equal(2, given);
        Assert.StartsWith($"./modelgo.json: error MGP8001: No modelgo.json in '{repository}'. ", explicitDir, StringComparison.Ordinal);
        Assert.DoesNotContain("using the project", explicitDir, StringComparison.Ordinal);
    }

    // --- another system's absolute paths ---

    [Theory]
    [InlineData("--output", @"C:\out\m.zip", "a Windows path on drive C:")]
    [InlineData("-o", "C:/out", "a Windows path on drive C:")]
    [InlineData("--output", @"\\server\share\x", "a Windows network (UNC) path")]
    [InlineData("--output", @"\out\m.zip", "a Windows path rooted on the current drive")]
    [InlineData("--templates", @"d:\templates", "a Windows path on drive D:")]
    [InlineData("--cache", "C:", "a Windows path on drive C:")]
    public void Another_systems_absolute_path_is_refused_as_MGP8042_and_never_created(string option, string path, string what)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var temp = new TempDirectory();
        var name = option == "-o" ? "--output" : option;

        var (exit, output) = ToolProcess.Run(temp.Path, "pack", Example, option, path, "-q");

        Assert.Equal(2, exit);
        Assert.StartsWith($"modelgopack: error MGP8042: {name} '{path}' is {what}; on this system it is no absolute path, but a file named so in the current folder. On Linux and macOS, ", output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void Verify_and_DIR_refuse_another_systems_absolute_path_too()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var (extractExit, _, extract) = CliRunner.Run("verify", "b.zip", "--extract", @"C:\x");
        var (dirExit, _, dir) = CliRunner.Run("check", @"\\server\models\m");

        Assert.Equal(2, extractExit);
        Assert.StartsWith(@"modelgopack: error MGP8042: --extract 'C:\x' is a Windows path on drive C:;", extract, StringComparison.Ordinal);
        Assert.Equal(2, dirExit);
        Assert.StartsWith(@"modelgopack: error MGP8042: DIR '\\server\models\m' is a Windows network (UNC) path;", dir, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(@"C:\out", false, true)]
    [InlineData("c:/out", false, true)]
    [InlineData("C:", false, true)]
    [InlineData(@"\\server\share", false, true)]
    [InlineData(@"\out", false, true)]
    [InlineData("/out/m.zip", false, false)]
    [InlineData("out/m.zip", false, false)]
    [InlineData("C:out", false, false)]
    [InlineData("CD:/out", false, false)]
    [InlineData("/out/m.zip", true, false)]
    [InlineData(@"C:\out", true, false)]
    [InlineData(@"\\server\share", true, false)]
    public void Only_what_is_foreign_to_the_running_system_is_refused(string path, bool windows, bool foreign)
    {
        Assert.Equal(foreign, Usage.ForeignPath(path, windows) is not null);
    }

    // --- messages ---

    [Theory]
    [InlineData("---\nlicense: other\nbad: \"x\n---\n# m\n", 3, "README.md's front matter is not valid YAML: ")]
    [InlineData("---\nlicense: other\n  bad: x: y\n---\n# m\n", 3, "README.md's front matter is not valid YAML: ")]
    [InlineData("---\nlicense: other\n", 1, "README.md's front matter opened by '---' on line 1 is never closed by a '---' line. ")]
    [InlineData("---\n- a\n---\n", 0, "README.md's front matter is not a YAML mapping of keys. ")]
    public void MGP8024_says_README_mds_front_matter_at_the_line_of_the_YAML_error(string card, int line, string message)
    {
        using var project = new ModelProjectBuilder();
        project.File("README.md", card).Write();

        var (exit, stdout, _) = CliRunner.Run("check", project.Root, "--no-cache", "-q");

        Assert.Equal(2, exit);
        var where = Path.Join(project.Root, "README.md") + (line > 0 ? $"({line},1)" : "");
        Assert.StartsWith($"{where}: error MGP8024: {message}", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("README.md's the", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_json_gives_no_verdict_and_says_why()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("notes.md"), "# notes\n");
        using var project = new ModelProjectBuilder();
        project.Write();

        var (bareExit, bare, _) = CliRunner.Run("inspect", temp.Path, "-f", "json");
        var (projectExit, configured, _) = CliRunner.Run("inspect", project.Root, "-f", "json");

        Assert.Equal(0, bareExit);
        var root = JsonDocument.Parse(bare).RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("compliant").ValueKind);
        Assert.Equal("The folder holds no modelgo.json, so it is no model project to evaluate; inspect lists its files. Run modelgopack init, then check, for a verdict.", root.GetProperty("notEvaluated").GetString());
        Assert.Equal("notes.md", Assert.Single(root.GetProperty("artifacts").EnumerateArray()).GetProperty("path").GetString());
        Assert.Equal(0, projectExit);
        var withConfig = JsonDocument.Parse(configured).RootElement;
        Assert.Equal(JsonValueKind.Null, withConfig.GetProperty("compliant").ValueKind);
        Assert.Equal("inspect lists the files and what their headers say, and does not evaluate the license obligations; run check for a verdict.", withConfig.GetProperty("notEvaluated").GetString());
    }

    [Theory]
    [InlineData(BundleFormat.Zip)]
    [InlineData(BundleFormat.TarGz)]
    [InlineData(BundleFormat.Directory)]
    [InlineData(BundleFormat.Oci)]
    public void Verify_extracts_into_an_existing_empty_folder_and_keeps_the_folder(BundleFormat format)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var bundle = project.Pack(format).OutputPath!;
        var target = Path.Combine(project.Scratch, "empty");
        Directory.CreateDirectory(target);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }

        var (exit, stdout, _) = CliRunner.Run("verify", bundle, "--extract", target, "-q");

        Assert.Equal(0, exit);
        Assert.EndsWith($"Extracted to {target}.\n", stdout, StringComparison.Ordinal);
        Assert.Equal(
            ["LICENSE", "NOTICE", "README.md", "config.json", "model.safetensors", "modelgo-manifest.json", "modelgo.json"],
            Directory.GetFiles(target, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(target, f)).Order(StringComparer.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute, File.GetUnixFileMode(target));
        }

        Assert.Equal(0, CliRunner.Run("verify", target, "-q").ExitCode);
    }

    [Fact]
    public void Verify_never_extracts_into_a_folder_that_holds_something_or_onto_a_file()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var bundle = project.Pack(BundleFormat.Zip).OutputPath!;
        var full = Path.Combine(project.Scratch, "full");
        Directory.CreateDirectory(full);
        File.WriteAllText(Path.Combine(full, "mine.txt"), "mine");
        var file = Path.Combine(project.Scratch, "file");
        File.WriteAllText(file, "mine too");

        var (fullExit, fullOut, _) = CliRunner.Run("verify", bundle, "--extract", full, "-q");
        var (fileExit, fileOut, _) = CliRunner.Run("verify", bundle, "--extract", file, "-q");

        Assert.Equal(2, fullExit);
        Assert.Equal(
            $"{full}: error MGP9011: '{full}' already exists and is a folder that is not empty. verify --extract writes a new folder, or fills an empty one, and never replaces or merges into anything already there (a file, a link, a folder that holds something). Name a folder that does not exist yet or is empty, or move what is there out of the way first.\n"
            + $"{bundle} was not verified: the path to extract to exists and is not an empty folder.\n"
            + $"Nothing was extracted to {full}: it could not be written there (above).\n",
            fullOut);
        Assert.Equal(["mine.txt"], Directory.GetFileSystemEntries(full).Select(Path.GetFileName));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(full, "mine.txt")));
        Assert.Equal(2, fileExit);
        Assert.Contains($"error MGP9011: '{file}' already exists and is a file.", fileOut, StringComparison.Ordinal);
        Assert.Equal("mine too", File.ReadAllText(file));
        Assert.Empty(Directory.EnumerateFileSystemEntries(project.Scratch, ".modelgopack-tmp-*"));
    }
}

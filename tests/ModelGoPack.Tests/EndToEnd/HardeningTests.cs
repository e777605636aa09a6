using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests.EndToEnd;

/// <summary>
/// Faults and environments: a real signal in the middle of a pack, every command against the user's
/// tree, and the same bytes under other time zones, locales, umasks and modification times.
/// </summary>
public sealed class HardeningTests
{
    private static string Tool => ToolProcess.Command;

    [Theory]
    [InlineData("INT", "zip")]
    [InlineData("TERM", "zip")]
    [InlineData("INT", "dir")]
    [InlineData("TERM", "tar.gz")]
    public async Task Signal_during_pack_exits_130_and_leaves_no_bundle_and_no_temporary_files(string signal, string format)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        Safetensors.WriteSparse(Path.Combine(project.Root, "big.safetensors"), 8L << 30, "F32");
        var outputFolder = Path.Combine(project.Scratch, "out");
        Directory.CreateDirectory(outputFolder);
        var output = Path.Combine(outputFolder, "bundle" + (format == "dir" ? "" : "." + format));
        var before = project.Snapshot(hashUpTo: 1 << 20);

        using var process = ToolProcess.Start("pack", project.Root, "--format", format, "--output", output, "--no-cache");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        // Signal once the bundle is being written (its temporary name exists), well before 8 GiB are done.
        ToolProcess.WaitUntilWriting(process, outputFolder);
        Assert.Equal(0, ProcessRunner.Run("kill", null, "-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ExitCode);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(130, process.ExitCode);
        Assert.Contains("interrupted", await stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(outputFolder));
        Assert.Equal(before, project.Snapshot(hashUpTo: 1 << 20));
    }

    [Fact]
    public void No_command_changes_a_file_of_the_project()
    {
        using var project = new ModelProjectBuilder();
        project.File("docs/notes.md", "notes\n").File("data/train.jsonl", "{}\n").Write();
        var before = project.Snapshot();
        var cache = Path.Combine(project.Scratch, "cache");
        var inside = Path.Combine(project.Root, "bin", "modelgo");

        var runs = new[]
        {
            CliRunner.Run("check", project.Root, "--cache", cache),
            CliRunner.Run("check", project.Root, "--format", "json", "--cache", cache),
            CliRunner.Run("check", project.Root, "--format", "sarif", "--no-cache"),
            CliRunner.Run("inspect", project.Root, "--format", "json"),
            CliRunner.Run("pack", project.Root, "--cache", cache),
            CliRunner.Run("pack", project.Root, "--format", "zip", "--no-cache"),
            CliRunner.Run("pack", project.Root, "--format", "tar.gz", "--output", Path.Combine(project.Scratch, "b.tar.gz")),
            CliRunner.Run("verify", Path.Combine(project.Scratch, "b.tar.gz")),
            CliRunner.Run("init", project.Root),
        };

        Assert.All(runs.Take(8), r => Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr));
        Assert.Equal(2, runs[^1].ExitCode); // init refuses: modelgo.json exists (MGP8016)
        Assert.True(Directory.Exists(inside), "pack's default output is bin/modelgo/ inside the project");
        var after = project.Snapshot();
        foreach (var generated in after.Keys.Where(k => k.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)).ToList())
        {
            after.Remove(generated);
        }

        Assert.Equal(before, after);
    }

    [Theory]
    [InlineData("zip")]
    [InlineData("tar.gz")]
    public void Bundle_bytes_are_the_same_under_other_time_zones_locales_umasks_and_modification_times(string format)
    {
        using var project = new ModelProjectBuilder();
        project.Config["releaseDate"] = "2026-06-01";
        project.File("docs/notes.md", "Grüße, 日本語\n").Write();
        Directory.CreateDirectory(Path.Combine(project.Scratch, "out"));
        string Pack(string name, string environment)
        {
            var output = Path.Combine(project.Scratch, "out", name + "." + format);
            var (exit, printed) = ProcessRunner.Run("bash", null, "-c",
                environment + " exec \"$0\" pack \"$1\" --format \"$2\" --output \"$3\" --no-cache --quiet", Tool, project.Root, format, output);
            Assert.True(exit == 0, printed);
            return output;
        }

        var reference = File.ReadAllBytes(Pack("reference", "export TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8; umask 022;"));
        var variants = new List<string>
        {
            Pack("tokyo", "export TZ=Asia/Tokyo;"),
            Pack("newfoundland", "export TZ=America/St_Johns;"),
            Pack("german", "export LANG=de_DE.UTF-8 LC_ALL=de_DE.UTF-8;"),
            Pack("turkish", "export LANG=tr_TR.UTF-8 LC_ALL=tr_TR.UTF-8 DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=0;"),
            Pack("umask", "umask 077;"),
        };

        // Unchanged content with other modification times: releaseDate pins the bundle's time.
        foreach (var file in Directory.EnumerateFiles(project.Root, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, new DateTime(2031, 3, 4, 5, 6, 7, DateTimeKind.Utc));
        }

        variants.Add(Pack("touched", ""));

        Assert.All(variants, path => Assert.True(reference.AsSpan().SequenceEqual(File.ReadAllBytes(path)), $"{Path.GetFileName(path)} differs from the reference"));
    }
}

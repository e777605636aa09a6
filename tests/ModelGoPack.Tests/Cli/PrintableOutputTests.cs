using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ModelGoPack.Tests.Support;
using Task = ModelGoPack.Tasks.PackModel;

namespace ModelGoPack.Tests;

/// <summary>
/// What logs and CI read: a file name (or a fact read from a file, or an argument) holding a newline, a
/// carriage return or an escape sequence never reaches the output raw, in any command and in the MSBuild log,
/// so it cannot forge a line such as a GitHub Actions workflow command (<c>::error ...</c>).
/// </summary>
public sealed partial class PrintableOutputTests
{
    /// <summary>A name that, printed raw, starts a workflow command on a line of its own, rewinds the line and clears it.</summary>
    private const string Hostile = "x\n::error file=README.md,line=1::forged finding\r\u001b[2K\u2028.txt";


    [Theory]
    [InlineData("check")]
    [InlineData("pack")]
    [InlineData("check --format sarif")]
    [InlineData("inspect")]
    public void Project_commands_print_a_hostile_file_name_escaped(string command)
    {
        using var project = new ModelProjectBuilder();
        project.File(Hostile, "hello\n").Write();
        string[] args = [.. command.Split(' ').Take(1), project.Root, .. command.Split(' ').Skip(1)];
        if (command == "pack")
        {
            args = [.. args, "--output", Path.Combine(project.Scratch, "out.zip")];
        }

        var (exit, stdout, stderr) = CliRunner.Run(args);

        AssertPrintable(stdout + stderr);
        Assert.Equal(command == "inspect" ? 0 : 2, exit);
        if (command.EndsWith("sarif", StringComparison.Ordinal))
        {
            // Each result's URI is a valid URI reference (RFC 3986: percent-encoded), and names the file.
            var uris = JsonNode.Parse(stdout)!["runs"]![0]!["results"]!.AsArray()
                .Select(r => (string)r!["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]!).ToList();
            Assert.All(uris, uri => Assert.True(UriReference().IsMatch(uri), Uri.EscapeDataString(uri)));
            Assert.Contains(uris, uri => Uri.UnescapeDataString(uri).EndsWith("/" + Hostile, StringComparison.Ordinal));
        }
        else
        {
            Assert.Contains(@"x\u000A::error file=README.md,line=1::forged finding\u000D\u001B[2K\u2028.txt", stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Inspect_prints_facts_read_from_a_file_escaped()
    {
        using var project = new ModelProjectBuilder();
        project.File("config.json", """{"architectures": ["Tiny\n::error::forged\r"], "model_type": "tiny\u001b[2K", "torch_dtype": "float32"}""").Write();

        var (exit, stdout, stderr) = CliRunner.Run("inspect", project.Root);

        Assert.Equal(0, exit);
        AssertPrintable(stdout + stderr);
        Assert.Contains(@"architectures=Tiny\u000A::error::forged\u000D", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zip")]
    [InlineData("dir")]
    public void Verify_prints_a_hostile_entry_name_escaped(string form)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var bundle = project.Pack(form == "zip" ? Emit.BundleFormat.Zip : Emit.BundleFormat.Directory).OutputPath!;
        if (form == "zip")
        {
            using var archive = ZipFile.Open(bundle, ZipArchiveMode.Update);
            using var writer = new StreamWriter(archive.CreateEntry(Hostile).Open());
            writer.Write("hello\n");
        }
        else
        {
            File.WriteAllText(Path.Combine(bundle, Hostile), "hello\n");
        }

        var (exit, stdout, stderr) = CliRunner.Run("verify", bundle);

        Assert.Equal(2, exit);
        AssertPrintable(stdout + stderr);
        Assert.Contains(@"x\u000A::error file=README.md", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Stamp_dataset_prints_the_path_it_wrote_escaped()
    {
        using var temp = new TempDirectory();
        var dataset = temp.Combine("data\n::error::forged");
        Directory.CreateDirectory(dataset);

        var (exit, stdout, stderr) = CliRunner.Run("stamp-dataset", dataset, "--generator", "Teacher\n::error::name");

        Assert.Equal(0, exit);
        AssertPrintable(stdout + stderr);
        Assert.Contains(@"Wrote " + temp.Path + @"/data\u000A::error::forged/modelgo-dataset.json.", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Init_prints_the_path_it_wrote_escaped_when_the_working_folder_has_a_hostile_name()
    {
        using var temp = new TempDirectory();
        var folder = temp.Combine("model\n::error::forged");
        Directory.CreateDirectory(folder);

        // The working folder is the process's own, so this one runs out of process.
        var (exit, output) = ToolProcess.Run(folder, "init", ".");

        Assert.Equal(0, exit);
        AssertPrintable(output);
        Assert.Contains(@"model\u000A::error::forged/modelgo.json", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_argument_echoed_in_a_usage_error_is_escaped()
    {
        var (exit, stdout, stderr) = CliRunner.Run("check", "a", "b\n::error::forged\r");

        Assert.Equal(2, exit);
        AssertPrintable(stdout + stderr);
        Assert.Contains(@"b\u000A::error::forged\u000D", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_MSBuild_task_logs_a_hostile_file_name_escaped_in_message_and_file()
    {
        using var project = new ModelProjectBuilder();
        project.File(Hostile, "hello\n").Write();
        var engine = new FakeBuildEngine(Path.Combine(project.Scratch, "ModelGoPack.targets"));
        var task = new Task
        {
            BuildEngine = engine,
            ProjectDirectory = project.Root,
            ProjectFile = Path.Combine(project.Root, "model.proj"),
            IntermediateDirectory = Path.Combine(project.Scratch, "obj"),
            BundleDirectory = Path.Combine(project.Scratch, "out"),
        };

        Assert.False(task.Execute());

        var error = Assert.Single(engine.Errors);
        Assert.Equal("MGP8031", error.Code);
        var logged = engine.Errors.Select(e => (e.Message ?? "") + "\n" + (e.File ?? ""))
            .Concat(engine.Warnings.Select(w => (w.Message ?? "") + "\n" + (w.File ?? "")))
            .Concat(engine.Messages.ToList().Select(m => (m.Message ?? "") + "\n" + (m.File ?? "")));
        Assert.All(logged, AssertPrintable);
        Assert.EndsWith(@"x\u000A::error file=README.md,line=1::forged finding\u000D\u001B[2K\u2028.txt", error.File, StringComparison.Ordinal);
    }

    /// <summary>No line of <paramref name="output"/> starts a workflow command or holds a control character or line separator.</summary>
    private static void AssertPrintable(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            Assert.False(line.TrimStart().StartsWith("::", StringComparison.Ordinal), $"A line starts a workflow command: {line}");
            Assert.False(line.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029'), $"A line holds a raw control character: {Uri.EscapeDataString(line)}");
        }
    }

    // RFC 3986: unreserved, sub-delims, ':', '@', '/', '?', '#' and percent-encoded octets only.
    [GeneratedRegex(@"^([A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-F]{2})+$")]
    private static partial Regex UriReference();
}

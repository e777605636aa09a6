using System.Text.RegularExpressions;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests.EndToEnd;

/// <summary>
/// The commands the docs pages show work when pasted: each page's shell blocks are taken from the page as it is and run
/// in bash, with <c>modelgopack</c> the tool this build made, on the files the page names. The other blocks are run
/// elsewhere (docs/msbuild.md's feed command by <see cref="ReadmeCommandTests"/>, the benchmark by CI) or are examples
/// of a finding (docs/diagnostics/).
/// </summary>
public sealed class DocsCommandTests
{
    [Fact]
    public void The_verify_page_commands_run_as_written()
    {
        using var temp = new TempDirectory();
        // The files the page names: the example packed as zip (and again as received.zip) and tar.gz, and a .nupkg beside
        // its bundle, made by the pack this build's task runs.
        var example = Path.Combine(RepositoryRoot.Path, "tests", "examples", "tiny-llm-distilled");
        Pack(example, temp.Combine("tiny-llm-distilled.1.0.0.zip"), "zip");
        Pack(example, temp.Combine("received.tar.gz"), "tar.gz");
        Pack(example, temp.Combine("scratch", "folder"), "dir");
        File.Copy(temp.Combine("tiny-llm-distilled.1.0.0.zip"), temp.Combine("received.zip"));
        ModelPackage.Write(temp.Combine("tiny-llm-distilled.1.0.0.nupkg"), temp.Combine("scratch", "folder"));

        var (exit, output) = Shell(temp.Path, Block("verify.md", "sh"));

        Assert.True(exit == 0, output);
        Assert.Contains("Verified tiny-llm-distilled.1.0.0.zip: 10 files match modelgo-manifest.json; compliant", output, StringComparison.Ordinal);
        Assert.Contains("Verified tiny-llm-distilled.1.0.0.nupkg", output, StringComparison.Ordinal);
        Assert.Contains("Verified received.tar.gz", output, StringComparison.Ordinal);
        Assert.True(File.Exists(temp.Combine("received", "NOTICE")), output);
        var sarif = File.ReadAllText(temp.Combine("verify.sarif"));
        Assert.Contains("\"version\": \"2.1.0\"", sarif, StringComparison.Ordinal);
    }

    [Fact]
    public void The_dataset_stamp_page_command_runs_as_written()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("data", "synthetic"));
        File.WriteAllText(temp.Combine("data", "synthetic", "train.jsonl"), "{\"text\": \"hi\"}\n");

        var (exit, output) = Shell(temp.Path, Block("dataset-stamps.md", "sh"));

        Assert.True(exit == 0, output);
        var stamp = File.ReadAllText(temp.Combine("data", "synthetic", Inspection.DatasetStamp.FileName));
        Assert.Contains("Teacher-7B", stamp, StringComparison.Ordinal);
        Assert.Contains("Teacher Labs", stamp, StringComparison.Ordinal);
        Assert.Contains("2026-04-01", stamp, StringComparison.Ordinal);
    }

    // The page's first ```LANGUAGE block, as written.
    private static string Block(string page, string language)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", page));
        var match = Regex.Match(text, "```" + language + "\n(?<body>.*?)```", RegexOptions.Singleline);
        Assert.True(match.Success, $"docs/{page} has no ```{language} block");
        return match.Groups["body"].Value;
    }

    // bash, with modelgopack the installed tool (native on linux-x64).
    private static (int Exit, string Output) Shell(string folder, string script) =>
        ProcessRunner.Run("bash", folder, new Dictionary<string, string?>(), "-euo", "pipefail", "-c",
            $"modelgopack() {{ '{ToolProcess.Command}' \"$@\"; }}\n{script}");

    private static void Pack(string project, string output, string format)
    {
        var (exit, stdout, stderr) = CliRunner.Run("pack", project, "--format", format, "--output", output, "--no-cache", "--quiet");
        Assert.True(exit == 0, stdout + stderr);
    }
}

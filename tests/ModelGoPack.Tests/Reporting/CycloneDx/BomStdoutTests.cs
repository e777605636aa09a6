using System.Text;
using System.Text.Json.Nodes;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests.Reporting.CycloneDx;

/// <summary>
/// The BOM on standard output (second review, issue 17): the bytes --output writes, in any locale, through the raw stream;
/// a write that fails there is a coded write failure, not a crash. Each fails without its fix.
/// </summary>
public sealed class BomStdoutTests
{
    private static string Example => Path.Combine(RepositoryRoot.Path, "tests", "examples", "tiny-llm-distilled");

    private static string Tool => ToolProcess.Command;

    [Fact]
    public void Standard_output_is_the_bytes_of_output_under_a_Latin_1_locale()
    {
        using var project = LatinProject();
        var piped = Path.Combine(project.Scratch, "stdout.json");
        var file = Path.Combine(project.Scratch, "file.json");

        var (exit, printed) = ProcessRunner.Run("bash", null, "-c",
            "export LANG=en_US.ISO-8859-1 LC_ALL=en_US.ISO-8859-1; exec \"$0\" bom \"$1\" --no-cache --quiet > \"$2\"", Tool, project.Root, piped);
        Assert.True(exit == 0, printed);
        var (written, said) = ProcessRunner.Run("bash", null, "-c",
            "export LANG=en_US.ISO-8859-1 LC_ALL=en_US.ISO-8859-1; exec \"$0\" bom \"$1\" --no-cache --quiet --output \"$2\"", Tool, project.Root, file);
        Assert.True(written == 0, said);

        var bytes = File.ReadAllBytes(piped);
        Assert.Equal(File.ReadAllBytes(file), bytes);
        Assert.Contains("Copyright © 2026 Ünïcode Lab", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void Standard_output_through_the_raw_stream_is_the_bytes_of_output()
    {
        using var project = LatinProject();
        var file = Path.Combine(project.Scratch, "file.json");

        var (exit, stdout, stderr) = CliRunner.RunRaw("bom", project.Root, "--no-cache", "--quiet");
        Assert.True(exit == 0, stderr);
        Assert.Equal(0, CliRunner.Run("bom", project.Root, "--no-cache", "--quiet", "--output", file).ExitCode);
        Assert.Equal(File.ReadAllBytes(file), stdout);
    }

    [Fact]
    public void A_full_disk_on_standard_output_is_a_coded_write_failure()
    {
        var (exit, printed) = ProcessRunner.Run("bash", null, "-c", "exec \"$0\" bom \"$1\" --no-cache --quiet > /dev/full", Tool, Example);

        Assert.Equal(2, exit);
        Assert.Contains("MGP9001", printed, StringComparison.Ordinal);
        Assert.Contains("Cannot write the BOM to 'standard output'", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("MGP8099", printed, StringComparison.Ordinal);
    }

    // A project whose BOM holds text that is not ASCII, and that ISO-8859-1 can encode (so a wrong encoding shows).
    private static ModelProjectBuilder LatinProject()
    {
        var project = new ModelProjectBuilder();
        project.Config["copyright"] = new JsonArray("Copyright © 2026 Ünïcode Lab");
        project.Write();
        return project;
    }
}

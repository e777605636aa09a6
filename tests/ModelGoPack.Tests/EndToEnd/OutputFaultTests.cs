using System.IO.Compression;
using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests.EndToEnd;

/// <summary>Writing fails part-way (a file size limit, as on FAT32 or under ulimit -f): a coded error, nothing left behind.</summary>
public sealed class OutputFaultTests
{
    [Theory]
    [InlineData("zip", "weights")]
    [InlineData("zip", "text")]
    [InlineData("tar.gz", "weights")]
    [InlineData("dir", "weights")]
    public void File_too_large_for_the_limit_is_MGP9001_and_leaves_nothing(string format, string kind)
    {
        using var project = new ModelProjectBuilder();
        var random = new byte[4 << 20];
        new Random(7).NextBytes(random);
        if (kind == "weights")
        {
            project.Bytes("big.safetensors", Safetensors.WithData(random));
            Safetensors.Write(Path.Combine(project.Root, "full.safetensors"), ("w", "F32", [4, 4]));
        }
        else
        {
            project.File("data.txt", Convert.ToBase64String(random));
        }

        project.Write();
        var output = Path.Combine(project.Scratch, "out", "bundle" + (format == "dir" ? "" : "." + format));
        var tool = ToolProcess.Command;

        // 2 MiB at most per file (bash counts in KiB); SIGXFSZ ignored, so a write fails with EFBIG. The
        // runtime's W^X double mapping (a large memory file) is turned off so that .NET itself starts.
        var (exit, printed) = ProcessRunner.Run("bash", null, "-c",
            "ulimit -f 2048; trap '' XFSZ; DOTNET_EnableWriteXorExecute=0 exec \"$0\" pack \"$1\" --format \"$2\" --output \"$3\" --no-cache --quiet", tool, project.Root, format, output);

        Assert.True(exit == 2, printed);
        Assert.True(printed.Contains("error MGP9001", StringComparison.Ordinal), printed);
        Assert.DoesNotContain("MGP8099", printed, StringComparison.Ordinal);
        Assert.False(File.Exists(output) || Directory.Exists(output), printed);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(project.Scratch, "out")));
    }

    [Fact]
    public void Empty_text_files_make_entries_that_unzip_tests_as_ok()
    {
        using var project = new ModelProjectBuilder();
        project.File("pkg/__init__.py", "").File("docs/.gitkeep", "").Write();
        var output = Path.Combine(project.Scratch, "b.zip");

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, BundleFormat.Zip);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        var (exit, printed) = ProcessRunner.Run("unzip", null, "-t", output);
        Assert.True(exit == 0, printed);
        Assert.Contains("testing: pkg/__init__.py", printed, StringComparison.Ordinal);
        using var archive = ZipFile.OpenRead(output);
        Assert.Equal(0, archive.GetEntry("pkg/__init__.py")!.Length);
        Assert.Equal(Bundle.Sha256([]), result.Files.Single(f => f.Path == "pkg/__init__.py").Sha256);
    }
}

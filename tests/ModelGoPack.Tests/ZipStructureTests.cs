using System.IO.Compression;
using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// verify reads a zip as every reader does, front to back and from its central directory, and refuses one that
/// readers see differently. Each hostile archive is built here, shown to fool another reader (unzip reads the
/// central directory; bsdtar from a pipe walks the local headers, as Java's ZipInputStream and streaming unzippers
/// do), and then refused by verify, which extracts nothing of it. Zips that other tools write still verify.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ZipStructureTests
{
    [Theory]
    [InlineData("evil.sh", "rm -rf ~\n")]
    [InlineData("model.safetensors", "other weights")]
    public void A_local_entry_the_central_directory_does_not_list_is_refused(string name, string data)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        ZipSurgery.HideLocalEntry(zip, name, System.Text.Encoding.UTF8.GetBytes(data));

        // The two kinds of reader disagree: unzip lists one model.safetensors and no evil.sh, bsdtar from a pipe both.
        var central = ProcessRunner.Run("unzip", null, "-Z1", zip).Output.Split('\n').Count(l => l == name);
        var streamed = Streamed(zip).Count(l => l == name);
        Assert.Equal(central + 1, streamed);

        var (exit, stdout, extracted) = VerifyAndExtract(project, zip);

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9007", stdout, StringComparison.Ordinal);
        Assert.Contains("belong to no entry", stdout, StringComparison.Ordinal);
        Assert.False(extracted);
    }

    [Fact]
    public void A_local_name_other_than_the_central_one_is_refused_as_unsafe()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        ZipSurgery.RenameLocal(zip, "config.json", "../../x.cfg");
        Assert.Contains("config.json", ProcessRunner.Run("unzip", null, "-Z1", zip).Output, StringComparison.Ordinal);
        Assert.Contains("../../x.cfg", Streamed(zip));

        var (exit, stdout, extracted) = VerifyAndExtract(project, zip);

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9010", stdout, StringComparison.Ordinal);
        Assert.Contains("the local header of 'config.json' names it '../../x.cfg'", stdout, StringComparison.Ordinal);
        Assert.False(extracted);
    }

    [Fact]
    public void An_entry_with_the_encryption_flag_is_refused()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        ZipSurgery.SetEncrypted(zip, "README.md");

        var (exit, stdout, extracted) = VerifyAndExtract(project, zip);

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9007", stdout, StringComparison.Ordinal);
        Assert.Contains("'README.md' is encrypted", stdout, StringComparison.Ordinal);
        Assert.False(extracted);
    }

    [Theory]
    [InlineData("prefix")]
    [InlineData("trailer")]
    [InlineData("gap")]
    public void Bytes_that_belong_to_no_record_are_refused(string where)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        var bytes = File.ReadAllBytes(zip);
        var junk = "MZ\u0090 not a zip record, but bytes an attacker put here"u8.ToArray();
        if (where == "prefix")
        {
            // A self-extracting stub: unzip finds the entries anyway, by the offsets it shifts.
            File.WriteAllBytes(zip, [.. junk, .. bytes]);
        }
        else if (where == "trailer")
        {
            File.WriteAllBytes(zip, [.. bytes, .. junk]);
        }
        else
        {
            ZipSurgery.InsertBeforeDirectory(zip, junk);
        }

        var (exit, stdout, extracted) = VerifyAndExtract(project, zip);

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9007", stdout, StringComparison.Ordinal);
        Assert.False(extracted);
    }

    [Fact]
    public void Damaged_data_whose_size_is_intact_is_damaged_by_its_CRC()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        ZipDamage.Corrupt(zip, "model.safetensors", 200, 204);

        var (exit, stdout, _) = CliRunner.Run("verify", zip, "--quiet");

        Assert.Equal(2, exit);
        Assert.Contains("'model.safetensors' cannot be read from the zip: damaged (CRC)", stdout, StringComparison.Ordinal);
    }

    public static TheoryData<string> Producers => ["Info-ZIP zip -r", "Info-ZIP to a pipe (data descriptors)", "git archive", ".NET ZipArchive to a stream that cannot seek"];

    [Theory]
    [MemberData(nameof(Producers))]
    public void Zips_other_tools_write_verify(string producer)
    {
        using var project = new ModelProjectBuilder();
        project.File("docs/notes.md", "notes\n").Write();
        var bundle = project.Pack(BundleFormat.Directory, "bundle").OutputPath!;
        var zip = Path.Combine(project.Scratch, "other.zip");
        switch (producer)
        {
            case "Info-ZIP zip -r":
                Assert.Equal(0, ProcessRunner.Run("zip", bundle, "-qr", zip, ".").ExitCode);
                break;
            case "Info-ZIP to a pipe (data descriptors)":
                Assert.Equal(0, ProcessRunner.Run("bash", bundle, "-c", "zip -qr -fd - . > \"$0\"", zip).ExitCode);
                break;
            case "git archive":
                var git = ProcessRunner.Run("bash", bundle, "-c",
                    "git init -q && git add -A && git -c user.email=a@b -c user.name=n commit -qm x && git archive --format=zip -o \"$0\" HEAD && rm -rf .git", zip);
                Assert.True(git.ExitCode == 0, git.Output);
                break;
            default:
                using (var file = File.Create(zip))
                using (var archive = new ZipArchive(new ForwardOnly(file), ZipArchiveMode.Create))
                {
                    foreach (var path in Directory.EnumerateFiles(bundle, "*", SearchOption.AllDirectories))
                    {
                        using var entry = archive.CreateEntry(Path.GetRelativePath(bundle, path)).Open();
                        entry.Write(File.ReadAllBytes(path));
                    }
                }

                break;
        }

        Assert.Equal(0, ProcessRunner.Run("unzip", null, "-tq", zip).ExitCode);

        var (exit, stdout, _) = CliRunner.Run("verify", zip, "--quiet");

        Assert.True(exit == 0, stdout);
        Assert.Contains("files match modelgo-manifest.json; compliant", stdout, StringComparison.Ordinal);
    }

    // What a streaming reader (bsdtar reading the archive from a pipe, front to back) lists.
    private static string[] Streamed(string zip)
    {
        var (exit, output) = ProcessRunner.Run("bash", null, "-c", "cat \"$0\" | bsdtar -tf -", zip);
        Assert.True(exit == 0 || output.Length > 0, $"bsdtar (Debian's libarchive-tools) is needed: {output}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static (int Exit, string Stdout, bool Extracted) VerifyAndExtract(ModelProjectBuilder project, string zip)
    {
        var target = Path.Combine(project.Scratch, "never");
        var (exit, stdout, stderr) = CliRunner.Run("verify", zip, "--extract", target, "--quiet");
        Assert.DoesNotContain("MGP8099", stdout + stderr, StringComparison.Ordinal);
        return (exit, stdout, Path.Exists(target));
    }

    /// <summary>A write-only stream that cannot seek, so that ZipArchive writes data descriptors.</summary>
    private sealed class ForwardOnly(Stream inner) : Emit.WriteOnlyStream
    {
        private long written;

        public override long Position
        {
            get => this.written;
            set => throw new NotSupportedException();
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            this.written += buffer.Length;
        }

        public override void Flush() => inner.Flush();
    }
}

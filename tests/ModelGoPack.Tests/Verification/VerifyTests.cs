using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelGoPack.Diagnostics;
using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>verify: a received bundle against its manifest, in each container.</summary>
public sealed class VerifyTests
{
    [Theory]
    [InlineData("the last member's CRC-32")]
    [InlineData("data in the middle")]
    public void A_tar_gz_whose_gzip_data_is_damaged_says_damaged_CRC_not_an_unsupported_method(string where)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var bundle = project.Pack(BundleFormat.TarGz, "b.tar.gz").OutputPath!;
        var bytes = File.ReadAllBytes(bundle);
        bytes[where.StartsWith("the last", StringComparison.Ordinal) ? bytes.Length - 8 : bytes.Length / 2] ^= 0x55;
        File.WriteAllBytes(bundle, bytes);

        var (exit, stdout, _) = CliRunner.Run("verify", bundle, "--quiet");

        Assert.Equal(2, exit);
        var line = stdout.Split('\n').Single(l => l.Contains("error MGP9007", StringComparison.Ordinal) || l.Contains("error MGP9003", StringComparison.Ordinal));
        Assert.Contains("damaged (CRC", line, StringComparison.Ordinal);
        Assert.DoesNotContain("compliant", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BundleFormat.Directory)]
    [InlineData(BundleFormat.Zip)]
    [InlineData(BundleFormat.TarGz)]
    [InlineData(BundleFormat.Oci)]
    public void Bundle_as_packed_verifies_with_every_file(BundleFormat format)
    {
        using var project = new ModelProjectBuilder();
        project.File("docs/a.md", "a\n").Write();
        var bundle = Pack(project, format);

        var result = ModelGoPackEngine.Verify(bundle.Path);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(bundle.Files.ToDictionary(f => f.Path, f => f.Sha256), result.Digests.ToDictionary(p => p.Key, p => p.Value));
    }

    [Fact]
    public void Altered_missing_and_unlisted_files_are_each_reported_with_their_code()
    {
        using var project = new ModelProjectBuilder();
        project.File("docs/a.md", "a\n").File("docs/b.md", "b\n").Write();
        var bundle = Pack(project, BundleFormat.Directory).Path;
        File.WriteAllText(Path.Combine(bundle, "docs", "a.md"), "A\n");
        File.Delete(Path.Combine(bundle, "docs", "b.md"));
        File.WriteAllText(Path.Combine(bundle, "docs", "c.md"), "c\n");
        File.AppendAllText(Path.Combine(bundle, "config.json"), " ");

        var result = ModelGoPackEngine.Verify(bundle);

        Assert.Equal(
            [("MGP9003", "config.json"), ("MGP9003", "docs/a.md"), ("MGP9004", "docs/b.md"), ("MGP9005", "docs/c.md")],
            result.Diagnostics.Select(d => (d.Code, d.Path!)).Order());
        Assert.Equal(ExitCodes.InputErrors, result.ExitCode);
        Assert.Contains("SHA-256", result.Diagnostics.Single(d => d.Path == "docs/a.md").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zip_entry_replaced_with_other_bytes_of_the_same_size_is_altered()
    {
        using var project = new ModelProjectBuilder();
        project.File("docs/a.md", "aaaa\n").Write();
        var bundle = Pack(project, BundleFormat.Zip).Path;
        using (var archive = ZipFile.Open(bundle, ZipArchiveMode.Update))
        {
            archive.GetEntry("docs/a.md")!.Delete();
            using var stream = archive.CreateEntry("docs/a.md").Open();
            stream.Write("bbbb\n"u8);
        }

        var result = ModelGoPackEngine.Verify(bundle);

        var altered = Assert.Single(result.Diagnostics);
        Assert.True(altered.Code == "MGP9003", altered.Message);
        Assert.Equal(("MGP9003", "docs/a.md"), (altered.Code, altered.Path));
    }

    [Fact]
    public void Zip_entry_longer_than_its_manifest_size_is_altered_without_reading_it_all()
    {
        using var project = new ModelProjectBuilder();
        project.File("docs/a.md", "a\n").Write();
        var bundle = Pack(project, BundleFormat.Zip).Path;
        using (var archive = ZipFile.Open(bundle, ZipArchiveMode.Update))
        {
            archive.GetEntry("docs/a.md")!.Delete();
            using var stream = archive.CreateEntry("docs/a.md", CompressionLevel.SmallestSize).Open();
            stream.Write(new byte[64 << 20]);
        }

        var result = ModelGoPackEngine.Verify(bundle);

        Assert.Equal(("MGP9003", "docs/a.md"), (Assert.Single(result.Diagnostics).Code, result.Diagnostics[0].Path));
    }

    [Fact]
    public void Zip_entry_with_damaged_compressed_data_is_altered_not_a_crash()
    {
        using var project = new ModelProjectBuilder();
        project.File("docs/a.md", string.Concat(Enumerable.Repeat("some compressible text\n", 2000))).Write();
        var bundle = Pack(project, BundleFormat.Zip).Path;
        ZipDamage.Corrupt(bundle, "docs/a.md", 10, 40);

        var result = ModelGoPackEngine.Verify(bundle);

        var altered = Assert.Single(result.Diagnostics);
        Assert.Equal(("MGP9003", "docs/a.md"), (altered.Code, altered.Path));
    }

    [Fact]
    public async Task Named_pipe_in_a_folder_bundle_is_reported_without_blocking()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var bundle = Pack(project, BundleFormat.Directory).Path;
        File.Delete(Path.Combine(bundle, "config.json"));
        Assert.Equal(0, ProcessRunner.Run("mkfifo", null, Path.Combine(bundle, "config.json")).ExitCode);

        var result = await Task.Run(() => ModelGoPackEngine.Verify(bundle)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(
            [("MGP9005", "config.json")],
            result.Diagnostics.Where(d => d.Code.StartsWith("MGP9", StringComparison.Ordinal)).Select(d => (d.Code, d.Path!)).Order());
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("modelgo-manifest.json")]
    public void Manifest_listing_a_path_outside_the_bundle_is_MGP9006(string path)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var bundle = Pack(project, BundleFormat.Directory).Path;
        var manifestPath = Path.Combine(bundle, "modelgo-manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        manifest["files"]!.AsArray().Add(new JsonObject { ["path"] = path, ["size"] = 1, ["sha256"] = new string('0', 64) });
        File.WriteAllText(manifestPath, manifest.ToJsonString());

        var result = ModelGoPackEngine.Verify(bundle);

        var invalid = Assert.Single(result.Diagnostics);
        Assert.Equal("MGP9006", invalid.Code);
        Assert.Contains(path, invalid.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InputErrors, result.ExitCode);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"files\": [{\"path\": \"a\", \"size\": 1, \"sha256\": \"XYZ\"}]}")]
    [InlineData("{\"files\": [{\"path\": \"a\", \"size\": -1, \"sha256\": \"0000000000000000000000000000000000000000000000000000000000000000\"}]}")]
    public void Malformed_manifest_is_MGP9006(string manifest)
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("modelgo-manifest.json"), manifest);

        var result = ModelGoPackEngine.Verify(temp.Path);

        Assert.Equal("MGP9006", Assert.Single(result.Diagnostics).Code);
    }

    [Theory]
    [InlineData("a 17 MiB declaration", "what it declares besides its files list is larger than 16 MiB")]
    [InlineData("a path that is not UTF-8", "it is not valid UTF-8 text")]
    [InlineData("8,000,001 line breaks in its files list", "its \"files\" list has more than 8,000,000 line breaks")]
    [InlineData("a path of 8 KiB", "it lists a path longer than 1,024 bytes")]
    [InlineData("a 20 MiB value in a files entry", "it holds a value longer than 16 MiB")]
    [InlineData("a byte that is not UTF-8 in a key verify ignores", "it is not valid UTF-8 text")]
    [InlineData("a files entry that gives its path twice", "a \"files\" entry gives \"path\" twice")]
    [InlineData("1,000,001 values in what it declares", "it declares more than 1,000,000 values besides its files list")]
    public void A_manifest_verify_would_have_to_hold_or_cannot_decode_is_MGP9006(string what, string says)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var bundle = Pack(project, BundleFormat.Directory).Path;
        var manifestPath = Path.Combine(bundle, "modelgo-manifest.json");
        var text = File.ReadAllText(manifestPath);
        var bytes = what switch
        {
            "a 17 MiB declaration" => System.Text.Encoding.UTF8.GetBytes(text.Replace("\"files\":", $"\"description\": [{string.Join(',', Enumerable.Repeat($"\"{new string('A', 1 << 20)}\"", 17))}],\n  \"files\":", StringComparison.Ordinal)),
            "a path that is not UTF-8" => System.Text.Encoding.UTF8.GetBytes(text),
            "a path of 8 KiB" => System.Text.Encoding.UTF8.GetBytes(text.Replace("\"path\": \"config.json\"", $"\"path\": \"{new string('p', 8192)}\"", StringComparison.Ordinal)),
            "a 20 MiB value in a files entry" => System.Text.Encoding.UTF8.GetBytes(text.Replace("\"path\": \"config.json\"", $"\"note\": \"{new string('n', 20 << 20)}\", \"path\": \"config.json\"", StringComparison.Ordinal)),
            "a files entry that gives its path twice" => System.Text.Encoding.UTF8.GetBytes(text.Replace("\"path\": \"config.json\"", "\"path\": \"other.json\", \"path\": \"config.json\"", StringComparison.Ordinal)),
            "1,000,001 values in what it declares" => System.Text.Encoding.UTF8.GetBytes(text.Replace("\"files\":", $"\"notes\": [{string.Join(',', Enumerable.Repeat("0", 1_000_001))}],\n  \"files\":", StringComparison.Ordinal)),
            "a byte that is not UTF-8 in a key verify ignores" => System.Text.Encoding.UTF8.GetBytes(text.Replace("\"path\": \"config.json\"", "\"note\": \"\u00ff\", \"path\": \"config.json\"", StringComparison.Ordinal)),
            _ => System.Text.Encoding.UTF8.GetBytes(text.Replace("\"files\": [", "\"files\": [" + new string('\n', 8_000_001), StringComparison.Ordinal)),
        };
        if (what == "a path that is not UTF-8")
        {
            var at = text.IndexOf("\"path\": \"config.json\"", StringComparison.Ordinal) + "\"path\": \"config".Length;
            bytes = [.. bytes.AsSpan(0, at), 0xFF, .. bytes.AsSpan(at)];
        }
        else if (what == "a byte that is not UTF-8 in a key verify ignores")
        {
            // The ÿ written above (0xC3 0xBF in UTF-8) becomes the lone byte 0xFF, in a key verify reads past.
            var at = bytes.AsSpan().IndexOf("\"note\": \"ÿ"u8) + "\"note\": \"".Length;
            bytes = [.. bytes.AsSpan(0, at), 0xFF, .. bytes.AsSpan(at + 2)];
        }

        File.WriteAllBytes(manifestPath, bytes);

        var result = ModelGoPackEngine.Verify(bundle);

        var invalid = Assert.Single(result.Diagnostics);
        Assert.Equal("MGP9006", invalid.Code);
        Assert.Contains(says, invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entries_with_names_of_a_megabyte_are_shown_shortened()
    {
        // Names of control characters are refused (MGP9010); the message shows the name's start and end, not all of it.
        using var temp = new TempDirectory();
        var archive = temp.Combine("names.tar.gz");
        using (var file = File.Create(archive))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new System.Formats.Tar.TarWriter(gzip, System.Formats.Tar.TarEntryFormat.Gnu))
        {
            for (var i = 0; i < 3; i++)
            {
                tar.WriteEntry(new System.Formats.Tar.GnuTarEntry(System.Formats.Tar.TarEntryType.RegularFile, $"{i:D4}" + new string('\u0001', 1 << 20)));
            }
        }

        var (exit, stdout, _) = CliRunner.Run("verify", archive, "--quiet");

        Assert.Equal(2, exit);
        var refused = stdout.Split('\n').Where(l => l.Contains("error MGP9010", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, refused.Count);
        Assert.All(refused, line =>
        {
            Assert.True(line.Length < 2048, $"a line of {line.Length} characters");
            Assert.Contains("…", line, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData(BundleFormat.Zip, "d00/modelgo-manifest.json", false)]
    [InlineData(BundleFormat.Zip, "d00/LICENSE", false)]
    [InlineData(BundleFormat.Zip, "LICENSE", true)]
    [InlineData(BundleFormat.TarGz, "d00/modelgo-manifest.json", true)]
    [InlineData(BundleFormat.TarGz, "d00/LICENSE", true)]
    [InlineData(BundleFormat.TarGz, "d00/e/LICENSE", false)]
    [InlineData(BundleFormat.TarGz, "docs/notes.md", false)]
    public void Only_the_files_the_evaluation_reads_at_the_root_are_claimed_whole(BundleFormat format, string path, bool claimed)
    {
        // A zip knows its wrapping folder before reading, so only root paths; a tar.gz learns it at its end, so one down.
        var content = new Verification.BundleContent { Source = "x", Format = format };

        Assert.Equal(claimed, content.ClaimWhole(path));
    }

    [Fact]
    public void At_most_16_texts_and_one_manifest_are_claimed_whole()
    {
        // Many folders that each hold a LICENSE or a manifest: memory stays bounded by what is claimed.
        var content = new Verification.BundleContent { Source = "x", Format = BundleFormat.TarGz };

        Assert.Equal(16, Enumerable.Range(0, 40).Count(i => content.ClaimWhole($"d{i:D2}/LICENSE")));
        Assert.Equal(1, Enumerable.Range(0, 40).Count(i => content.ClaimWhole($"d{i:D2}/modelgo-manifest.json")));
        Assert.False(content.ClaimWhole("NOTICE"));
    }

    [Theory]
    [InlineData("text-file", "MGP9007")]
    [InlineData("missing", "MGP9007")]
    [InlineData("truncated-zip", "MGP9007")]
    public void Something_that_is_not_a_bundle_is_a_coded_error(string what, string code)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine(what);
        switch (what)
        {
            case "text-file":
                File.WriteAllText(path, "hello");
                break;
            case "truncated-zip":
                File.WriteAllBytes(path, [.. "PK\u0003\u0004"u8, 0, 0, 0]);
                break;
        }

        var result = ModelGoPackEngine.Verify(path);

        Assert.Equal(code, Assert.Single(result.Diagnostics).Code);
        Assert.Equal(ExitCodes.InputErrors, result.ExitCode);
    }

    [Fact]
    public void Cli_verify_names_the_file_inside_the_archive_and_exits_2()
    {
        using var project = new ModelProjectBuilder();
        project.File("docs/a.md", "a\n").Write();
        var bundle = Pack(project, BundleFormat.Zip).Path;
        using (var archive = ZipFile.Open(bundle, ZipArchiveMode.Update))
        {
            archive.GetEntry("docs/a.md")!.Delete();
        }

        var (exit, stdout, stderr) = CliRunner.Run("verify", bundle, "--quiet");
        var (okExit, okStdout, _) = CliRunner.Run("verify", Pack(project, BundleFormat.TarGz).Path, "--format", "json");

        Assert.Equal(2, exit);
        Assert.Contains($"{bundle}!docs/a.md: error MGP9004", stdout, StringComparison.Ordinal);
        Assert.Equal("", stderr);
        Assert.Equal(0, okExit);
        using var report = JsonDocument.Parse(okStdout);
        Assert.True(report.RootElement.GetProperty("compliant").GetBoolean());
        Assert.Equal(Bundle.Sha256("a\n"u8.ToArray()), report.RootElement.GetProperty("digests").GetProperty("docs/a.md").GetString());
    }

    private static (string Path, IReadOnlyList<ManifestFile> Files) Pack(ModelProjectBuilder project, BundleFormat format)
    {
        var result = project.Pack(format);
        return (result.OutputPath!, result.Files);
    }

    [Fact]
    public void A_named_pipe_given_as_the_bundle_is_refused_not_read_and_a_link_to_a_zip_is_read()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip).OutputPath!;
        var pipe = Path.Combine(project.Scratch, "bundle.zip.pipe");
        var (made, log) = ProcessRunner.Run("mkfifo", null, pipe);
        Assert.True(made == 0, log);

        // Run as its own process: a read of the pipe would block for ever, and the test would hang rather than fail.
        var (exit, output) = ProcessRunner.Run("timeout", null, "60", ToolProcess.Command, "verify", pipe, "-q");
        Assert.Equal(2, exit);
        Assert.Contains("MGP9007", output, StringComparison.Ordinal);
        Assert.Contains("neither a folder nor a regular file", output, StringComparison.Ordinal);

        var link = Path.Combine(project.Scratch, "link.zip");
        File.CreateSymbolicLink(link, zip);
        Assert.True(ModelGoPackEngine.Verify(link).Compliant);
    }
}

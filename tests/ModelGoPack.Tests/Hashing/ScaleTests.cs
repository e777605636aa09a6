using System.Text.Json;
using ModelGoPack.Diagnostics;
using ModelGoPack.Emit;
using ModelGoPack.Hashing;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>Big entries, tar.gz, sparse files and files that change while they are read.</summary>
public sealed class ScaleTests
{
    [Fact]
    public void Sparse_5_GiB_weight_goes_into_a_zip64_entry_that_zipinfo_and_unzip_read_back()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        const long size = (5L << 30) + 12345;
        var weight = Path.Combine(project.Root, "big.safetensors");
        Safetensors.WriteSparse(weight, size);
        var output = Path.Combine(project.Scratch, "big.zip");

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, BundleFormat.Zip);

        try
        {
            Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
            var listed = result.Files.Single(f => f.Path == "big.safetensors");
            Assert.Equal(new FileInfo(weight).Length, listed.Size);
            Assert.Equal(Sha256OfSparse(weight), listed.Sha256);

            var (zipinfoExit, zipinfo) = ProcessRunner.Run("zipinfo", null, "-v", output, "big.safetensors");
            Assert.Equal(0, zipinfoExit);
            Assert.Contains($"uncompressed size:                              {new FileInfo(weight).Length} bytes", zipinfo, StringComparison.Ordinal);
            Assert.Contains("compression method:                             none (stored)", zipinfo, StringComparison.Ordinal);
            Assert.Contains("minimum software version required to extract:   4.5", zipinfo, StringComparison.Ordinal);
            Assert.Contains("ID 0x0001 (PKWARE 64-bit sizes)", zipinfo, StringComparison.Ordinal);

            var (unzipExit, unzip) = ProcessRunner.Run("unzip", null, "-tq", output);
            Assert.True(unzipExit == 0, unzip);
            Assert.Contains("No errors detected", unzip, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void Zip_of_70_000_files_has_zip64_end_records_that_unzip_and_dotnet_read()
    {
        using var project = new ModelProjectBuilder();
        const int count = 70_000;
        for (var i = 0; i < count; i++)
        {
            var path = Path.Combine(project.Root, "shards", $"{i / 1000:D3}", $"{i:D5}.txt");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, [(byte)i, (byte)(i >> 8), (byte)(i >> 16)]);
        }

        project.Write();
        var output = Path.Combine(project.Scratch, "many.zip");

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, BundleFormat.Zip);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        var (exit, summary) = ProcessRunner.Run("unzip", null, "-tq", output);
        Assert.True(exit == 0, summary);
        Assert.Contains("No errors detected", summary, StringComparison.Ordinal);
        using (var archive = System.IO.Compression.ZipFile.OpenRead(output))
        {
            Assert.Equal(result.Files.Count + 1, archive.Entries.Count);
            using var stream = archive.GetEntry("shards/069/69999.txt")!.Open();
            var bytes = new byte[3];
            stream.ReadExactly(bytes);
            Assert.Equal(new byte[] { 69999 & 0xFF, (69999 >> 8) & 0xFF, 69999 >> 16 }, bytes);
        }

        // The end of the archive: a Zip64 end record and locator before a classic end record saying 0xFFFF entries.
        var tail = new byte[98];
        using (var file = File.OpenRead(output))
        {
            file.Seek(-tail.Length, SeekOrigin.End);
            file.ReadExactly(tail);
        }

        Assert.Equal(0x06064b50u, BitConverter.ToUInt32(tail, 0));
        Assert.Equal((ulong)(result.Files.Count + 1), BitConverter.ToUInt64(tail, 32));
        Assert.Equal(0x07064b50u, BitConverter.ToUInt32(tail, 56));
        Assert.Equal(0x06054b50u, BitConverter.ToUInt32(tail, 76));
        Assert.Equal(0xFFFF, BitConverter.ToUInt16(tail, 84));
        File.Delete(output);
    }

    [Fact]
    public void Tar_gz_bundle_is_read_back_by_tar_with_every_file_and_fixed_headers()
    {
        using var project = new ModelProjectBuilder();
        var longPath = string.Join('/', Enumerable.Repeat("a-rather-long-folder-name", 6)) + "/notes.md";
        project.File(longPath, "deep\n").Write();
        var output = Path.Combine(project.Scratch, "bundle.tar.gz");

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root, SourceDateEpoch = 1780000000 }, output, BundleFormat.TarGz);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        var (exit, listing) = ProcessRunner.Run("tar", null, new Dictionary<string, string?> { ["TZ"] = "UTC" }, "-tzvf", output);
        Assert.True(exit == 0, listing);
        var lines = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var names = lines.Select(l => l[(l.IndexOf(" 2026-", StringComparison.Ordinal) + 18)..]).ToList();
        Assert.Equal([.. result.Files.Select(f => f.Path), "modelgo-manifest.json"], names);
        Assert.Contains(longPath, names);
        Assert.All(lines, l => Assert.StartsWith("-rw-r--r-- 0/0", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Contains("2026-05-28 20:26", l, StringComparison.Ordinal));

        // Extracted by tar, every file has the manifest's digest.
        var extracted = Path.Combine(project.Scratch, "extracted");
        Directory.CreateDirectory(extracted);
        Assert.Equal(0, ProcessRunner.Run("tar", null, "-xzf", output, "-C", extracted).ExitCode);
        foreach (var file in result.Files)
        {
            Assert.Equal(file.Sha256, Bundle.Sha256(File.ReadAllBytes(Path.Combine(extracted, file.Path))));
        }

        Assert.Equal(0, ProcessRunner.Run("gzip", null, "-t", output).ExitCode);
    }

    [Fact]
    public void Tar_gz_bytes_are_the_same_on_every_run_and_stored_for_weights()
    {
        using var project = new ModelProjectBuilder();
        project.Bytes("weights/random.safetensors", RandomWeights()).File("docs/long.md", string.Concat(Enumerable.Repeat("compressible text\n", 20000))).Write();
        var first = Path.Combine(project.Scratch, "1.tar.gz");
        var second = Path.Combine(project.Scratch, "2.tar.gz");

        Assert.True(ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, first, BundleFormat.TarGz).Compliant);
        Assert.True(ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, second, BundleFormat.TarGz).Compliant);

        var bytes = File.ReadAllBytes(first);
        Assert.Equal(bytes, File.ReadAllBytes(second));

        // Text deflated (18 x 20,000 bytes shrink), random weights stored (3 MiB stays 3 MiB): the total shows both.
        Assert.InRange(bytes.Length, 3 << 20, (3 << 20) + 200_000);

        // Every gzip member's header: no name, no time, OS "Unix", and only pack's mark as extra field (FEXTRA, "MG").
        var members = 0;
        var mark = "\u0016\0MG\u0012\0ModelGoPack bundle"u8.ToArray();
        for (var i = 0; i + 10 + mark.Length <= bytes.Length; i++)
        {
            if (bytes[i] == 0x1f && bytes[i + 1] == 0x8b && bytes[i + 2] == 8 && bytes[i + 3] == 4 && BitConverter.ToInt32(bytes, i + 4) == 0 && bytes[i + 9] == 3
                && bytes.AsSpan(i + 10, mark.Length).SequenceEqual(mark))
            {
                members++;
            }
        }

        Assert.True(members >= 2, $"{members} gzip members found");

        // .NET's own reader takes the members as one stream too.
        Assert.Equal(RandomWeights(), Bundle.Read(first).Bytes("weights/random.safetensors"));
    }

    [Fact]
    public void Folder_bundle_keeps_a_sparse_weight_sparse()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var weight = Path.Combine(project.Root, "sparse.safetensors");
        Safetensors.WriteSparse(weight, 256L << 20);
        var output = Path.Combine(project.Scratch, "out");

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, BundleFormat.Directory);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        var copy = Path.Combine(output, "sparse.safetensors");
        Assert.Equal(new FileInfo(weight).Length, new FileInfo(copy).Length);
        Assert.Equal(Sha256OfSparse(weight), Sha256OfSparse(copy));
        var (_, blocks) = ProcessRunner.Run("stat", null, "-c", "%b %B", copy);
        var parts = blocks.Trim().Split(' ');
        Assert.True(long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) * long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) < 4 << 20, $"allocated: {blocks}");
    }

    [Theory]
    [InlineData("append")]
    [InlineData("rewrite-same-size")]
    [InlineData("replace")]
    public void File_written_while_check_hashes_it_is_MGP9002_not_a_wrong_digest(string mutation)
    {
        using var project = new ModelProjectBuilder();
        var name = $"mutating-{Guid.NewGuid():N}.bin";
        project.Bytes(name, new byte[3 << 20]).Write();
        var full = Path.Combine(project.Root, name);
        void Mutate(string path)
        {
            if (path == name)
            {
                Change(full, mutation);
            }
        }

        SourceStream.FirstBlockRead += Mutate;
        CheckResult result;
        try
        {
            result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });
        }
        finally
        {
            SourceStream.FirstBlockRead -= Mutate;
        }

        var changed = Assert.Single(result.Diagnostics, d => d.Code == "MGP9002");
        Assert.Equal(name, changed.Path);
        Assert.False(result.Digests.ContainsKey(name));
        Assert.Equal(ExitCodes.InputErrors, result.ExitCode);
    }

    [Fact]
    public void File_written_while_pack_copies_it_is_MGP9002_and_no_bundle_is_left()
    {
        using var project = new ModelProjectBuilder();
        var name = $"mutating-{Guid.NewGuid():N}.bin";
        project.Bytes(name, new byte[3 << 20]).Write();
        var full = Path.Combine(project.Root, name);
        var output = Path.Combine(project.Scratch, "out.zip");
        void Mutate(string path)
        {
            if (path == name)
            {
                Change(full, "rewrite-same-size");
            }
        }

        SourceStream.FirstBlockRead += Mutate;
        PackResult result;
        try
        {
            result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, BundleFormat.Zip);
        }
        finally
        {
            SourceStream.FirstBlockRead -= Mutate;
        }

        Assert.Contains(result.Diagnostics, d => d.Code == "MGP9002" && d.Path == name);
        Assert.Null(result.OutputPath);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFileSystemEntries(project.Scratch, ".modelgopack-tmp-*"));
    }

    [Fact]
    public void Check_json_report_gives_each_file_the_sha256_the_manifest_will_list()
    {
        using var project = new ModelProjectBuilder();
        project.File("notes.md", "hello\n").Write();
        var cache = Path.Combine(project.Scratch, "cache");

        var (exit, stdout, _) = CliRunner.Run("check", project.Root, "--format", "json", "--cache", cache);
        var pack = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, Path.Combine(project.Scratch, "b"), BundleFormat.Directory);

        Assert.Equal(0, exit);
        using var report = JsonDocument.Parse(stdout);
        var reported = report.RootElement.GetProperty("artifacts").EnumerateArray()
            .Where(a => a.TryGetProperty("sha256", out _))
            .ToDictionary(a => a.GetProperty("path").GetString()!, a => a.GetProperty("sha256").GetString()!);

        // Every copied project file, with the manifest's digest; README.md is replaced by the generated card.
        var copied = pack.Files.Where(f => !pack.Generated.ContainsKey(f.Path)).ToDictionary(f => f.Path, f => f.Sha256);
        Assert.Equal(copied, reported);
        Assert.DoesNotContain("README.md", reported.Keys);
        Assert.Equal(Bundle.Sha256("hello\n"u8.ToArray()), reported["notes.md"]);
    }

    private static void Change(string path, string how)
    {
        switch (how)
        {
            case "append":
                File.AppendAllText(path, "x");
                break;
            case "rewrite-same-size":
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
                {
                    stream.Position = 2 << 20;
                    stream.WriteByte(1);
                }

                break;
            default:
                var replacement = path + ".new";
                File.WriteAllBytes(replacement, new byte[3 << 20]);
                File.Move(replacement, path, overwrite: true);
                break;
        }
    }

    private static string Sha256OfSparse(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    private static byte[] RandomWeights()
    {
        var data = new byte[3 << 20];
        new Random(42).NextBytes(data);
        return Safetensors.WithData(data);
    }
}

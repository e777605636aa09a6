using System.Globalization;
using System.Text.Json.Nodes;
using ModelGoPack.Discovery;
using ModelGoPack.Emit;
using ModelGoPack.Hashing;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests.EndToEnd;

/// <summary>
/// The digest cache is data from disk, not trusted: pack lists the digests of the bytes it copies whatever
/// the cache says, and a cache file that is a link, a pipe, a device, oversized or malformed is ignored with
/// a note (MGP8034) and replaced by a regular file.
/// </summary>
public sealed class CacheTrustTests
{

    private static readonly DateTime Past = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    [Theory]
    [InlineData("zip")]
    [InlineData("dir")]
    [InlineData("tar.gz")]
    public void Pack_lists_the_digest_of_the_bytes_it_copied_when_the_cache_holds_a_forged_one(string format)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        Age(project.Root);
        var cache = Path.Combine(project.Scratch, "cache");
        var forged = Bundle.Sha256("not the config"u8.ToArray());
        Forge(cache, project.Root, ("config.json", forged));
        var output = Path.Combine(project.Scratch, "bundle" + (format == "dir" ? "" : "." + format));

        var pack = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root, DigestCacheDirectory = cache }, output, format switch
        {
            "zip" => BundleFormat.Zip,
            "tar.gz" => BundleFormat.TarGz,
            _ => BundleFormat.Directory,
        });

        Assert.True(pack.Compliant, string.Join("\n", pack.Diagnostics));
        var real = Bundle.Sha256(File.ReadAllBytes(Path.Combine(project.Root, "config.json")));
        Assert.Equal(real, pack.Files.Single(f => f.Path == "config.json").Sha256);
        var note = Assert.Single(pack.Diagnostics, d => d.Code == "MGP8034");
        Assert.Equal((Diagnostics.Severity.Info, "config.json"), (note.Severity, note.Path));
        Assert.Contains(forged, note.Message, StringComparison.Ordinal);
        Assert.Equal(0, pack.ExitCode);

        // Its own verify accepts it, and the cache now holds the digest of the bytes.
        var verify = ModelGoPackEngine.Verify(output);
        Assert.True(verify.Compliant, string.Join("\n", verify.Diagnostics));
        Assert.DoesNotContain(verify.Diagnostics, d => d.Severity != Diagnostics.Severity.Info);
        Assert.Equal(real, DigestCache.Open(cache, project.Root).TryGet("config.json", FileType.Stamp(Path.Combine(project.Root, "config.json"))!.Value));
    }

    [Fact]
    public void Pack_after_check_hashes_every_byte_it_copies_and_lists_the_digests_check_reported()
    {
        using var project = new ModelProjectBuilder();
        Safetensors.Write(Path.Combine(project.Root, "weights", "extra.safetensors"), ("w", "F32", [512, 1024]));
        project.Write();
        Age(project.Root);

        var cache = Path.Combine(project.Scratch, "cache");
        var check = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root, DigestCacheDirectory = cache });
        var progress = new ProgressCounter();
        var pack = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root, DigestCacheDirectory = cache, Progress = progress }, Path.Combine(project.Scratch, "out.zip"), BundleFormat.Zip);

        Assert.True(pack.Compliant, string.Join("\n", pack.Diagnostics));
        Assert.Equal(pack.Files.Sum(f => f.Size), progress.BytesHashed);
        Assert.DoesNotContain(pack.Diagnostics, d => d.Code == "MGP8034");
        var bundle = Bundle.Read(Path.Combine(project.Scratch, "out.zip"));
        foreach (var file in pack.Files)
        {
            Assert.Equal(Bundle.Sha256(bundle.Bytes(file.Path)), file.Sha256);
            if (check.Digests.TryGetValue(file.Path, out var checkDigest))
            {
                Assert.Equal(checkDigest, file.Sha256);
            }
        }
    }

    [Fact]
    public void A_forged_digest_the_upstream_comparison_relied_on_stops_pack_with_MGP9002_and_is_corrected()
    {
        // The upstream's release lists model.safetensors; the derivative changed it and declares only extra.py.
        using var upstream = new ModelProjectBuilder("base-model");
        upstream.Write();
        var release = Path.Combine(upstream.Scratch, "base");
        Assert.True(ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = upstream.Root }, release, BundleFormat.Directory).Compliant);
        var upstreamDigest = Bundle.Sha256(File.ReadAllBytes(Path.Combine(release, "model.safetensors")));

        using var derivative = new ModelProjectBuilder("derived-model");
        File.Copy(Path.Combine(upstream.Root, "config.json"), Path.Combine(derivative.Root, "config.json"), overwrite: true);
        File.Copy(Path.Combine(upstream.Root, "README.md"), Path.Combine(derivative.Root, "README.md"), overwrite: true);
        Safetensors.Write(Path.Combine(derivative.Root, "model.safetensors"), ("embed.weight", "F32", [4, 2]), ("head.weight", "F32", [2, 4]));
        derivative.File("extra.py", "print('sample')\n").File("upstream/base-release/modelgo-manifest.json", File.ReadAllText(Path.Combine(release, "modelgo-manifest.json")));
        derivative.Upstream("Base", "derivative", "fine-tuning").Modification("2026-05-01", "Added a sampling script", "extra.py");
        ((JsonObject)derivative.Array("upstream")[0]!)["manifest"] = "upstream/base-release/modelgo-manifest.json";
        derivative.Write();

        // A cache that says the changed weights are the upstream's: the comparison would see no change.
        var cache = Path.Combine(derivative.Scratch, "cache");
        Forge(cache, derivative.Root, ("model.safetensors", upstreamDigest));
        var output = Path.Combine(derivative.Scratch, "out.zip");
        var request = new ProjectRequest { ProjectDirectory = derivative.Root, DigestCacheDirectory = cache };

        var pack = ModelGoPackEngine.Pack(request, output, BundleFormat.Zip);

        var d = Assert.Single(pack.Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
        Assert.Equal(("MGP9002", "model.safetensors"), (d.Code, d.Path));
        Assert.Contains(upstreamDigest, d.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(output));

        // The next run compares the real digest: the undeclared change is found, and still nothing is written.
        var again = ModelGoPackEngine.Pack(request, output, BundleFormat.Zip);
        Assert.Contains(again.Diagnostics, d => d.Code == "MGP2006" && d.Path == "model.safetensors");
        Assert.False(File.Exists(output));
    }

    public static TheoryData<string> HostileCacheFiles => ["link to /dev/zero", "named pipe", "link to another file", "sparse file of 300 MiB", "garbage", "folder"];

    [Theory]
    [MemberData(nameof(HostileCacheFiles))]
    public void A_cache_file_that_is_not_a_regular_cache_is_ignored_with_MGP8034_and_replaced_by_a_regular_file(string kind)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var cache = Path.Combine(project.Scratch, "cache");
        Directory.CreateDirectory(cache);
        var file = DigestCache.FilePath(cache, project.Root);
        var outside = Path.Combine(project.Scratch, "elsewhere.txt");
        File.WriteAllText(outside, $"{DigestCache.Header}\n");
        File.SetLastWriteTimeUtc(outside, Past);
        switch (kind)
        {
            case "link to /dev/zero":
                File.CreateSymbolicLink(file, "/dev/zero");
                break;
            case "named pipe":
                Assert.Equal(0, ProcessRunner.Run("mkfifo", null, file).ExitCode);
                break;
            case "link to another file":
                File.CreateSymbolicLink(file, outside);
                break;
            case "sparse file of 300 MiB":
                using (var sparse = File.Create(file))
                {
                    sparse.Write(System.Text.Encoding.UTF8.GetBytes(DigestCache.Header + "\n"));
                    sparse.SetLength(300L << 20);
                }

                break;
            case "garbage":
                File.WriteAllBytes(file, [0xFF, 0xFE, 0x00, 0x0A, 0x1B, 0x5B]);
                break;
            default:
                Directory.CreateDirectory(file);
                break;
        }

        var before = project.Snapshot();

        // Out of process, under a kill timer: the code as it was blocked forever on the pipe and filled memory from /dev/zero.
        var (exit, output) = ProcessRunner.Run("timeout", null, "-s", "KILL", "120", ToolProcess.Command, "check", project.Root, "--cache", cache, "--format", "json", "--quiet");

        Assert.Equal(0, exit);
        var report = JsonNode.Parse(output)!;
        var note = Assert.Single(report["diagnostics"]!.AsArray(), d => (string?)d!["code"] == "MGP8034")!;
        Assert.Equal(("info", file), ((string?)note["severity"], (string?)note["path"]));
        Assert.True(report["compliant"]!.GetValue<bool>());
        var digests = report["artifacts"]!.AsArray().Where(a => a!["sha256"] is not null).ToDictionary(a => (string)a!["path"]!, a => (string)a!["sha256"]!);
        Assert.Contains("model.safetensors", digests.Keys);
        foreach (var (path, digest) in digests)
        {
            Assert.Equal(Bundle.Sha256(File.ReadAllBytes(Path.Combine(project.Root, path))), digest);
        }

        // Nothing outside the cache folder changed; a folder in the cache file's place stays (nothing to rename over).
        Assert.Equal(before, project.Snapshot());
        Assert.Equal($"{DigestCache.Header}\n", File.ReadAllText(outside));
        Assert.Equal(Past, File.GetLastWriteTimeUtc(outside));
        if (kind == "folder")
        {
            Assert.True(Directory.Exists(file));
            return;
        }

        Assert.Null(new FileInfo(file).LinkTarget);
        Assert.True(FileType.Stamp(file) is not null, "the cache file is a regular file again");
        Assert.StartsWith(DigestCache.Header + "\n", File.ReadAllText(file), StringComparison.Ordinal);
        Assert.Equal([file], Directory.GetFileSystemEntries(cache));
    }

    [Fact]
    public void The_MSBuild_task_ignores_a_linked_cache_file_in_obj_with_a_message_and_replaces_the_link()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var intermediate = Path.Combine(project.Scratch, "obj");
        var cache = Path.Combine(intermediate, "digests");
        Directory.CreateDirectory(cache);
        var outside = Path.Combine(project.Scratch, "elsewhere.digests");
        File.WriteAllText(outside, $"{DigestCache.Header}\n");
        var file = DigestCache.FilePath(cache, project.Root);
        File.CreateSymbolicLink(file, outside);
        var engine = new FakeBuildEngine(Path.Combine(project.Scratch, "ModelGoPack.targets"));
        var task = new Tasks.PackModel
        {
            BuildEngine = engine,
            ProjectDirectory = project.Root,
            ProjectFile = Path.Combine(project.Root, "model.proj"),
            IntermediateDirectory = intermediate,
            BundleDirectory = Path.Combine(project.Scratch, "out"),
        };

        Assert.True(task.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));

        var note = Assert.Single(engine.Messages.ToList(), m => m.Code == "MGP8034");
        Assert.Equal(file, note.File);
        Assert.Empty(engine.Warnings);
        Assert.Equal($"{DigestCache.Header}\n", File.ReadAllText(outside));
        Assert.Null(new FileInfo(file).LinkTarget);
        Assert.StartsWith(DigestCache.Header + "\n", File.ReadAllText(file), StringComparison.Ordinal);
    }

    [Fact]
    public void A_cache_file_over_the_cap_is_ignored_with_a_note_naming_the_cap()
    {
        using var temp = new TempDirectory();
        var root = temp.Combine("project");
        Directory.CreateDirectory(root);
        var cache = temp.Combine("cache");
        var weights = Path.Combine(root, "w.bin");
        File.WriteAllBytes(weights, new byte[100]);
        File.SetLastWriteTimeUtc(weights, Past);
        var stamp = FileType.Stamp(weights)!.Value;
        var lines = Enumerable.Range(0, 100).Select(i => Line(new string('a', 64), stamp, $"other-{i}.bin")).Prepend(Line(new string('b', 64), stamp, "w.bin"));
        Directory.CreateDirectory(cache);
        var content = $"{DigestCache.Header}\n{string.Concat(lines)}";
        File.WriteAllText(DigestCache.FilePath(cache, root), content);

        var capped = DigestCache.Open(cache, root, maxBytes: content.Length - 1);
        var whole = DigestCache.Open(cache, root, maxBytes: content.Length);

        Assert.Null(capped.TryGet("w.bin", stamp));
        var note = Assert.Single(capped.TakeNotes());
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"larger than {content.Length - 1:N0} bytes"), note.Message, StringComparison.Ordinal);
        Assert.Equal(new string('b', 64), whole.TryGet("w.bin", stamp));
        Assert.Empty(whole.TakeNotes());
    }

    [Fact]
    public void Reading_a_cache_file_stops_on_cancellation()
    {
        using var temp = new TempDirectory();
        var root = temp.Combine("project");
        Directory.CreateDirectory(temp.Combine("cache"));
        File.WriteAllText(DigestCache.FilePath(temp.Combine("cache"), root), $"{DigestCache.Header}\n");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => DigestCache.Open(temp.Combine("cache"), root, cancellationToken: cancelled.Token));
    }

    /// <summary>Dates every file of the project in the past, so that its digest is remembered across runs (not racy).</summary>
    private static void Age(string root)
    {
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, Past);
        }
    }

    /// <summary>Writes a cache file holding, for each file, its current identity with the given digest.</summary>
    private static void Forge(string cache, string root, params (string Path, string Digest)[] entries)
    {
        Directory.CreateDirectory(cache);
        var lines = entries.Select(e => Line(e.Digest, FileType.Stamp(Path.Combine(root, e.Path))!.Value, e.Path));
        File.WriteAllText(DigestCache.FilePath(cache, root), DigestCache.Header + "\n" + string.Concat(lines));
    }

    private static string Line(string digest, FileStamp stamp, string path) =>
        string.Create(CultureInfo.InvariantCulture, $"{digest}\t{stamp.Size}\t{stamp.ModifiedNs}\t{stamp.ChangedNs}\t{stamp.Inode}\t{stamp.Device}\t{path}\n");
}

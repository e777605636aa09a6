using System.Security.Cryptography;
using ModelGoPack.Discovery;
using ModelGoPack.Emit;
using ModelGoPack.Hashing;
using ModelGoPack.Signing;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// A warm re-pack to a folder: the previous bundle's files that its seal and the digest cache prove identical are linked,
/// never copied and never the user's files, and the bundle is exactly what a pack without reuse writes (issue 18).
/// </summary>
public sealed class RepackTests : IDisposable
{
    private static readonly DateTime Past = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    // The project's files the bundle holds as they are (its README.md becomes the model card, generated).
    private static readonly string[] ProjectFiles = ["config.json", "data/extra.bin", "model.safetensors", "modelgo.json"];

    private readonly ModelProjectBuilder project = new();
    private readonly string cache;
    private readonly string output;

    public RepackTests()
    {
        this.project.Bytes("data/extra.bin", RandomNumberGenerator.GetBytes(300_000)).Write();
        Age(this.project.Root);
        this.cache = Path.Combine(this.project.Scratch, "cache");
        this.output = Path.Combine(this.project.Scratch, "bundle");
    }

    public void Dispose() => this.project.Dispose();

    [Fact]
    public void An_unchanged_repack_links_every_project_file_from_the_previous_bundle_and_writes_what_a_pack_without_reuse_writes()
    {
        var first = this.Pack(out var firstCounter);
        Assert.Equal(0, firstCounter.FilesReused);
        var before = Inodes(this.output);

        var again = this.Pack(out var counter);

        var after = Inodes(this.output);
        foreach (var path in ProjectFiles)
        {
            Assert.Equal(before[path], after[path]);
            Assert.NotEqual(FileType.Stamp(Path.Combine(this.project.Root, path))!.Value.Inode, after[path]);
        }

        Assert.Equal(ProjectFiles.Length, counter.FilesReused);
        Assert.Equal(ProjectFiles.Sum(p => new FileInfo(Path.Combine(this.project.Root, p)).Length), counter.BytesReused);
        Assert.Equal(0, counter.BytesHashed - GeneratedBytes(again));
        Assert.Equal(first.Files, again.Files);

        // The same bytes, modes and times as a bundle written without reuse (no cache), the manifest included.
        var plain = Path.Combine(this.project.Scratch, "plain");
        var copied = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = this.project.Root }, plain, BundleFormat.Directory);
        Assert.True(copied.Compliant, string.Join("\n", copied.Diagnostics));
        Assert.Equal(Describe(plain), Describe(this.output));

        // The new seal is of the bundle as it is now (its change times after the links): sign trusts it, and a third pack reuses again.
        Assert.NotNull(BundleSeal.Check(this.cache, this.output, out var why));
        Assert.Equal("", why);
        this.Pack(out var third);
        Assert.Equal(ProjectFiles.Length, third.FilesReused);
        Assert.Equal(before["model.safetensors"], Inodes(this.output)["model.safetensors"]);
    }

    [Fact]
    public void An_oci_layout_packed_again_links_the_blobs_of_unchanged_files_and_copies_a_changed_one()
    {
        var first = this.Pack(out _, BundleFormat.Oci);
        var before = Inodes(this.output);
        var weight = Path.Combine(this.project.Root, "config.json");
        File.WriteAllText(weight, """{"architectures": ["TinyForCausalLM"], "model_type": "tiny", "torch_dtype": "bfloat16"}""");
        File.SetLastWriteTimeUtc(weight, Past);

        var again = this.Pack(out var counter, BundleFormat.Oci);

        string Blob(PackResult result, string path) => "blobs/sha256/" + result.Files.Single(f => f.Path == path).Sha256;
        var after = Inodes(this.output);
        foreach (var path in ProjectFiles.Where(p => p != "config.json"))
        {
            Assert.Equal(Blob(first, path), Blob(again, path));
            Assert.Equal(before[Blob(first, path)], after[Blob(again, path)]);
            Assert.NotEqual(FileType.Stamp(Path.Combine(this.project.Root, path))!.Value.Inode, after[Blob(again, path)]);
        }

        Assert.DoesNotContain(after[Blob(again, "config.json")], before.Values);
        Assert.Equal(ProjectFiles.Length - 1, counter.FilesReused);

        // What a pack without reuse writes, blob for blob, with the same modes and times.
        var plain = Path.Combine(this.project.Scratch, "plain");
        var copied = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = this.project.Root }, plain, BundleFormat.Oci);
        Assert.True(copied.Compliant, string.Join("\n", copied.Diagnostics));
        Assert.Equal(Describe(plain), Describe(this.output));
        Assert.True(ModelGoPackEngine.Verify(this.output).Compliant);
    }

    [Fact]
    public void A_changed_weight_is_copied_and_hashed_and_only_the_rest_is_linked()
    {
        this.Pack(out _);
        var before = Inodes(this.output);
        var changed = RandomNumberGenerator.GetBytes(300_000);
        var weight = Path.Combine(this.project.Root, "data", "extra.bin");
        File.WriteAllBytes(weight, changed);
        File.SetLastWriteTimeUtc(weight, Past);

        var again = this.Pack(out var counter);

        var after = Inodes(this.output);
        Assert.NotEqual(before["data/extra.bin"], after["data/extra.bin"]);
        Assert.Equal(changed, File.ReadAllBytes(Path.Combine(this.output, "data", "extra.bin")));
        Assert.Equal(Bundle.Sha256(changed), again.Files.Single(f => f.Path == "data/extra.bin").Sha256);
        foreach (var path in ProjectFiles.Where(p => p != "data/extra.bin"))
        {
            Assert.Equal(before[path], after[path]);
        }

        Assert.Equal(ProjectFiles.Length - 1, counter.FilesReused);
        Assert.Equal(changed.Length, counter.BytesHashed - GeneratedBytes(again));
        Assert.True(ModelGoPackEngine.Verify(this.output).Compliant);
    }

    [Theory]
    [InlineData("written in place, its time set back")]
    [InlineData("replaced by a file of the same bytes")]
    [InlineData("replaced by other bytes, its time set back")]
    public void A_previous_bundle_file_changed_after_pack_is_not_reused(string how)
    {
        this.Pack(out _);
        var before = Inodes(this.output);
        var target = Path.Combine(this.output, "data", "extra.bin");
        var bytes = File.ReadAllBytes(target);
        switch (how)
        {
            case "written in place, its time set back":
                using (var stream = new FileStream(target, FileMode.Open, FileAccess.Write))
                {
                    stream.WriteByte((byte)(bytes[0] ^ 0xFF));
                }

                break;
            case "replaced by a file of the same bytes":
                File.Delete(target);
                File.WriteAllBytes(target, bytes);
                break;
            default:
                File.Delete(target);
                File.WriteAllBytes(target, RandomNumberGenerator.GetBytes(bytes.Length));
                break;
        }

        File.SetLastWriteTimeUtc(target, File.GetLastWriteTimeUtc(Path.Combine(this.output, "README.md")));

        var again = this.Pack(out var counter);

        Assert.Equal(0, counter.FilesReused);
        Assert.NotEqual(before["model.safetensors"], Inodes(this.output)["model.safetensors"]);
        Assert.Equal(File.ReadAllBytes(Path.Combine(this.project.Root, "data", "extra.bin")), File.ReadAllBytes(target));
        Assert.Equal(Bundle.Sha256(bytes), again.Files.Single(f => f.Path == "data/extra.bin").Sha256);
        Assert.True(ModelGoPackEngine.Verify(this.output).Compliant);
    }

    [Theory]
    [InlineData("no cache")]
    [InlineData("no seal")]
    [InlineData("no digests")]
    [InlineData("another output")]
    [InlineData("another bundle time")]
    public void Without_every_proof_nothing_is_reused(string missing)
    {
        this.Pack(out _);
        var before = Inodes(this.output);
        var output = this.output;
        var cacheFolder = (string?)this.cache;
        long? epoch = null;
        switch (missing)
        {
            case "no cache":
                cacheFolder = null;
                break;
            case "no seal":
                File.Delete(BundleSeal.FilePath(this.cache, this.output));
                break;
            case "no digests":
                File.Delete(DigestCache.FilePath(this.cache, this.project.Root));
                break;
            case "another output":
                // The previous bundle moved to the new output: its seal is of the path it was written to.
                output = Path.Combine(this.project.Scratch, "other");
                Directory.Move(this.output, output);
                break;
            default:
                epoch = 1_900_000_000;
                break;
        }

        var counter = new ProgressCounter();
        var again = ModelGoPackEngine.Pack(
            new ProjectRequest { ProjectDirectory = this.project.Root, DigestCacheDirectory = cacheFolder, Progress = counter, SourceDateEpoch = epoch }, output, BundleFormat.Directory);

        Assert.True(again.Compliant, string.Join("\n", again.Diagnostics));
        Assert.Equal(0, counter.FilesReused);
        var after = Inodes(output);
        Assert.All(ProjectFiles, path => Assert.DoesNotContain(after[path], before.Values));
        Assert.True(ModelGoPackEngine.Verify(output).Compliant);
    }

    [Fact]
    public void A_previous_bundle_file_written_while_the_new_bundle_shares_it_stops_the_repack_and_the_old_bundle_stays()
    {
        this.Pack(out _);
        var before = Inodes(this.output);
        var target = Path.Combine(this.output, "config.json");
        var timestamp = new DateTimeOffset(File.GetLastWriteTimeUtc(target));
        var entries = ProjectFiles
            .Select(p => BundleEntry.Copied(new ProjectFile(p, Path.Combine(this.project.Root, p), new FileInfo(Path.Combine(this.project.Root, p)).Length)))
            .ToList();
        var config = new Config.ModelGoConfig { Name = "m", Version = new NuGet.Versioning.NuGetVersion(1, 0, 0), License = "MG-BY-SA-2.0", Copyright = [""] };
        var counter = new ProgressCounter();
        var diagnostics = new Diagnostics.DiagnosticBag();

        // Every file linked, then (before the new bundle is put in place) one written in place through the previous bundle's
        // name, its modification time set back: without a check, the new bundle would hold those bytes under the old digest.
        var written = BundleWriter.Write(
            entries, config, [], [], this.output, BundleFormat.Directory, timestamp, DigestCache.Open(this.cache, this.project.Root), counter, diagnostics, CancellationToken.None,
            _ =>
            {
                var modified = File.GetLastWriteTimeUtc(target);
                using (var stream = new FileStream(target, FileMode.Open, FileAccess.Write))
                {
                    stream.WriteByte((byte)'[');
                }

                File.SetLastWriteTimeUtc(target, modified);
                return [];
            });

        Assert.Equal(ProjectFiles.Length, counter.FilesReused);
        Assert.Null(written);
        var problem = Assert.Single(diagnostics.Items);
        Assert.Equal(Diagnostics.DiagnosticCatalog.OutputNotABundle, problem.Descriptor);
        Assert.Contains("'config.json'", problem.Message, StringComparison.Ordinal);

        // Nothing replaced: the previous bundle (with the user's edit) is where it was, nothing left beside it.
        Assert.Equal(before, Inodes(this.output));
        Assert.Equal((byte)'[', File.ReadAllBytes(target)[0]);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(this.project.Scratch), e => Path.GetFileName(e).StartsWith('.'));
    }

    [Fact]
    public void The_command_line_says_what_it_reused_and_quiet_says_nothing()
    {
        string[] pack = ["pack", this.project.Root, "--format", "dir", "--output", this.output, "--cache", this.cache];
        var first = CliRunner.Run(pack);
        var again = CliRunner.Run(pack);
        var quiet = CliRunner.Run([.. pack, "--quiet"]);

        Assert.Equal((0, 0, 0), (first.ExitCode, again.ExitCode, quiet.ExitCode));
        Assert.DoesNotContain("reused", first.Stderr, StringComparison.Ordinal);
        var bytes = ProjectFiles.Sum(p => new FileInfo(Path.Combine(this.project.Root, p)).Length);
        Assert.Contains($"; reused {ProjectFiles.Length} files, {Cli.ProgressDisplay.Bytes(bytes)} from the previous bundle; ", again.Stderr, StringComparison.Ordinal);
        Assert.Equal("", quiet.Stderr);
        Assert.Equal(first.Stdout, again.Stdout);
    }

    // Dates every file in the past, so that its digest is remembered across runs (not racy).
    private static void Age(string root)
    {
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, Past);
        }
    }

    private static Dictionary<string, ulong> Inodes(string bundle) =>
        Directory.EnumerateFiles(bundle, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(bundle, f).Replace(Path.DirectorySeparatorChar, '/'), f => FileType.Stamp(f)!.Value.Inode, StringComparer.Ordinal);

    // Every file of a bundle folder: its path, bytes, mode and modification time.
    private static List<string> Describe(string bundle) =>
        [.. Directory.EnumerateFiles(bundle, "*", SearchOption.AllDirectories)
            .Select(f => $"{Path.GetRelativePath(bundle, f)} {Bundle.Sha256(File.ReadAllBytes(f))} {(OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(f))} {File.GetLastWriteTimeUtc(f):O}")
            .Order(StringComparer.Ordinal)];

    // The bytes pack hashes of what it generates (LICENSE, NOTICE, ...: everything but the project's files and the manifest).
    private static long GeneratedBytes(PackResult result) => result.Files.Where(f => !ProjectFiles.Contains(f.Path)).Sum(f => f.Size);

    private PackResult Pack(out ProgressCounter counter, BundleFormat format = BundleFormat.Directory)
    {
        counter = new ProgressCounter();
        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = this.project.Root, DigestCacheDirectory = this.cache, Progress = counter }, this.output, format);
        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        return result;
    }
}

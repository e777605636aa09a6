using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Hashing;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>The digest cache: what makes an entry valid, and what forces a file to be hashed again.</summary>
public sealed class DigestCacheTests : IDisposable
{
    private static readonly DateTime Past = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private readonly TempDirectory temp = new();

    private string Root => this.temp.Combine("project");

    private string CacheDirectory => this.temp.Combine("cache");

    public void Dispose() => this.temp.Dispose();

    [Fact]
    public void Second_run_with_nothing_changed_hashes_nothing_and_gives_the_same_digests()
    {
        var files = this.Files(("a.bin", 3 * SourceStream.BlockSize + 17), ("b.txt", 100), ("c/d.txt", 0));

        var (first, firstHashed) = this.HashAll(files);
        var (second, secondHashed) = this.HashAll(files);

        Assert.Equal(3 * SourceStream.BlockSize + 117, firstHashed);
        Assert.Equal(0, secondHashed);
        Assert.Equal(first, second);
        foreach (var file in files)
        {
            Assert.Equal(Bundle.Sha256(File.ReadAllBytes(file.FullPath)), second[file.RelativePath]);
        }
    }

    [Fact]
    public void Same_size_rewrite_with_the_old_mtime_restored_is_hashed_again()
    {
        var files = this.Files(("w.bin", 4096));
        this.HashAll(files);

        // Same size, same modification time: only the change time (ctime) tells.
        var bytes = File.ReadAllBytes(files[0].FullPath);
        bytes[100] ^= 0xFF;
        File.WriteAllBytes(files[0].FullPath, bytes);
        File.SetLastWriteTimeUtc(files[0].FullPath, Past);

        var (digests, hashed) = this.HashAll(files);

        Assert.Equal(4096, hashed);
        Assert.Equal(Bundle.Sha256(bytes), digests["w.bin"]);
    }

    [Fact]
    public void Size_change_is_hashed_again()
    {
        var files = this.Files(("w.bin", 4096));
        this.HashAll(files);
        File.AppendAllText(files[0].FullPath, "more");
        File.SetLastWriteTimeUtc(files[0].FullPath, Past);

        var (digests, hashed) = this.HashAll([files[0] with { Length = 4100 }]);

        Assert.Equal(4100, hashed);
        Assert.Equal(Bundle.Sha256(File.ReadAllBytes(files[0].FullPath)), digests["w.bin"]);
    }

    [Fact]
    public void File_replaced_by_another_inode_is_hashed_again()
    {
        var files = this.Files(("w.bin", 4096));
        this.HashAll(files);
        var replacement = files[0].FullPath + ".new";
        var bytes = File.ReadAllBytes(files[0].FullPath);
        bytes[0] ^= 1;
        File.WriteAllBytes(replacement, bytes);
        File.SetLastWriteTimeUtc(replacement, Past);
        File.Move(replacement, files[0].FullPath, overwrite: true);

        var (digests, hashed) = this.HashAll(files);

        Assert.Equal(4096, hashed);
        Assert.Equal(Bundle.Sha256(bytes), digests["w.bin"]);
    }

    [Fact]
    public void Touched_file_is_hashed_again()
    {
        var files = this.Files(("w.bin", 4096));
        this.HashAll(files);
        File.SetLastWriteTimeUtc(files[0].FullPath, Past.AddSeconds(1));

        Assert.Equal(4096, this.HashAll(files).Hashed);
    }

    [Fact]
    public void File_modified_just_now_is_not_remembered_across_runs()
    {
        // Racy: a write in the same clock tick as the hash could leave the times unchanged.
        var files = this.Files(("w.bin", 4096));
        File.WriteAllBytes(files[0].FullPath, new byte[4096]);

        this.HashAll(files);

        Assert.Equal(4096, this.HashAll(files).Hashed);
    }

    [Fact]
    public void Entry_is_for_its_own_path_only()
    {
        var files = this.Files(("a.bin", 4096));
        this.HashAll(files);
        var moved = Path.Combine(this.Root, "b.bin");
        File.Move(files[0].FullPath, moved);

        Assert.Equal(4096, this.HashAll([new ProjectFile("b.bin", moved, 4096)]).Hashed);
    }

    [Theory]
    [InlineData("not a cache\n")]
    [InlineData("modelgopack-digests 1\nzz\t1\t2\t3\t4\t5\tw.bin\n")]
    [InlineData("modelgopack-digests 1\n0000000000000000000000000000000000000000000000000000000000000000\t-1\t2\t3\t4\t5\tw.bin\n")]
    [InlineData("modelgopack-digests 1\n\u00ff\n")]
    public void Malformed_cache_file_is_ignored_and_every_file_hashed(string content)
    {
        var files = this.Files(("w.bin", 4096));
        this.HashAll(files);
        var cacheFile = Directory.GetFiles(this.CacheDirectory).Single();
        File.WriteAllText(cacheFile, content);

        var (digests, hashed) = this.HashAll(files);

        Assert.Equal(4096, hashed);
        Assert.Equal(Bundle.Sha256(File.ReadAllBytes(files[0].FullPath)), digests["w.bin"]);
    }

    [Fact]
    public void Forged_entry_with_a_wrong_identity_is_not_used()
    {
        var files = this.Files(("w.bin", 4096));
        this.HashAll(files);
        var cacheFile = Directory.GetFiles(this.CacheDirectory).Single();
        var line = File.ReadAllLines(cacheFile)[1].Split('\t');
        line[0] = new string('0', 64);
        line[4] = "1"; // another inode
        File.WriteAllText(cacheFile, $"{DigestCache.Header}\n{string.Join('\t', line)}\n");

        var (digests, hashed) = this.HashAll(files);

        Assert.Equal(4096, hashed);
        Assert.NotEqual(new string('0', 64), digests["w.bin"]);
    }

    [Fact]
    public void Each_project_root_has_its_own_cache_file()
    {
        var files = this.Files(("w.bin", 4096));
        this.HashAll(files);
        var other = this.temp.Combine("other");
        Directory.CreateDirectory(other);

        var cache = DigestCache.Open(this.CacheDirectory, other);

        Assert.Null(cache.TryGet("w.bin", FileType.Stamp(files[0].FullPath)!.Value));
    }

    [Fact]
    public void Check_of_a_project_with_errors_reports_them_without_hashing()
    {
        using var project = new ModelProjectBuilder();
        project.Config["license"] = "MIT";
        project.Write();
        var progress = new ProgressCounter();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root, Progress = progress });

        Assert.False(result.Compliant);
        Assert.Equal(0, progress.BytesHashed);
        Assert.Empty(result.Digests);
    }

    private List<ProjectFile> Files(params (string Path, int Size)[] files)
    {
        var result = new List<ProjectFile>();
        foreach (var (relative, size) in files)
        {
            var full = Path.Combine(this.Root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, Enumerable.Range(0, size).Select(i => (byte)(i * 31 + relative.Length)).ToArray());
            File.SetLastWriteTimeUtc(full, Past);
            result.Add(new ProjectFile(relative, full, size));
        }

        return result;
    }

    private (Dictionary<string, string> Digests, long Hashed) HashAll(IReadOnlyList<ProjectFile> files)
    {
        var cache = DigestCache.Open(this.CacheDirectory, this.Root);
        var progress = new ProgressCounter();
        var diagnostics = new DiagnosticBag();
        var digests = DigestEngine.HashAll(files, cache, progress, diagnostics, CancellationToken.None);
        cache.Save();
        Assert.Empty(diagnostics.Items);
        return (digests, progress.BytesHashed);
    }
}

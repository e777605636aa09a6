using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Inspection;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// What a project of 100,000 files keeps of each file for the whole run is small (issue 18: peak RSS of check and pack
/// at most 150 MB): a scanned file holds its relative path and the root all files share, not its full path too; a file
/// with no facts shares one empty set; the globs are matched a chunk at a time with the same answers as one by one.
/// </summary>
public sealed class CompactFileRecordTests
{
    [Fact]
    public void A_scanned_file_holds_no_full_path_of_its_own_and_gives_the_real_one()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("docs", "notes"));
        File.WriteAllText(temp.Combine("docs", "notes", "a.md"), "a");
        File.WriteAllText(temp.Combine("b.txt"), "bb");

        var files = ProjectScanner.Scan(temp.Path + Path.DirectorySeparatorChar, new Globs(["**/*"], []), [], new DiagnosticBag(), CancellationToken.None);

        Assert.Equal(["b.txt", "docs/notes/a.md"], files.Select(f => f.RelativePath));
        Assert.All(files, f => Assert.False(f.HoldsFullPath, $"{f.RelativePath} holds its full path"));
        Assert.Equal(temp.Combine("docs", "notes", "a.md"), files[1].FullPath);
        Assert.Equal(2, files[0].Length);
        Assert.Equal("a", File.ReadAllText(files[1].FullPath));
    }

    [Fact]
    public void A_file_given_its_full_path_equals_the_scanned_one_of_that_path()
    {
        var scanned = ProjectFile.Under("/root/project", "docs/a.md", 3);
        var given = new ProjectFile("docs/a.md", "/root/project/docs/a.md", 3);

        Assert.True(given.HoldsFullPath);
        Assert.Equal(given, scanned);
        Assert.Equal(given.GetHashCode(), scanned.GetHashCode());
        Assert.NotEqual(given, ProjectFile.Under("/root/other", "docs/a.md", 3));
        var (relative, full, length) = scanned;
        Assert.Equal(("docs/a.md", "/root/project/docs/a.md", 3L), (relative, full, length));
    }

    [Fact]
    public void Files_with_no_facts_share_one_empty_set()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("a.md"), "# a");
        File.WriteAllText(temp.Combine("b.py"), "print(1)");
        File.WriteAllText(temp.Combine("c.csv"), "x,y");
        var files = ProjectScanner.Scan(temp.Path, new Globs(["**/*"], []), [], new DiagnosticBag(), CancellationToken.None);

        var artifacts = ArtifactInspector.Inspect(files, CancellationToken.None);

        Assert.Equal([ArtifactRole.Docs, ArtifactRole.Code, ArtifactRole.Data], artifacts.Select(a => a.Role));
        Assert.All(artifacts, a => Assert.Same(Artifact.NoFacts, a.Facts));
    }

    [Fact]
    public void Globs_matched_a_chunk_at_a_time_answer_as_one_path_at_a_time()
    {
        var globs = new Globs(["**/*.md", "top.txt"], ["runs/**", "**/skip-*"]);
        var paths = Enumerable.Range(0, (5 * Globs.MatchChunk) + 17)
            .Select(i => (i % 5) switch
            {
                0 => $"docs/{i / 100}/note-{i}.md",
                1 => $"runs/{i}/note-{i}.md",
                2 => $"docs/skip-{i}.md",
                3 => i == 3 ? "top.txt" : $"docs/{i}.txt",
                _ => $"n{i}.md",
            })
            .ToList();

        var chunked = globs.Matching(paths, p => p).ToList();

        Assert.Equal(paths.Where(globs.IsMatch), chunked);
        Assert.Contains("top.txt", chunked);
        Assert.True(chunked.Count > Globs.MatchChunk, $"{chunked.Count} matched");
    }
}

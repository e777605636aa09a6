using System.Text.Json.Nodes;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// The walk of a project meets what the file system allows and .NET reads oddly: paths longer than the system
/// opens, names that are not UTF-8, names that really hold U+FFFD. Each is judged only where its files could
/// be bundled, and each has its own code.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class WalkTests
{
    [Fact]
    public void A_tree_nested_past_the_system_path_limit_is_MGP8033_naming_its_first_folder()
    {
        using var deep = new DeepProject();
        var project = deep.Project;
        project.Write();
        Deep(project.Root, "deep");

        var (exit, stdout, stderr) = CliRunner.Run("check", project.Root, "--no-cache", "--quiet");

        Assert.Equal(2, exit);
        var line = stdout.Split('\n').Single(l => l.Contains("error MGP8033", StringComparison.Ordinal));
        Assert.Contains("'deep/xxxxxxxx", line, StringComparison.Ordinal);
        Assert.Contains("opens paths of at most 4,095", line, StringComparison.Ordinal);
        Assert.DoesNotContain("MGP8099", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_release_nested_past_the_system_path_limit_is_MGP8027_naming_the_upstream()
    {
        using var project = new ModelProjectBuilder();
        var release = Path.Combine(project.Scratch, "release");
        Directory.CreateDirectory(release);
        try
        {
            Deep(release, "deep");
            project.Array("upstream").Add(new JsonObject { ["name"] = "Base", ["relation"] = "derivative", ["method"] = "fine-tuning", ["bundle"] = release });
            project.Write();

            var (exit, stdout, stderr) = CliRunner.Run("check", project.Root, "--no-cache", "--quiet");

            Assert.Equal(2, exit);
            var line = stdout.Split('\n').Single(l => l.Contains("error MGP8027", StringComparison.Ordinal));
            Assert.Contains("The release of upstream \"Base\"", line, StringComparison.Ordinal);
            Assert.Contains("holds 'deep/xxxxxxxx", line, StringComparison.Ordinal);
            Assert.Contains("longer than this system opens (4,095)", line, StringComparison.Ordinal);
            Assert.DoesNotContain("MGP8099", stdout + stderr, StringComparison.Ordinal);
        }
        finally
        {
            ProcessRunner.Run("rm", null, "-rf", release);
        }
    }

    [Fact]
    public void A_tree_nested_past_the_system_path_limit_is_no_error_when_excluded()
    {
        using var deep = new DeepProject();
        var project = deep.Project;
        project.Config["exclude"] = new JsonArray("deep/**");
        project.Write();
        Deep(project.Root, "deep");
        var output = Path.Combine(project.Scratch, "b.zip");

        var (exit, stdout, _) = CliRunner.Run("pack", project.Root, "--format", "zip", "--output", output, "--no-cache", "--quiet");

        Assert.True(exit == 0, stdout);
        Assert.DoesNotContain("deep/", string.Join('\n', ModelGoPackEngine.Verify(output).Digests.Keys), StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_whose_name_is_not_UTF_8_is_MGP8009_saying_so()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        ProcessRunner.Run("bash", null, "-c", "mkdir \"$0\"/$'n\\xe9' && printf x > \"$0\"/$'n\\xe9'/f.txt", project.Root);

        var (exit, stdout, _) = CliRunner.Run("check", project.Root, "--no-cache", "--quiet");

        Assert.Equal(2, exit);
        var line = stdout.Split('\n').Single(l => l.Contains("error MGP8009", StringComparison.Ordinal));
        Assert.Contains("The folder 'n\uFFFD' has a name that is not valid UTF-8", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_that_really_holds_U_FFFD_is_packed_like_any_other()
    {
        using var project = new ModelProjectBuilder();
        project.File("docs/replacement \uFFFD sign.md", "a name may hold U+FFFD\n").File("caf\uFFFD/notes.md", "and so may a folder's\n").Write();
        var output = Path.Combine(project.Scratch, "b");

        var (exit, stdout, _) = CliRunner.Run("pack", project.Root, "--output", output, "--no-cache", "--quiet");

        Assert.True(exit == 0, stdout);
        Assert.True(File.Exists(Path.Combine(output, "docs", "replacement \uFFFD sign.md")));
        Assert.True(File.Exists(Path.Combine(output, "caf\uFFFD", "notes.md")));
    }

    [Fact]
    public void A_name_that_is_not_UTF_8_beside_one_that_reads_alike_is_MGP8009_not_taken_for_it()
    {
        // a\xff.txt reads as a\uFFFD.txt, the name of its real neighbour: neither can be told from the other.
        using var project = new ModelProjectBuilder();
        project.Write();
        ProcessRunner.Run("bash", null, "-c", "printf x > \"$0\"/$'a\\xef\\xbf\\xbd.txt' && printf y > \"$0\"/$'a\\xff.txt'", project.Root);
        Assert.Equal(2, Directory.GetFiles(project.Root, "a*.txt").Length);

        var (exit, stdout, stderr) = CliRunner.Run("pack", project.Root, "--format", "zip", "--output", Path.Combine(project.Scratch, "b.zip"), "--no-cache", "--quiet");

        Assert.Equal(2, exit);
        var line = stdout.Split('\n').Single(l => l.Contains("error MGP8009", StringComparison.Ordinal));
        Assert.Contains("Two entries of the folder read as 'a\uFFFD.txt'", line, StringComparison.Ordinal);
        Assert.DoesNotContain("MGP8099", stdout + stderr, StringComparison.Ordinal);
    }

    /// <summary>A project holding a tree too deep for .NET to delete: removed with rm, which walks it from inside.</summary>
    private sealed class DeepProject : IDisposable
    {
        public ModelProjectBuilder Project { get; } = new();

        public void Dispose()
        {
            ProcessRunner.Run("rm", null, "-rf", Path.Combine(this.Project.Root, "deep"));
            this.Project.Dispose();
        }
    }

    /// <summary>Twenty folders of 250 characters under <paramref name="name"/>, made from inside (the whole path is too long to name) and a file at the bottom.</summary>
    private static void Deep(string root, string name)
    {
        var (exit, output) = ProcessRunner.Run("bash", root, "-c",
            "mkdir \"$0\" && cd \"$0\" && for i in $(seq 20); do mkdir \"$1\" && cd \"$1\" || exit 1; done; printf x > f.txt", name, new string('x', 250));
        Assert.True(exit == 0, output);
    }
}

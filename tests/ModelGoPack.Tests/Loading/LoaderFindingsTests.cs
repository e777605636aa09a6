using ModelGoPack.Diagnostics;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// What the project loader says of names and notice files: which files, what is wrong, and where the finding points.
/// A reader of the report must learn both paths of a collision, the reason a name is refused, and why a notice file
/// cannot be used.
/// </summary>
public sealed class LoaderFindingsTests
{
    [Theory]
    [InlineData("readme.md", "'README.md' and 'readme.md' differ only in case", "readme.md")]
    [InlineData("docs/Notes.md", "'docs/Notes.md' and 'docs/notes.md' differ only in case", "docs/Notes.md")]
    public void A_collision_names_both_paths_and_points_at_the_project_s_own_file(string file, string names, string pointsAt)
    {
        // Without a README.md of its own, the project's bundle gets a generated one: a finding about readme.md points at
        // the project's file; of two project files, at the first.
        using var project = new ModelProjectBuilder();
        project.File(file, "x\n");
        if (file.StartsWith("docs/", StringComparison.Ordinal))
        {
            project.File("docs/notes.md", "y\n");
        }

        project.Write();
        if (file == "readme.md")
        {
            File.Delete(Path.Combine(project.Root, "README.md"));
        }

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var collision = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCatalog.CaseCollision.Code);
        Assert.Contains(names, collision.Message, StringComparison.Ordinal);
        Assert.Contains(": where case or normalization does not count, one would overwrite the other. " + DiagnosticCatalog.CaseCollision.Help, collision.Message, StringComparison.Ordinal);
        Assert.Equal(pointsAt, collision.Path);
    }

    [Fact]
    public void A_name_some_system_cannot_write_says_which_file_and_why()
    {
        using var project = new ModelProjectBuilder();
        project.File("docs/aux.md", "x\n").Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var refused = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCatalog.FileNameNotPortable.Code);
        Assert.StartsWith("The file name 'docs/aux.md' cannot be written on every system: " + ProjectPath.UnsafeEntryName("docs/aux.md") + ". ", refused.Message, StringComparison.Ordinal);
        Assert.Equal("docs/aux.md", refused.Path);
    }

    [Theory]
    [InlineData("a link", "goes through a symbolic link, which ModelGoPack does not follow")]
    [InlineData("a folder", "is a folder, not a file")]
    [InlineData("missing", "does not exist")]
    public void A_notice_file_that_cannot_be_used_says_why(string what, string why)
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Base", "derivative", "fine-tuning").Modification("2026-05-01", "Fine-tuned").Write();
        var folder = Path.Combine(project.Root, "upstream", "Base");
        switch (what)
        {
            case "a link":
                Directory.Move(folder, Path.Combine(project.Root, "elsewhere"));
                Directory.CreateSymbolicLink(folder, Path.Combine(project.Root, "elsewhere"));
                break;
            case "a folder":
                File.Delete(Path.Combine(folder, "NOTICE"));
                Directory.CreateDirectory(Path.Combine(folder, "NOTICE"));
                break;
            default:
                File.Delete(Path.Combine(folder, "NOTICE"));
                break;
        }

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var missing = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCatalog.UpstreamNoticeMissing.Code);
        Assert.StartsWith($"Notice file 'upstream/Base/NOTICE' of upstream \"Base\" {why}. ", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_notice_file_two_upstreams_share_is_in_the_NOTICE_once()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Base", "derivative", "fine-tuning").Upstream("Other", "derivative", "fine-tuning").Modification("2026-05-01", "Fine-tuned").Write();
        var config = Path.Combine(project.Root, "modelgo.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("upstream/Other/NOTICE", "upstream/Base/NOTICE", StringComparison.Ordinal));
        var output = Path.Combine(project.Scratch, "bundle");

        var packed = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, Emit.BundleFormat.Directory);

        Assert.True(packed.Compliant, string.Join("\n", packed.Diagnostics));
        var notice = File.ReadAllText(Path.Combine(output, "NOTICE"));
        Assert.Equal(1, notice.Split("Copyright 2025 Base Labs").Length - 1);
    }
}

using System.Text.Json.Nodes;
using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// An upstream name used twice (MGP8011) is an input error of the declaration being evaluated, and of no other: a
/// manifest that repeats one is still read, so that a release that does is compared and a bundle that does is verified
/// file by file (helper-47's review of issue 16 found both broken when the check moved into reading).
/// </summary>
public sealed class UpstreamNameTests
{
    [Fact]
    public void A_received_bundle_whose_manifest_repeats_a_name_is_verified_file_by_file_and_is_MGP8011()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Base", "derivative", "fine-tuning").Modification("2026-01-01", "Tuned").Write();
        var folder = project.Pack(BundleFormat.Directory).OutputPath!;
        BundleFolder.EditManifest(folder, manifest => manifest["upstream"]!.AsArray().Add(manifest["upstream"]![0]!.DeepClone()));

        var result = ModelGoPackEngine.Verify(folder);

        var d = Assert.Single(result.Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
        Assert.Equal(("MGP8011", "modelgo-manifest.json", "Upstream name \"Base\" is used 2 times."), (d.Code, d.Path, d.Message));
        Assert.True(d.Line > 1);
        Assert.DoesNotContain(result.Diagnostics, x => x.Code.StartsWith("MGP9", StringComparison.Ordinal));
    }

    [Fact]
    public void A_release_whose_manifest_repeats_a_name_is_still_compared()
    {
        using var temp = new TempDirectory();
        using var upstream = new ModelProjectBuilder("base-model");
        upstream.Upstream("Grand", "derivative", "fine-tuning").Modification("2026-01-01", "Tuned").Write();
        var release = upstream.Pack(BundleFormat.Directory).OutputPath!;
        BundleFolder.EditManifest(release, manifest => manifest["upstream"]!.AsArray().Add(manifest["upstream"]![0]!.DeepClone()));

        using var project = new ModelProjectBuilder("derived-model");
        project.Array("upstream").Add(new JsonObject { ["name"] = "Base", ["relation"] = "derivative", ["method"] = "fine-tuning", ["bundle"] = release });
        project.File("extra.md", "added\n").Modification("2026-02-01", "Added notes", "extra.md").Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.DoesNotContain(result.Diagnostics, d => d.Code is "MGP8027" or "MGP8011");
        // Read and compared: what the release has and the project does not is a change of the project.
        Assert.Contains(result.Diagnostics, d => d.Code == "MGP2006" && d.Path == "upstream/Grand/NOTICE" && d.Message.Contains("is removed compared with the release of \"Base\"", StringComparison.Ordinal));
    }
}

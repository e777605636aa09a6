using ModelGoPack.Oci;
using ModelGoPack.Tests.Distribution;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests.EndToEnd;

/// <summary>
/// The example model, packed as an OCI layout by pack, pushed to Debian's docker-registry by push, copied back by skopeo,
/// and verified: the whole chain from a project folder to a registry and back to a judged model.
/// </summary>
public sealed class PushEndToEndTests
{
    [Fact]
    public void The_packed_example_pushed_and_pulled_back_by_skopeo_verifies()
    {
        using var temp = new TempDirectory();
        using var registry = LocalRegistry.Start();
        var example = Path.Combine(RepositoryRoot.Path, "tests", "examples", "tiny-llm-distilled");
        var layout = temp.Combine("tiny-llm-distilled.oci");
        var (packed, packOut, packErr) = CliRunner.Run("pack", example, "--format", "oci", "--output", layout, "--no-cache", "--quiet");
        Assert.True(packed == 0, packOut + packErr);
        var manifest = OciLayout.SelectManifest(OciLayout.ReadIndex(layout), null);

        // No tag: pack's ref name, the model's version, is the tag.
        var (exit, stdout, stderr) = CliRunner.Run(PushTests.Environment(temp), "push", layout, $"{registry.Address}/models/tiny-llm-distilled", "--plain-http", "--quiet");
        Assert.True(exit == 0, stdout + stderr);
        Assert.StartsWith($"Pushed {layout} to {registry.Address}/models/tiny-llm-distilled:1.0.0 ({manifest.Digest}): uploaded ", stdout, StringComparison.Ordinal);

        var back = PushTests.CopyBack(temp, $"{registry.Address}/models/tiny-llm-distilled:1.0.0");
        PushTests.AssertSame(layout, manifest, back);
        var (verified, report, _) = CliRunner.Run("verify", back + ":back", "--quiet");
        Assert.True(verified == 0, report);
        Assert.Contains("compliant with MG-BY-SA-2.0", report, StringComparison.Ordinal);
    }
}

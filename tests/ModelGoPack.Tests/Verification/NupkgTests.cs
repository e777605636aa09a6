using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// A received .nupkg is judged on what it says of itself too: the license its nuspec declares (what nuget.org
/// shows), entries that are neither NuGet's parts nor the bundle's files, and its signature, made here with
/// `dotnet nuget sign` and a certificate of the test's own.
/// </summary>
public sealed class NupkgTests
{
    [Theory]
    [InlineData("""<license type="expression">MIT</license>""", false, "MGP1005", "declares the license expression 'MIT'")]
    [InlineData("""<license type="expression">MIT</license>""", true, "MGP6005", "declares the license expression 'MIT'")]
    [InlineData("""<license type="file">docs/OTHER.txt</license>""", false, "MGP1005", "by the file 'docs/OTHER.txt'")]
    [InlineData("""<licenseUrl>https://opensource.org/licenses/MIT</licenseUrl>""", true, "MGP6005", "only by the URL")]
    public void A_nuspec_license_that_contradicts_MG_BY_SA_is_a_finding(string license, bool derivative, string code, string says)
    {
        using var project = new ModelProjectBuilder();
        if (derivative)
        {
            project.Upstream("Base", "derivative", "fine-tuning").Modification("2026-05-01", "Fine-tuned");
        }

        project.File("docs/OTHER.txt", "MIT License\n").Write();
        var (nupkg, _) = PackageBeside(project, license);

        var (exit, stdout, _) = CliRunner.Run("verify", nupkg, "--quiet");

        Assert.Equal(1, exit);
        var line = stdout.Split('\n').Single(l => l.Contains($"error {code}", StringComparison.Ordinal));
        Assert.Contains(says, line, StringComparison.Ordinal);
        Assert.Contains("tiny-model.nuspec", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nuspec_that_declares_the_bundle_LICENSE_passes()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var (nupkg, _) = PackageBeside(project, ModelPackage.LicenseFile);

        var (exit, stdout, _) = CliRunner.Run("verify", nupkg, "--quiet");

        Assert.True(exit == 0, stdout);
    }

    [Theory]
    [InlineData("evil.nuspec", "a second nuspec")]
    [InlineData("package/services/metadata/other.txt", "not in modelgo-manifest.json")]
    [InlineData("_rels/extra.rels", "not in modelgo-manifest.json")]
    public void An_entry_that_is_neither_NuGet_s_part_nor_the_bundle_s_is_reported(string entry, string says)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var (nupkg, _) = PackageBeside(project, ModelPackage.LicenseFile, "", (entry, "<x/>"));

        var (exit, stdout, _) = CliRunner.Run("verify", nupkg, "--quiet");

        Assert.Equal(2, exit);
        var line = stdout.Split('\n').Single(l => l.Contains("error MGP9005", StringComparison.Ordinal));
        Assert.Contains(entry, line, StringComparison.Ordinal);
        Assert.Contains(says, line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nuspec_over_4_MiB_is_not_read_and_the_package_is_MGP9007()
    {
        // A nuspec of a gigabyte compresses to a megabyte; NuGet's reader would hold it whole. Just over the limit here.
        using var project = new ModelProjectBuilder();
        project.Write();
        var summary = $"<summary>{new string('a', 4 * 1024 * 1024)}</summary>";
        var (nupkg, _) = PackageBeside(project, ModelPackage.LicenseFile, summary);

        var (exit, stdout, stderr) = CliRunner.Run("verify", nupkg, "--quiet");

        Assert.Equal(2, exit);
        var line = stdout.Split('\n').Single(l => l.Contains("error MGP9007", StringComparison.Ordinal));
        Assert.Contains("tiny-model.nuspec", line, StringComparison.Ordinal);
        Assert.Contains("a nuspec is at most 4,194,304 bytes", line, StringComparison.Ordinal);
        Assert.DoesNotContain("MGP8099", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_package_without_a_nuspec_is_no_package()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var (nupkg, _) = PackageBeside(project, ModelPackage.LicenseFile, nuspecMetadata: null);

        var (exit, stdout, _) = CliRunner.Run("verify", nupkg, "--quiet");

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9007", stdout, StringComparison.Ordinal);
        Assert.Contains("has no nuspec at its root", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Part_names_are_read_unescaped_as_NuGet_reads_them()
    {
        // NuGet reads model/config%2Ejson as model/config.json: a second config.json, which verify must see as NuGet does.
        using var project = new ModelProjectBuilder();
        project.Write();
        var (nupkg, _) = PackageBeside(project, ModelPackage.LicenseFile, "", ("model/config%2Ejson", "{\"not\": \"the verified one\"}\n"));

        var (exit, stdout, _) = CliRunner.Run("verify", nupkg, "--quiet");

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9005: 'model/config.json' is in the package twice", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_name_NuGet_escapes_verifies()
    {
        // NuGet pack stores "my notes.md" as my%20notes.md.
        using var project = new ModelProjectBuilder();
        project.File("docs/my notes.md", "notes\n").Write();
        var (nupkg, _) = PackageBeside(project, ModelPackage.LicenseFile, "", escape: true);

        var (exit, stdout, _) = CliRunner.Run("verify", nupkg, "--quiet");

        Assert.True(exit == 0, stdout);
        using var archive = ZipFile.OpenRead(nupkg);
        Assert.Contains(archive.Entries, e => e.FullName == "model/docs/my%20notes.md");
    }

    [Fact]
    public void NuGet_s_own_parts_are_read_to_their_end()
    {
        // An entry hidden in _rels/.rels after its deflate stream ends: a streaming reader unpacks it beside the model.
        using var project = new ModelProjectBuilder();
        project.Write();
        var (nupkg, _) = PackageBeside(project, ModelPackage.LicenseFile);
        RawZip.HideAfterDeflate(nupkg, "_rels/.rels", new RawZip.Entry("model/sitecustomize.py", "import os\n"u8.ToArray()) { Method = 0 });

        var (exit, stdout, _) = CliRunner.Run("verify", nupkg, "--quiet");

        Assert.Equal(2, exit);
        Assert.Contains("its entry '_rels/.rels' cannot be read: damaged or hiding something", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signed_package_says_who_signed_it_and_that_trust_was_not_checked_and_a_tampered_one_is_MGP9015()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var (nupkg, _) = PackageBeside(project, ModelPackage.LicenseFile);
        Sign(nupkg, project.Scratch);

        var (exit, stdout, _) = CliRunner.Run("verify", nupkg, "--quiet");

        Assert.True(exit == 0, stdout);
        var line = stdout.Split('\n').Single(l => l.Contains("info MGP9016", StringComparison.Ordinal));
        Assert.Contains("signed by 'CN=ModelGoPack Test Signer'", line, StringComparison.Ordinal);
        Assert.Contains("whether to trust that signer was not checked", line, StringComparison.Ordinal);

        // Content changed after signing (a valid zip still): the signature signs another package.
        using (var archive = ZipFile.Open(nupkg, ZipArchiveMode.Update))
        {
            var readme = archive.GetEntry("README.md")!;
            string text;
            using (var reader = new StreamReader(readme.Open()))
            {
                text = reader.ReadToEnd();
            }

            readme.Delete();
            using var writer = new StreamWriter(archive.CreateEntry("README.md").Open());
            writer.Write(text.Replace("tiny", "tinY", StringComparison.Ordinal));
        }

        var tampered = CliRunner.Run("verify", nupkg, "--quiet");

        Assert.Equal(2, tampered.ExitCode);
        Assert.Contains("error MGP9015", tampered.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_that_is_not_one_is_MGP9015()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var (nupkg, _) = PackageBeside(project, ModelPackage.LicenseFile);
        Sign(nupkg, project.Scratch);
        using (var archive = ZipFile.Open(nupkg, ZipArchiveMode.Update))
        {
            var signature = archive.GetEntry(".signature.p7s")!;
            byte[] bytes;
            using (var stream = signature.Open())
            using (var copy = new MemoryStream())
            {
                stream.CopyTo(copy);
                bytes = copy.ToArray();
            }

            bytes[bytes.Length / 2] ^= 0xFF;
            signature.Delete();
            using var rewritten = archive.CreateEntry(".signature.p7s", CompressionLevel.NoCompression).Open();
            rewritten.Write(bytes);
        }

        var (exit, stdout, _) = CliRunner.Run("verify", nupkg, "--quiet");

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9015", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("MGP8099", stdout, StringComparison.Ordinal);
    }

    // A package of the project and, beside it under its default name, the zip bundle it belongs to.
    private static (string Package, string Bundle) PackageBeside(ModelProjectBuilder project, string license, string? nuspecMetadata = "", params (string Name, string Text)[] extra) =>
        PackageBeside(project, license, nuspecMetadata, escape: false, extra);

    private static (string Package, string Bundle) PackageBeside(ModelProjectBuilder project, string license, string? nuspecMetadata, bool escape, params (string Name, string Text)[] extra)
    {
        var folder = project.Pack(BundleFormat.Directory, "bundle").OutputPath!;
        var feed = Path.Combine(project.Scratch, "feed");
        Directory.CreateDirectory(feed);
        var bundle = Path.Combine(feed, "tiny-model.1.0.0.zip");
        Assert.True(ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, bundle, BundleFormat.Zip).Compliant);
        return (ModelPackage.Write(Path.Combine(feed, "tiny-model.1.0.0.nupkg"), folder, license, nuspecMetadata, escape, extra), bundle);
    }

    // Signs with `dotnet nuget sign` and a self-signed code-signing certificate made here (no timestamp: offline).
    private static void Sign(string nupkg, string scratch)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=ModelGoPack Test Signer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.3")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var pfx = Path.Combine(scratch, "signer.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "x"));
        var (exit, output) = ProcessRunner.Run("dotnet", scratch, "nuget", "sign", nupkg, "--certificate-path", pfx, "--certificate-password", "x", "--overwrite");
        Assert.True(exit == 0, output);
    }
}

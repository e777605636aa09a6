using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using ModelGoPack.Diagnostics;
using ModelGoPack.Signing;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests.Signing;

/// <summary>
/// sign and verify --signature after the adversarial review: signatures of the OMS reference implementation (another
/// order), a signature kept inside the bundle, named pipes, large or untrusted signature files, certificates that may
/// not sign or have expired, and how paths and failures are reported.
/// </summary>
public sealed partial class SigningTests
{
    [Fact]
    public void A_payload_in_path_component_order_as_the_reference_implementation_writes_it_verifies()
    {
        // model-signing 1.x sorts by PurePosixPath components: 'checkpoint/w.bin' < 'checkpoint-500/w.bin', though '-' (0x2D)
        // < '/' (0x2F) by code point. The root digest is over the digests in that order.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (priv, pub) = this.KeyFiles(key, "pkcs8");
        SignedResource[] ordered = [new("checkpoint/w.bin", Digest("a")), new("checkpoint-500/w.bin", Digest("b")), new("model.bin", Digest("c"))];
        Assert.True(CodePointComparer.Instance.Compare(ordered[0].Name, ordered[1].Name) > 0);
        var statement = new OmsStatement("model", OmsStatement.Root(ordered), ordered, OmsStatement.DefaultIgnorePaths);
        using (var signer = new Signer(SigningKeys.ReadPrivateKey(priv), null))
        {
            File.WriteAllBytes(this.temp.Combine("reference.sig"), OmsBundle.Sign(statement, signer));
        }

        var diagnostics = new DiagnosticBag();
        var verified = SignatureCheck.Verify(this.temp.Combine("reference.sig"), pub, null, diagnostics, out _);
        Assert.True(verified is not null, string.Join("\n", diagnostics.Items));
        Assert.Equal(ordered.Select(r => r.Name), verified.Resources.Select(r => r.Name));

        // Any order, but each file once.
        SignedResource[] twice = [.. ordered, ordered[0]];
        Assert.Null(OmsStatement.Parse((statement with { Resources = twice, RootDigest = OmsStatement.Root(twice) }).ToJson(), out var problem));
        Assert.Contains("lists the resource 'checkpoint/w.bin' twice", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_kept_inside_a_folder_bundle_is_left_out_of_its_files()
    {
        // Older bundles keep model.sig in the model's folder (OMS 6.2: the verifier leaves the signature out).
        var bundle = this.Pack("dir");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (priv, pub) = this.KeyFiles(key, "pkcs8");
        Assert.Equal(0, CliRunner.Run(this.environment, "sign", bundle, "--key", priv, "-q").ExitCode);
        var inside = Path.Combine(bundle, "model.sig");
        File.Move(bundle + ".sig", inside);

        var verify = CliRunner.Run("verify", bundle, "--signature", inside, "--public-key", pub, "-q");
        Assert.True(verify.ExitCode == 0, verify.Stdout);
        Assert.DoesNotContain("model.sig:", verify.Stdout, StringComparison.Ordinal);

        // Without --signature it is a file like any other: the manifest does not list it.
        Assert.Contains("error MGP9005", CliRunner.Run("verify", bundle, "-q").Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_named_pipe_given_as_any_signing_file_is_refused_and_never_waited_on()
    {
        var bundle = this.Pack("dir");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (priv, pub) = this.KeyFiles(key, "pkcs8");
        Assert.Equal(0, CliRunner.Run(this.environment, "sign", bundle, "--key", priv, "-q").ExitCode);
        var fifo = this.temp.Combine("pipe");
        Assert.Equal(0, ProcessRunner.Run("mkfifo", null, fifo).ExitCode);

        string[][] runs =
        [
            ["verify", bundle, "--signature", fifo, "--public-key", pub],
            ["verify", bundle, "--signature", bundle + ".sig", "--public-key", fifo],
            ["verify", bundle, "--signature", Path.Combine(Vectors, "valid", "certificate.bundle.json"), "--certificate-chain", fifo],
            ["sign", bundle, "--key", fifo, "--signature", this.temp.Combine("new.sig")],
            ["sign", bundle, "--key", priv, "--certificate", fifo, "--signature", this.temp.Combine("new.sig")],
            ["sign", bundle, "--key", priv, "--signature", fifo],
        ];
        foreach (var run in runs)
        {
            var (exited, exitCode, output) = this.RunTool(this.temp.Path, run);
            Assert.True(exited, $"modelgopack {string.Join(' ', run)} waited on the pipe");
            Assert.True(exitCode == 2, output);
            Assert.True(output.Contains("is not a regular file", StringComparison.Ordinal) && Regex.IsMatch(output, "error MGP903[037]"), output);
        }

        Assert.False(File.Exists(this.temp.Combine("new.sig")));
        Assert.Empty(Directory.GetFiles(this.temp.Path, ".modelgopack-tmp-*"));
    }

    [Fact]
    public void The_signer_is_checked_before_the_payload_is_decoded_and_a_signature_file_is_at_most_256_MiB()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (_, pub) = this.KeyFiles(key, "pkcs8");

        // Another key's hint, and a payload that is not even base64: the hint refuses it, the payload never decoded.
        var junk = this.Write("junk.sig", $$$"""{"mediaType":"{{{OmsBundle.MediaType}}}","verificationMaterial":{"publicKey":{"hint":"{{{new string('a', 64)}}}"}},"dsseEnvelope":{"payload":"!!!","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"!!!"}]}}""");
        var diagnostics = new DiagnosticBag();
        Assert.Null(SignatureCheck.Verify(junk, pub, null, diagnostics, out _));
        Assert.Equal(DiagnosticCatalog.SignerNotTrusted.Code, Assert.Single(diagnostics.Items).Code);

        // One byte more than 256 MiB (a sparse file): refused by its size, unread.
        var large = this.temp.Combine("large.sig");
        using (var stream = File.Create(large))
        {
            stream.SetLength((256L * 1024 * 1024) + 1);
        }

        diagnostics = new DiagnosticBag();
        Assert.Null(SignatureCheck.Verify(large, pub, null, diagnostics, out _));
        Assert.Contains("more than a signature file may be (268,435,456)", Assert.Single(diagnostics.Items).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_with_neither_key_usage_nor_extended_key_usage_signs_with_a_warning_and_does_not_verify()
    {
        var bundle = this.Pack("dir");
        using var root = NewCa("CN=Usage Root CA");
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=No Usage", leafKey, HashAlgorithmName.SHA256);
        using var leaf = request.Create(root, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), [5, 6, 7, 8]);
        Assert.Contains("neither a key usage nor an extended key usage", SignatureCheck.Untrusted(leaf, [], [root]), StringComparison.Ordinal);

        var sign = CliRunner.Run(this.environment, "sign", bundle, "--key", this.KeyFiles(leafKey, "pkcs8").Priv, "--certificate", this.Write("leaf.pem", leaf.ExportCertificatePem()), "-q");
        Assert.True(sign.ExitCode == 0, sign.Stdout);
        Assert.Contains("warning MGP9039: The signing certificate 'CN=No Usage'", sign.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(bundle + ".sig"));

        var verify = CliRunner.Run("verify", bundle, "--signature", bundle + ".sig", "--certificate-chain", this.Write("root.pem", root.ExportCertificatePem()), "-q");
        Assert.Equal(2, verify.ExitCode);
        Assert.Contains("error MGP9032", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains("neither a key usage nor an extended key usage", verify.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expired_certificate_signs_with_a_warning_that_no_verifier_will_accept_it()
    {
        var bundle = this.Pack("dir");
        using var root = NewCa("CN=Expiry Root CA");
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Expired Publisher", leafKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        using var leaf = request.Create(root, DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(-1), [9, 9, 9, 9]);

        var sign = CliRunner.Run(this.environment, "sign", bundle, "--key", this.KeyFiles(leafKey, "pkcs8").Priv, "--certificate", this.Write("expired.pem", leaf.ExportCertificatePem()), "-q");
        Assert.True(sign.ExitCode == 0, sign.Stdout);
        Assert.Contains("warning MGP9039: 'CN=Expired Publisher', the signing certificate in", sign.Stdout, StringComparison.Ordinal);
        Assert.Contains("expired on", sign.Stdout, StringComparison.Ordinal);
        Assert.Contains("error MGP9032", CliRunner.Run("verify", bundle, "--signature", bundle + ".sig", "--certificate-chain", this.Write("root.pem", root.ExportCertificatePem()), "-q").Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Relative_signature_and_key_paths_are_reported_as_full_paths_not_inside_the_bundle()
    {
        var bundle = this.Pack("dir");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (priv, _) = this.KeyFiles(key, "pkcs8");
        Assert.Equal(0, CliRunner.Run(this.environment, "sign", bundle, "--key", priv, "-q").ExitCode);
        this.Write("other.pub.pem", other.ExportSubjectPublicKeyInfoPem());
        this.Write("broken.pem", "no key");
        var name = Path.GetFileName(bundle);

        var (_, _, otherKey) = this.RunTool(this.temp.Path, "verify", name, "--signature", name + ".sig", "--public-key", "other.pub.pem", "-q");
        Assert.Contains($"{this.temp.Combine(name + ".sig")}: error MGP9032", otherKey, StringComparison.Ordinal);

        var (_, _, broken) = this.RunTool(this.temp.Path, "verify", name, "--signature", name + ".sig", "--public-key", "broken.pem", "-q");
        Assert.Contains($"{this.temp.Combine("broken.pem")}: error MGP9033", broken, StringComparison.Ordinal);

        var (_, _, signing) = this.RunTool(this.temp.Path, "sign", name, "--key", "broken.pem", "--signature", "again.sig", "-q");
        Assert.Contains($"{this.temp.Combine("broken.pem")}: error MGP9033", signing, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("verify", "--signature")]
    [InlineData("verify", "--public-key")]
    [InlineData("verify", "--certificate-chain")]
    [InlineData("sign", "--key")]
    [InlineData("sign", "--certificate")]
    [InlineData("sign", "--signature")]
    public void An_empty_path_is_a_usage_error_that_names_the_option(string command, string option)
    {
        var options = command == "verify"
            ? new Dictionary<string, string> { ["--signature"] = "s.sig", [option == "--certificate-chain" ? option : "--public-key"] = "p.pem" }
            : new Dictionary<string, string> { ["--key"] = "k.pem" };
        options[option] = "";
        string[] args = [command, "b", .. options.SelectMany(o => new[] { o.Key, o.Value })];
        var run = CliRunner.Run(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{option} was given an empty path", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("MGP9007", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void When_the_signature_fails_the_verdict_says_so_not_that_the_bundle_does_not_match()
    {
        var bundle = this.Pack("dir");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (priv, _) = this.KeyFiles(key, "pkcs8");
        Assert.Equal(0, CliRunner.Run(this.environment, "sign", bundle, "--key", priv, "-q").ExitCode);

        var verify = CliRunner.Run("verify", bundle, "--signature", bundle + ".sig", "--public-key", this.KeyFiles(other, "pkcs8").Pub, "--extract", this.temp.Combine("x"), "-q");
        Assert.Equal(2, verify.ExitCode);
        Assert.Contains($"{bundle} was not verified: its signature {bundle}.sig failed (above), so the bundle was not read.", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains("Nothing was extracted to", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains(": its signature failed.", verify.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("does not match its manifest", verify.Stdout, StringComparison.Ordinal);
    }

    // The built tool as a process of its own, in workingDirectory, killed when it has not exited within two minutes (a
    // process waiting on a pipe never would): whether it exited, its exit code, and its output.
    private (bool Exited, int ExitCode, string Output) RunTool(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(ToolProcess.Command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        start.Environment["XDG_CACHE_HOME"] = this.environment["XDG_CACHE_HOME"];
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (false, -1, stdout.Result + stderr.Result);
        }

        return (true, process.ExitCode, stdout.Result + stderr.Result);
    }
}

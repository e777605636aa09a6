using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using ModelGoPack.Diagnostics;
using ModelGoPack.Hashing;
using ModelGoPack.Signing;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests.Signing;

/// <summary>
/// sign and verify --signature (OpenSSF Model Signing v1.0): round trips per key type and method on the example packed as
/// a folder and a zip, the spec's schemas and test vectors, the tamper matrix, the code-point order, pack's seal, and
/// an independent verifier (sigstore-js) that must accept our signature and refuse a tampered one.
/// </summary>
public sealed partial class SigningTests : IDisposable
{
    private static readonly string Vectors = Path.Combine(SpecSchemas.Folder, "oms-v1.0", "test-vectors", "v1.0");

    private readonly TempDirectory temp = new();
    private readonly Dictionary<string, string?> environment;

    public SigningTests()
    {
        this.environment = new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = this.temp.Combine("cache") };
    }

    public void Dispose() => this.temp.Dispose();

    [Fact]
    public void Code_point_order_is_not_UTF16_ordinal_order()
    {
        // U+FF01 (a BMP character above the surrogates) and U+1F600 (a surrogate pair): by code point FF01 < 1F600,
        // by UTF-16 unit 0xFF01 > 0xD83D.
        const string fullwidth = "\uFF01.bin";
        const string emoji = "\U0001F600.bin";
        Assert.True(string.CompareOrdinal(fullwidth, emoji) > 0);
        Assert.True(CodePointComparer.Instance.Compare(fullwidth, emoji) < 0);

        var names = new[] { emoji, "z.bin", fullwidth, "a/b", "a.b", "\u00E9", "\uD7FF", "\uE000" };
        var byUtf8 = names.OrderBy(n => Convert.ToHexString(Encoding.UTF8.GetBytes(n)), StringComparer.Ordinal).ToList();
        Assert.Equal(byUtf8, names.Order(CodePointComparer.Instance).ToList());

        var statement = OmsStatement.Create("m", names.Select(n => new SignedResource(n, Digest(n))));
        Assert.Equal(byUtf8, statement.Resources.Select(r => r.Name).ToList());

        // A payload listing them in .NET's ordinal order with the code-point order's root digest is refused: the root
        // digest is recomputed in the order the payload gives.
        var ordinal = statement with { Resources = [.. statement.Resources.OrderBy(r => r.Name, StringComparer.Ordinal)] };
        Assert.Null(OmsStatement.Parse(ordinal.ToJson(), out var problem));
        Assert.Contains("is not the SHA-256 of its resources' digests", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_root_digest_is_the_SHA256_of_the_raw_resource_digests_in_order()
    {
        var a = Digest("a");
        var b = Digest("b");
        var expected = Convert.ToHexStringLower(SHA256.HashData([.. Convert.FromHexString(a.ToString()), .. Convert.FromHexString(b.ToString())]));
        Assert.Equal(expected, OmsStatement.Create("m", [new("b", b), new("a", a)]).RootDigest.ToString());
    }

    [Theory]
    [InlineData("key.bundle.json", "key")]
    [InlineData("certificate.bundle.json", "certificate")]
    [InlineData("sigstore.bundle.json", "sigstore")]
    public void The_specs_valid_vectors_parse_and_their_statements_check(string name, string method)
    {
        using var bundle = OmsBundle.Parse(File.ReadAllBytes(Path.Combine(Vectors, "valid", name)), out var problem);
        Assert.True(bundle is not null, problem);
        Assert.Equal(method, bundle.Material.Method);
        var statement = OmsStatement.Parse(bundle.DecodeEnvelope(out _)!.Value.Payload, out problem);
        Assert.True(statement is not null, problem);
        Assert.Equal(["signme-1", "signme-2"], statement.Resources.Select(r => r.Name));
        Assert.Contains("ignore-me", statement.IgnorePaths);
    }

    [Theory]
    [InlineData("invalid/empty.bundle.json")]
    [InlineData("invalid/missing-envelope.bundle.json")]
    [InlineData("invalid/missing-verification-material.bundle.json")]
    public void The_specs_invalid_vectors_are_refused_with_a_code(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pub = this.Write("pub.pem", key.ExportSubjectPublicKeyInfoPem());
        var diagnostics = new DiagnosticBag();
        Assert.Null(SignatureCheck.Verify(Path.Combine(Vectors, name), pub, null, diagnostics, out _));
        Assert.Equal(DiagnosticCatalog.SignatureUnreadable.Code, Assert.Single(diagnostics.Items).Code);
    }

    [Theory]
    [InlineData("{\"mediaType\":\"\\ud800\"}")]
    [InlineData("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{\"publicKey\":{\"hint\":\"\\udc00\"}}}")]
    public void A_signature_file_with_a_lone_surrogate_is_refused_with_a_code_not_a_crash(string json)
    {
        // Valid JSON whose escaped string is no UTF-16 string: GetString throws InvalidOperationException.
        var diagnostics = new DiagnosticBag();
        Assert.Null(SignatureCheck.Verify(this.Write("lone.sig", json), this.Write("pub.pem", ""), null, diagnostics, out _));
        Assert.Equal(DiagnosticCatalog.SignatureUnreadable.Code, Assert.Single(diagnostics.Items).Code);
        Assert.Null(OmsStatement.Parse("{\"_type\":\"\\ud800\"}"u8.ToArray(), out var problem));
        Assert.Contains("lone surrogate", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_specs_vector_without_tlog_entries_for_keyless_and_the_wrong_predicate_are_refused()
    {
        // Keyless needs Rekor entries (the schema refuses it without); ModelGoPack names the method and refuses it either way.
        var diagnostics = new DiagnosticBag();
        Assert.Null(SignatureCheck.Verify(Path.Combine(Vectors, "invalid", "missing-tlog-entries.bundle.json"), null, this.Write("ca.pem", ""), diagnostics, out _));
        Assert.Equal(DiagnosticCatalog.SignatureUnreadable.Code, Assert.Single(diagnostics.Items).Code);

        using var wrong = OmsBundle.Parse(File.ReadAllBytes(Path.Combine(Vectors, "invalid-payload", "wrong-predicate.bundle.json")), out _)!;
        Assert.Null(OmsStatement.Parse(wrong.DecodeEnvelope(out _)!.Value.Payload, out var problem));
        Assert.Contains("predicate type", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_specs_certificate_vector_verifies_with_its_intermediate_as_the_trusted_CA()
    {
        // The vector carries its signing certificate and the intermediate that issued it; its root is not in the vectors
        // folder, so the intermediate is what is trusted here. Its P-384 signature is SHA-384 over the DSSE PAE.
        var path = Path.Combine(Vectors, "valid", "certificate.bundle.json");
        using var bundle = OmsBundle.Parse(File.ReadAllBytes(path), out _)!;
        var chain = (VerificationMaterial.CertificateChain)bundle.Material;
        var ca = this.Write("ca.pem", PemEncoding.WriteString("CERTIFICATE", chain.Certificates[1]));
        var diagnostics = new DiagnosticBag();

        var statement = SignatureCheck.Verify(path, null, ca, diagnostics, out var signedBy);

        Assert.True(statement is not null, string.Join("\n", diagnostics.Items));
        Assert.Contains("intermediate-ca", signedBy, StringComparison.Ordinal);

        // Trusting another CA, the same vector is refused.
        using var other = NewCa("CN=other-ca");
        var otherPem = this.Write("other.pem", other.ExportCertificatePem());
        diagnostics = new DiagnosticBag();
        Assert.Null(SignatureCheck.Verify(path, null, otherPem, diagnostics, out _));
        Assert.Equal(DiagnosticCatalog.SignerNotTrusted.Code, Assert.Single(diagnostics.Items).Code);
    }

    [Theory]
    [InlineData("P-256", "pkcs8", "dir")]
    [InlineData("P-384", "sec1", "dir")]
    [InlineData("P-256", "sec1", "zip")]
    [InlineData("P-384", "pkcs8", "tar.gz")]
    [InlineData("P-256", "pkcs8", "oci")]
    public void A_signature_made_with_a_key_verifies_and_validates_against_the_OMS_schemas(string curve, string encoding, string format)
    {
        var bundle = this.Pack(format);
        using var key = ECDsa.Create(curve == "P-256" ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384);
        var (priv, pub) = this.KeyFiles(key, encoding);

        var sign = CliRunner.Run(this.environment, "sign", bundle, "--key", priv, "-q");
        Assert.True(sign.ExitCode == 0, sign.Stdout);
        Assert.Contains($"with the {curve} key {SigningKeys.Hint(key)}", sign.Stdout, StringComparison.Ordinal);

        var verify = CliRunner.Run("verify", bundle, "--signature", bundle + ".sig", "--public-key", pub, "-q");
        Assert.True(verify.ExitCode == 0, verify.Stdout);
        Assert.Contains("and the signature", verify.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("self-consistency", verify.Stdout, StringComparison.Ordinal);

        var json = File.ReadAllText(bundle + ".sig");
        Assert.Empty(SpecSchemas.Errors(SpecSchemas.Oms("bundle"), json));
        var payload = Encoding.UTF8.GetString(Convert.FromBase64String(JsonDocument.Parse(json).RootElement.GetProperty("dsseEnvelope").GetProperty("payload").GetString()!));
        Assert.Empty(SpecSchemas.Errors(SpecSchemas.Oms("statement"), payload));
        Assert.Empty(SpecSchemas.Errors(SpecSchemas.Oms("predicate"), JsonDocument.Parse(payload).RootElement.GetProperty("predicate").GetRawText()));

        // Every file of the bundle as extracted is signed, the manifest among them, with its own SHA-256.
        var names = JsonDocument.Parse(payload).RootElement.GetProperty("predicate").GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.Contains("modelgo-manifest.json", names);
        Assert.Contains("model.safetensors", names);
        Assert.Equal(11, names.Count);
    }

    [Fact]
    public void A_folder_a_zip_a_tar_gz_and_an_OCI_layout_of_the_same_files_have_the_same_root_digest()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (priv, _) = this.KeyFiles(key, "pkcs8");
        var roots = new[] { "dir", "zip", "tar.gz", "oci" }.Select(format =>
        {
            var sign = CliRunner.Run(this.environment, "sign", this.Pack(format), "--key", priv, "-q");
            Assert.Equal(0, sign.ExitCode);
            return System.Text.RegularExpressions.Regex.Match(sign.Stdout, "root digest sha256:([0-9a-f]{64})").Groups[1].Value;
        }).ToList();
        Assert.Single(roots.Distinct());
        Assert.Matches("^[0-9a-f]{64}$", roots[0]);
    }

    [Fact]
    public void A_signature_made_with_a_certificate_verifies_against_the_CA_and_not_against_another()
    {
        var bundle = this.Pack("dir");
        using var root = NewCa("CN=Test Root CA");
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var request = new CertificateRequest("CN=Model Publisher", leafKey, HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.3")], critical: false));
        using var leaf = request.Create(root, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5), [1, 2, 3, 4]);
        var (priv, _) = this.KeyFiles(leafKey, "pkcs8");
        var cert = this.Write("leaf.pem", leaf.ExportCertificatePem());
        var ca = this.Write("ca.pem", root.ExportCertificatePem());

        var sign = CliRunner.Run(this.environment, "sign", bundle, "--key", priv, "--certificate", cert, "-q");
        Assert.True(sign.ExitCode == 0, sign.Stdout);
        Assert.Empty(SpecSchemas.Errors(SpecSchemas.Oms("bundle"), File.ReadAllText(bundle + ".sig")));
        Assert.Equal(1, JsonDocument.Parse(File.ReadAllText(bundle + ".sig")).RootElement.GetProperty("verificationMaterial").GetProperty("x509CertificateChain").GetProperty("certificates").GetArrayLength());

        var verify = CliRunner.Run("verify", bundle, "--signature", bundle + ".sig", "--certificate-chain", ca, "-q");
        Assert.True(verify.ExitCode == 0, verify.Stdout);
        Assert.Contains("CN=Model Publisher", verify.Stdout, StringComparison.Ordinal);

        using var other = NewCa("CN=Other CA");
        var refused = CliRunner.Run("verify", bundle, "--signature", bundle + ".sig", "--certificate-chain", this.Write("other.pem", other.ExportCertificatePem()), "-q");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("error MGP9032", refused.Stdout, StringComparison.Ordinal);

        // The key method's flag on a certificate signature says which flag it needs.
        using var anyKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var wrongFlag = CliRunner.Run("verify", bundle, "--signature", bundle + ".sig", "--public-key", this.KeyFiles(anyKey, "pkcs8").Pub, "-q");
        Assert.Contains("--certificate-chain", wrongFlag.Stdout, StringComparison.Ordinal);
        Assert.Contains("error MGP9032", wrongFlag.Stdout, StringComparison.Ordinal);

        // A certificate that is not of the key is refused before anything is signed.
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        File.Delete(bundle + ".sig");
        var mismatch = CliRunner.Run(this.environment, "sign", bundle, "--key", this.KeyFiles(otherKey, "sec1").Priv, "--certificate", cert, "-q");
        Assert.Equal(2, mismatch.ExitCode);
        Assert.Contains("error MGP9033", mismatch.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(bundle + ".sig"));
    }

    [Fact]
    public void A_weight_swapped_and_rehashed_into_the_manifest_passes_self_consistency_and_fails_the_signature()
    {
        var bundle = this.Pack("dir");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (priv, pub) = this.KeyFiles(key, "pkcs8");
        Assert.Equal(0, CliRunner.Run(this.environment, "sign", bundle, "--key", priv, "-q").ExitCode);

        // The attacker's weights, their digest written into the manifest: the bundle is consistent again.
        var weights = Path.Combine(bundle, "model.safetensors");
        var old = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(weights)));
        var swapped = File.ReadAllBytes(weights);
        swapped[^1] ^= 0x01;
        File.WriteAllBytes(weights, swapped);
        var manifest = Path.Combine(bundle, "modelgo-manifest.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace(old, Convert.ToHexStringLower(SHA256.HashData(swapped)), StringComparison.Ordinal));

        var plain = CliRunner.Run("verify", bundle, "-q");
        Assert.Equal(0, plain.ExitCode);
        Assert.Contains("Integrity is self-consistency only", plain.Stdout, StringComparison.Ordinal);

        var signed = CliRunner.Run("verify", bundle, "--signature", bundle + ".sig", "--public-key", pub, "-q");
        Assert.Equal(2, signed.ExitCode);
        Assert.Contains("model.safetensors: error MGP9036", signed.Stdout, StringComparison.Ordinal);
        Assert.Contains("modelgo-manifest.json: error MGP9036", signed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_key_an_altered_signature_an_extra_and_a_missing_file_each_fail()
    {
        var bundle = this.Pack("dir");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (priv, pub) = this.KeyFiles(key, "pkcs8");
        var otherPub = this.Write("other.pub.pem", other.ExportSubjectPublicKeyInfoPem());
        Assert.Equal(0, CliRunner.Run(this.environment, "sign", bundle, "--key", priv, "-q").ExitCode);
        var signature = bundle + ".sig";

        Assert.Contains("error MGP9032", CliRunner.Run("verify", bundle, "--signature", signature, "--public-key", otherPub, "-q").Stdout, StringComparison.Ordinal);

        // The signature of another key, with this key's hint: the hint matches, the signature does not verify.
        using (var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var json = File.ReadAllText(signature);
            var sig = JsonDocument.Parse(json).RootElement.GetProperty("dsseEnvelope").GetProperty("signatures")[0].GetProperty("sig").GetString()!;
            var forged = Convert.ToBase64String(forger.SignData([1, 2, 3], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
            File.WriteAllText(this.temp.Combine("forged.sig"), json.Replace(sig, forged, StringComparison.Ordinal));
        }

        Assert.Contains("error MGP9031", CliRunner.Run("verify", bundle, "--signature", this.temp.Combine("forged.sig"), "--public-key", pub, "-q").Stdout, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(bundle, "extra.txt"), "added after signing");
        var extra = CliRunner.Run("verify", bundle, "--signature", signature, "--public-key", pub, "-q");
        Assert.Contains("extra.txt: error MGP9035", extra.Stdout, StringComparison.Ordinal);
        File.Delete(Path.Combine(bundle, "extra.txt"));

        File.Delete(Path.Combine(bundle, "tokenizer.json"));
        var missing = CliRunner.Run("verify", bundle, "--signature", signature, "--public-key", pub, "-q");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("tokenizer.json: error MGP9034", missing.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_reads_no_file_while_packs_seal_holds_and_reads_the_bundle_once_it_does_not()
    {
        var bundle = this.Pack("dir");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (priv, _) = this.KeyFiles(key, "pkcs8");

        var sealedRun = CliRunner.Run(this.environment, "sign", bundle, "--key", priv, "-q");
        Assert.Contains("Read no file", sealedRun.Stdout, StringComparison.Ordinal);

        var noCache = CliRunner.Run(this.environment, "sign", bundle, "--key", priv, "--no-cache", "-q");
        Assert.Contains("Read and checked every file", noCache.Stdout, StringComparison.Ordinal);

        // The same bytes written again: the stamps differ (change time), so the seal no longer vouches; read, it verifies.
        var readme = Path.Combine(bundle, "README.md");
        File.WriteAllBytes(readme, File.ReadAllBytes(readme));
        var touched = CliRunner.Run(this.environment, "sign", bundle, "--key", priv, "-q");
        Assert.Equal(0, touched.ExitCode);
        Assert.Contains("it changed since pack wrote it", touched.Stdout, StringComparison.Ordinal);

        // A file changed after pack, the manifest left as it was: refused, and the earlier signature left as it is.
        var before = File.ReadAllBytes(bundle + ".sig");
        File.AppendAllText(readme, "changed");
        var changed = CliRunner.Run(this.environment, "sign", bundle, "--key", priv, "-q");
        Assert.Equal(2, changed.ExitCode);
        Assert.Contains("error MGP9003", changed.Stdout, StringComparison.Ordinal);
        Assert.Contains("error MGP9038", changed.Stdout, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(bundle + ".sig"));
    }

    [Fact]
    public void A_signature_is_never_written_inside_the_bundle_nor_over_a_file_that_is_not_one()
    {
        var bundle = this.Pack("dir");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (priv, _) = this.KeyFiles(key, "pkcs8");

        var inside = CliRunner.Run(this.environment, "sign", bundle, "--key", priv, "--signature", Path.Combine(bundle, "model.sig"), "-q");
        Assert.Equal(2, inside.ExitCode);
        Assert.Contains("error MGP9037", inside.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(bundle, "model.sig")));

        var notes = this.Write("notes.txt", "mine");
        Assert.Contains("error MGP9037", CliRunner.Run(this.environment, "sign", bundle, "--key", priv, "--signature", notes, "-q").Stdout, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(notes));
        Assert.Empty(Directory.GetFiles(this.temp.Path, ".modelgopack-tmp-*"));
    }

    [Theory]
    [InlineData("rsa", "an RSA key")]
    [InlineData("p521", "P-521")]
    [InlineData("ed25519", "an Ed25519 key")]
    [InlineData("public", "not a private key")]
    public void A_key_sign_does_not_take_is_a_coded_input_error(string kind, string said)
    {
        var bundle = this.Pack("dir");
        string pem;
        switch (kind)
        {
            case "rsa":
                using (var rsa = RSA.Create(2048))
                {
                    pem = rsa.ExportPkcs8PrivateKeyPem();
                }

                break;
            case "p521":
                using (var p521 = ECDsa.Create(ECCurve.NamedCurves.nistP521))
                {
                    pem = p521.ExportPkcs8PrivateKeyPem();
                }

                break;
            case "ed25519":
                Assert.Equal(0, ProcessRunner.Run("openssl", this.temp.Path, "genpkey", "-algorithm", "ed25519", "-out", "ed.pem").ExitCode);
                pem = File.ReadAllText(this.temp.Combine("ed.pem"));
                break;
            default:
                using (var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                {
                    pem = ec.ExportSubjectPublicKeyInfoPem();
                }

                break;
        }

        var run = CliRunner.Run(this.environment, "sign", bundle, "--key", this.Write("k.pem", pem), "-q");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error MGP9033", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(said, run.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(bundle + ".sig"));
    }

    [Fact]
    public void Verify_flags_that_do_not_go_together_are_usage_errors()
    {
        Assert.Equal(2, CliRunner.Run("verify", "b", "--signature", "s").ExitCode);
        Assert.Contains("--signature needs", CliRunner.Run("verify", "b", "--signature", "s").Stderr, StringComparison.Ordinal);
        Assert.Contains("give it with --signature", CliRunner.Run("verify", "b", "--public-key", "p").Stderr, StringComparison.Ordinal);
        Assert.Contains("contradict", CliRunner.Run("verify", "b", "--signature", "s", "--public-key", "p", "--certificate-chain", "c").Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Sigstore_js_verifies_our_signature_with_the_public_key_and_refuses_a_tampered_one()
    {
        var folder = Path.Combine(RepositoryRoot.Path, "tests", "ModelGoPack.Tests", "Support", "sigstore");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "@sigstore", "verify")))
        {
            var install = ProcessRunner.Run("npm", folder, "ci", "--no-audit", "--no-fund");
            Assert.True(install.ExitCode == 0, install.Output);
        }

        var bundle = this.Pack("zip");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (priv, pub) = this.KeyFiles(key, "pkcs8");
        Assert.Equal(0, CliRunner.Run(this.environment, "sign", bundle, "--key", priv, "-q").ExitCode);
        var signature = bundle + ".sig";

        var ok = ProcessRunner.Run("node", folder, "verify-oms.js", signature, pub);
        Assert.True(ok.ExitCode == 0, ok.Output);
        Assert.Contains("verified 11 resources", ok.Output, StringComparison.Ordinal);

        // A payload changed by one resource digest: the DSSE signature no longer verifies.
        var json = JsonDocument.Parse(File.ReadAllText(signature)).RootElement;
        var envelope = json.GetProperty("dsseEnvelope");
        var payload = Encoding.UTF8.GetString(Convert.FromBase64String(envelope.GetProperty("payload").GetString()!));
        var digest = System.Text.RegularExpressions.Regex.Match(payload, "\"digest\":\"([0-9a-f]{64})\"").Groups[1].Value;
        var tamperedPayload = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload.Replace(digest, new string('0', 64), StringComparison.Ordinal)));
        var text = File.ReadAllText(signature);
        File.WriteAllText(this.temp.Combine("payload.sig"), text.Replace(envelope.GetProperty("payload").GetString()!, tamperedPayload, StringComparison.Ordinal));
        var badPayload = ProcessRunner.Run("node", folder, "verify-oms.js", this.temp.Combine("payload.sig"), pub);
        Assert.Equal(1, badPayload.ExitCode);
        Assert.Contains("signature verification failed", badPayload.Output, StringComparison.Ordinal);

        // A signature of other bytes by the same key.
        var sig = envelope.GetProperty("signatures")[0].GetProperty("sig").GetString()!;
        var other = Convert.ToBase64String(key.SignData([1, 2, 3], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        File.WriteAllText(this.temp.Combine("sig.sig"), text.Replace(sig, other, StringComparison.Ordinal));
        var badSignature = ProcessRunner.Run("node", folder, "verify-oms.js", this.temp.Combine("sig.sig"), pub);
        Assert.Equal(1, badSignature.ExitCode);
        Assert.Contains("signature verification failed", badSignature.Output, StringComparison.Ordinal);
    }

    private static Sha256Digest Digest(string text) => Sha256Digest.From(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static X509Certificate2 NewCa(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddYears(10));
    }

    // The example project packed in this test's folder, its seal in this test's cache.
    private string Pack(string format)
    {
        var project = this.temp.Combine("project");
        if (!Directory.Exists(project))
        {
            ProcessRunner.Run("cp", null, "-r", Path.Combine(RepositoryRoot.Path, "tests", "examples", "tiny-llm-distilled"), project);
        }

        var output = this.temp.Combine("out-" + format.Replace(".", "", StringComparison.Ordinal) + (format == "dir" ? "" : "." + format));
        var pack = CliRunner.Run(this.environment, "pack", project, "-o", output, "-f", format, "-q");
        Assert.True(pack.ExitCode == 0, pack.Stdout);
        return output;
    }

    private (string Priv, string Pub) KeyFiles(ECDsa key, string encoding)
    {
        var name = Guid.NewGuid().ToString("N");
        return (this.Write(name + ".pem", encoding == "sec1" ? key.ExportECPrivateKeyPem() : key.ExportPkcs8PrivateKeyPem()), this.Write(name + ".pub.pem", key.ExportSubjectPublicKeyInfoPem()));
    }

    private string Write(string name, string text)
    {
        var path = this.temp.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }
}

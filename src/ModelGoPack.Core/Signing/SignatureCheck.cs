using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Hashing;
using ModelGoPack.Verification;

namespace ModelGoPack.Signing;

/// <summary>
/// verify --signature, in the order OMS v1.0 (8) gives: the signature file read as a sigstore bundle, its signer held to
/// the key or CA chain the user trusts (never to what the file brings along alone), the DSSE signature checked, the
/// statement and its predicate read and the root digest recomputed; then (<see cref="Compare"/>) every file of the
/// bundle against the digest signed for it, both ways.
/// </summary>
internal static class SignatureCheck
{
    /// <summary>
    /// The statement the signature at <paramref name="signaturePath"/> signs, when it verifies with the public key at
    /// <paramref name="publicKeyPath"/> or a certificate <paramref name="chainPath"/> trusts; null with the findings.
    /// <paramref name="signedBy"/>: who signed, for the verdict line.
    /// </summary>
    public static OmsStatement? Verify(string signaturePath, string? publicKeyPath, string? chainPath, DiagnosticBag diagnostics, out string? signedBy)
    {
        signedBy = null;

        // Where each finding is: the files as full paths, never joined to the bundle's (they are outside it).
        var at = Path.GetFullPath(signaturePath);
        byte[] bytes;
        try
        {
            // Only a regular file (or a link to one): a named pipe would block the read forever.
            using var handle = FileType.OpenNamed(signaturePath, out var refused);
            if (handle is null)
            {
                diagnostics.Add(Messages.SignatureFileUnreadable.With(signaturePath, $"it {refused}."), at);
                return null;
            }

            var length = RandomAccess.GetLength(handle);
            if (length > OmsBundle.MaxBytes)
            {
                diagnostics.Add(Messages.SignatureNotOms.With(signaturePath, $"it is {length:N0} bytes, more than a signature file may be ({OmsBundle.MaxBytes:N0})"), at);
                return null;
            }

            bytes = new byte[length];
            if (RandomAccess.Read(handle, bytes, 0) != length)
            {
                diagnostics.Add(Messages.SignatureFileUnreadable.With(signaturePath, "it changed while it was read."), at);
                return null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Messages.SignatureFileUnreadable.With(signaturePath, e.Message), at);
            return null;
        }

        using var bundle = OmsBundle.Parse(bytes, out var problem);
        if (bundle is null)
        {
            diagnostics.Add(Messages.SignatureNotOms.With(signaturePath, problem), at);
            return null;
        }

        // The signer is held to the key or CA given before the payload, most of the file, is even decoded.
        var payload = bundle.Material switch
        {
            VerificationMaterial.KeyHint hint when publicKeyPath is not null => ByKey(signaturePath, hint, publicKeyPath, bundle, diagnostics, out signedBy),
            VerificationMaterial.CertificateChain chain when chainPath is not null => ByCertificate(signaturePath, chain, chainPath, bundle, diagnostics, out signedBy),
            VerificationMaterial.Keyless => Refuse(Messages.SignatureNotOms.With(signaturePath, "it is signed with the keyless sigstore method (Fulcio and Rekor), which needs the network; ModelGoPack verifies the key and certificate methods")),
            VerificationMaterial.KeyHint => Refuse(Messages.SignatureMethodNotGiven.With(signaturePath, "key", "--public-key PUB.pem")),
            _ => Refuse(Messages.SignatureMethodNotGiven.With(signaturePath, "certificate", "--certificate-chain CA.pem")),
        };
        if (payload is null)
        {
            return null;
        }

        if (OmsStatement.Parse(payload, out problem) is not { } statement)
        {
            diagnostics.Add(Messages.SignatureNotOms.With(signaturePath, problem), at);
            return null;
        }

        return statement;

        byte[]? Refuse(MessageText message)
        {
            diagnostics.Add(message, at);
            return null;
        }
    }

    /// <summary>
    /// Every file of the bundle against the digest the statement signs for it (8.4): each signed file present with that
    /// SHA-256, and no file that is not signed, those under the ignore paths aside (the manifest lists them, and is signed).
    /// </summary>
    public static void Compare(BundleContent content, OmsStatement statement, DiagnosticBag diagnostics)
    {
        var read = new Dictionary<string, Sha256Digest?>(StringComparer.Ordinal);
        foreach (var path in content.Files.Keys)
        {
            read[path] = content.TryGetDigest(path, out var digest) ? digest : null;
        }

        if (content.ManifestFound)
        {
            read[BundleVerifier.ManifestName] = content.Manifest?.Digest;
        }

        var signed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var resource in statement.Resources)
        {
            signed.Add(resource.Name);
            if (!read.TryGetValue(resource.Name, out var digest))
            {
                // A file refused for its name or kind is reported as such already.
                if (!content.Refused.Contains(resource.Name))
                {
                    diagnostics.Add(Messages.SignedFileNotInBundle.With(resource.Name), resource.Name);
                }
            }
            else if (digest is null)
            {
                diagnostics.Add(Messages.SignedFileNotRead.With(resource.Name, resource.Digest), resource.Name);
            }
            else if (digest != resource.Digest)
            {
                diagnostics.Add(Messages.SignedDigestDiffers.With(resource.Name, digest, resource.Digest), resource.Name);
            }
        }

        var ignored = statement.IgnorePaths.Concat(OmsStatement.DefaultIgnorePaths).ToList();
        foreach (var path in read.Keys.Where(p => !signed.Contains(p) && !OmsStatement.IsIgnored(p, ignored)).Order(StringComparer.Ordinal))
        {
            diagnostics.Add(Messages.FileNotSigned.With(path), path);
        }
    }

    // The payload, when the signature names the key at publicKeyPath and verifies with it.
    private static byte[]? ByKey(string signaturePath, VerificationMaterial.KeyHint hint, string publicKeyPath, OmsBundle bundle, DiagnosticBag diagnostics, out string? signedBy)
    {
        signedBy = null;
        var at = Path.GetFullPath(signaturePath);
        ECDsa key;
        try
        {
            key = SigningKeys.ReadPublicKey(publicKeyPath);
        }
        catch (KeyFileException e)
        {
            diagnostics.Add((e.Unreadable ? Messages.KeyFileUnreadable : Messages.KeyFileUnusable).With(publicKeyPath, e.Message), Path.GetFullPath(publicKeyPath));
            return null;
        }

        using (key)
        {
            var expected = SigningKeys.Hint(key);
            if (hint.Hint is { } named && !string.Equals(named, expected, StringComparison.OrdinalIgnoreCase))
            {
                diagnostics.Add(Messages.SignedByOtherKey.With(signaturePath, named, publicKeyPath, expected), at);
                return null;
            }

            if (Verified(key, signaturePath, bundle, $"the key in '{publicKeyPath}'", diagnostics) is not { } payload)
            {
                return null;
            }

            signedBy = $"the {SigningKeys.CurveName(key)} key {expected}";
            return payload;
        }
    }

    // The payload, when the signing certificate chains to one of those at chainPath and the signature verifies with its key.
    private static byte[]? ByCertificate(string signaturePath, VerificationMaterial.CertificateChain material, string chainPath, OmsBundle bundle, DiagnosticBag diagnostics, out string? signedBy)
    {
        signedBy = null;
        var at = Path.GetFullPath(signaturePath);
        List<X509Certificate2> trusted;
        try
        {
            trusted = SigningKeys.ReadCertificates(chainPath);
        }
        catch (KeyFileException e)
        {
            diagnostics.Add((e.Unreadable ? Messages.KeyFileUnreadable : Messages.KeyFileUnusable).With(chainPath, e.Message), Path.GetFullPath(chainPath));
            return null;
        }

        var carried = new List<X509Certificate2>();
        try
        {
            foreach (var der in material.Certificates)
            {
                carried.Add(SigningKeys.Certificate(der));
            }

            var leaf = carried[0];
            ECDsa key;
            try
            {
                key = SigningKeys.PublicKeyOf(leaf);
            }
            catch (KeyFileException e)
            {
                diagnostics.Add(Messages.SignatureNotOms.With(signaturePath, $"its signing certificate's key cannot be used ({e.Message})"), at);
                return null;
            }

            byte[]? payload;
            using (key)
            {
                if (Untrusted(leaf, carried.Skip(1), trusted) is { } why)
                {
                    diagnostics.Add(Messages.CertificateNotTrusted.With(leaf.Subject, signaturePath, chainPath, why), at);
                    return null;
                }

                payload = Verified(key, signaturePath, bundle, $"the key of its certificate '{leaf.Subject}'", diagnostics);
            }

            signedBy = payload is null ? null : $"the certificate '{leaf.Subject}'";
            return payload;
        }
        catch (KeyFileException e)
        {
            diagnostics.Add(Messages.SignatureNotOms.With(signaturePath, e.Message), at);
            return null;
        }
        finally
        {
            foreach (var certificate in trusted.Concat(carried))
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>
    /// Why <paramref name="leaf"/> is not trusted: no chain from it through <paramref name="intermediates"/> to a
    /// certificate of <paramref name="trusted"/> (the only trust anchors: no system store, no network, no revocation
    /// check), valid now; or it may not sign. Null when it is trusted.
    /// </summary>
    internal static string? Untrusted(X509Certificate2 leaf, IEnumerable<X509Certificate2> intermediates, IReadOnlyList<X509Certificate2> trusted)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted.ToArray());
        chain.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
        if (!chain.Build(leaf) && !EndsInTrusted(chain, trusted))
        {
            var statuses = chain.ChainStatus.Select(s => s.StatusInformation.Trim().TrimEnd('.')).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal);
            return $"no chain to a certificate it holds ({string.Join("; ", statuses)})";
        }

        return UsageProblem(leaf);
    }

    /// <summary>
    /// Why <paramref name="certificate"/> may not sign, or null: it must allow it by its key usage (digitalSignature) or
    /// its extended key usage (codeSigning). A certificate with neither extension allows nothing, as OMS's reference
    /// implementation holds.
    /// </summary>
    internal static string? UsageProblem(X509Certificate2 certificate)
    {
        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        var extended = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        var codeSigning = extended is not null && extended.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == "1.3.6.1.5.5.7.3.3");
        var digitalSignature = usage is not null && usage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature);
        return digitalSignature || codeSigning ? null
            : usage is null && extended is null ? "it has neither a key usage nor an extended key usage, so it allows no signing (digitalSignature or codeSigning)"
            : "its key usage does not allow signing (no digitalSignature, no codeSigning)";
    }

    /// <summary>
    /// Whether a chain that ends short of a self-signed root ends in a certificate the user gave to trust (an issuing
    /// CA trusted as such, as OpenSSL's partial chains allow), every certificate on the way valid in every other respect.
    /// </summary>
    private static bool EndsInTrusted(X509Chain chain, IReadOnlyList<X509Certificate2> trusted)
    {
        const X509ChainStatusFlags partial = X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.UntrustedRoot;
        var elements = chain.ChainElements;
        return elements.Count > 0
            && trusted.Any(t => t.RawData.AsSpan().SequenceEqual(elements[^1].Certificate.RawData))
            && chain.ChainStatus.All(s => (s.Status & ~partial) == 0)
            && elements.All(e => e.ChainElementStatus.All(s => (s.Status & ~partial) == 0));
    }

    // The payload, when a signature of the envelope verifies with key: the payload and signatures decoded only now, the
    // pre-authentication encoding hashed part by part rather than copied.
    private static byte[]? Verified(ECDsa key, string signaturePath, OmsBundle bundle, string with, DiagnosticBag diagnostics)
    {
        if (bundle.DecodeEnvelope(out var problem) is not var (payload, signatures))
        {
            diagnostics.Add(Messages.SignatureNotOms.With(signaturePath, problem), Path.GetFullPath(signaturePath));
            return null;
        }

        var hash = Dsse.PreAuthenticationHash(Dsse.InTotoPayloadType, payload, SigningKeys.HashFor(key));
        if (!signatures.Any(s => key.VerifyHash(hash, s, DSASignatureFormat.Rfc3279DerSequence)))
        {
            diagnostics.Add(Messages.SignatureDoesNotVerify.With(signaturePath, with), Path.GetFullPath(signaturePath));
            return null;
        }

        return payload;
    }
}

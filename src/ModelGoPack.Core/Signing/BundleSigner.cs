using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Verification;

namespace ModelGoPack.Signing;

/// <summary>
/// sign: an OMS v1.0 signature of a bundle (a folder, .zip or .tar.gz), over the files as verify sees them (an archive's
/// entries as if extracted). The digests signed are those of the manifest, checked first: by pack's seal when the
/// bundle is unchanged since pack wrote it (no file read), else by reading the bundle once as verify does. A bundle that
/// does not verify is never signed; the signature is written atomically, never inside the bundle.
/// </summary>
internal static class BundleSigner
{
    /// <summary>Signs the bundle of <paramref name="request"/>; the result says what was written and how the digests were checked.</summary>
    public static SignResult Sign(SignRequest request, CancellationToken cancellationToken)
    {
        var diagnostics = new DiagnosticBag();
        foreach (var given in new[] { request.BundlePath, request.KeyPath, request.CertificatePath, request.SignaturePath }.OfType<string>())
        {
            if (string.IsNullOrWhiteSpace(given) || ProjectPath.HasControlCharacters(given))
            {
                diagnostics.Add(Messages.BundlePathUnusable.With(ProjectPath.Printable(given)));
                return new SignResult(diagnostics.Items);
            }
        }

        var bundle = Path.TrimEndingDirectorySeparator(Path.GetFullPath(request.BundlePath));
        if (BundleVerifier.IsPackage(bundle))
        {
            diagnostics.Add(Messages.PackageNotSignable.With(request.BundlePath), bundle);
            return new SignResult(diagnostics.Items);
        }

        // LAYOUT:REF, one model of an OCI layout that holds several (as verify takes it): signed beside the layout, as LAYOUT.REF.sig.
        var (place, reference) = LayoutReference(request.BundlePath) is var (layout, name) ? (layout, name) : (bundle, null);
        if (reference is null && !Directory.Exists(bundle) && !File.Exists(bundle))
        {
            diagnostics.Add(Messages.BundleNeitherFolderNorFile.With(request.BundlePath), bundle);
            return new SignResult(diagnostics.Items);
        }

        var signature = Path.GetFullPath(request.SignaturePath ?? (reference is null ? place + ".sig" : $"{place}.{reference}.sig"));
        if (WhyNotWritable(signature, place, diagnostics))
        {
            return new SignResult(diagnostics.Items);
        }

        using var signer = ReadSigner(request, diagnostics);
        if (signer is null)
        {
            return new SignResult(diagnostics.Items);
        }

        var resources = Resources(request, bundle, diagnostics, cancellationToken, out var how);
        if (resources is null)
        {
            return new SignResult(diagnostics.Items);
        }

        var statement = OmsStatement.Create(reference is null ? Path.GetFileName(bundle) : $"{Path.GetFileName(place)}:{reference}", resources);
        var bytes = OmsBundle.Sign(statement, signer);
        try
        {
            AtomicFile.Write(signature, bytes, diagnostics);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Messages.SignatureWriteFailed.With(signature, e.Message), signature);
            return new SignResult(diagnostics.Items) { How = how };
        }

        return new SignResult(diagnostics.Items)
        {
            SignaturePath = signature,
            How = how,
            FileCount = statement.Resources.Count,
            RootDigest = statement.RootDigest.ToString(),
            SignedBy = signer.Chain is { } chain ? $"the certificate '{chain[0].Subject}'" : $"the {SigningKeys.CurveName(signer.Key)} key {SigningKeys.Hint(signer.Key)}",
        };
    }

    /// <summary>
    /// The bundle's files and their checked digests, the manifest among them: the manifest's as pack's seal vouches for
    /// them, else as reading the bundle found them; null when it does not verify (its findings in <paramref name="diagnostics"/>).
    /// </summary>
    private static List<SignedResource>? Resources(SignRequest request, string bundle, DiagnosticBag diagnostics, CancellationToken cancellationToken, out string how)
    {
        if (BundleSeal.Check(request.DigestCacheDirectory, bundle, out var why) is { } sealedManifest)
        {
            var scratch = new DiagnosticBag();
            if (ManifestReader.Read(new MemoryStream(sealedManifest), scratch, bundle) is { } manifest && !scratch.HasErrors)
            {
                how = "Read no file: the bundle is as pack wrote it (its seal in the digest cache matches every file), so the manifest's digests, computed as pack wrote the files, were signed.";
                return [.. manifest.Files.Select(f => new SignedResource(f.Path, f.Sha256)), new SignedResource(BundleVerifier.ManifestName, manifest.Digest)];
            }

            why = "its seal's manifest cannot be read";
        }

        how = $"Read and checked every file of the bundle against its manifest, and signed the digests checked (pack's seal was not used: {why}).";
        var content = BundleVerifier.Read(Path.Exists(bundle) ? bundle : request.BundlePath, request.Progress, diagnostics, cancellationToken);
        request.Progress?.Finish();
        if (content is null || diagnostics.HasErrors)
        {
            diagnostics.Add(Messages.BundleDoesNotVerify.With(request.BundlePath), bundle);
            return null;
        }

        var resources = new List<SignedResource>(content.Files.Count + 1);
        foreach (var path in content.Files.Keys)
        {
            if (!content.TryGetDigest(path, out var digest))
            {
                diagnostics.Add(Messages.BundleDoesNotVerify.With(request.BundlePath), bundle);
                return null;
            }

            resources.Add(new SignedResource(path, digest));
        }

        if (content.Manifest is { } read)
        {
            resources.Add(new SignedResource(BundleVerifier.ManifestName, read.Digest));
        }

        if (resources.Count == 0)
        {
            diagnostics.Add(Messages.EmptyBundleNotSignable.With(request.BundlePath), bundle);
            return null;
        }

        return resources;
    }

    /// <summary>The layout folder (full path) and the reference of <paramref name="path"/> when it is LAYOUT:REF, as verify reads it.</summary>
    private static (string Layout, string Reference)? LayoutReference(string path) =>
        Oci.OciLayout.SplitReference(path) is var (layout, reference) ? (Path.TrimEndingDirectorySeparator(Path.GetFullPath(layout)), reference) : null;

    // Whether the signature may not go to signature (reported): inside a folder bundle, or where something other than an
    // earlier signature is (a folder, a link, another file), or in a folder that does not exist.
    private static bool WhyNotWritable(string signature, string bundle, DiagnosticBag diagnostics)
    {
        if (Directory.Exists(bundle) && (signature == bundle || signature.StartsWith(bundle + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || ProjectPath.Real(signature).StartsWith(ProjectPath.Real(bundle) + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
        {
            diagnostics.Add(Messages.SignatureInsideBundle.With(signature, bundle), signature);
            return true;
        }

        var what = FileType.Entry(signature) switch
        {
            null => Directory.Exists(Path.GetDirectoryName(signature)) ? null : "is in a folder that does not exist",
            { Link: true } => "is a symbolic link",
            { Folder: true } => "is a folder",
            _ => WhyNotSignature(signature),
        };
        if (what is not null)
        {
            diagnostics.Add(Messages.SignaturePathTaken.With(signature, what), signature);
            return true;
        }

        return false;
    }

    // Null when the file at path is an earlier signature, which may be replaced; else what it is. Only its beginning is
    // read, and only when it is a regular file: a named pipe would block forever, and a large file is not read whole.
    private static string? WhyNotSignature(string path)
    {
        try
        {
            using var handle = FileType.OpenRegular(path, out var refused);
            return handle is null ? refused ?? "was removed while it was read"
                : OmsBundle.BeginsAsBundle(handle) ? null : "is a file that is not an OMS signature";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "is a file that cannot be read";
        }
    }

    private static Signer? ReadSigner(SignRequest request, DiagnosticBag diagnostics)
    {
        var file = request.KeyPath;
        try
        {
            var key = SigningKeys.ReadPrivateKey(file);
            if (request.CertificatePath is not { } certificates)
            {
                return new Signer(key, null);
            }

            file = certificates;
            List<X509Certificate2> chain;
            try
            {
                chain = SigningKeys.ReadCertificates(certificates);
                using var certified = SigningKeys.PublicKeyOf(chain[0]);
                if (!SigningKeys.SamePublicKey(certified, key))
                {
                    throw new KeyFileException($"its first certificate ('{chain[0].Subject}') is not of the private key in '{request.KeyPath}'; the signing certificate comes first, its intermediates after it");
                }
            }
            catch
            {
                key.Dispose();
                throw;
            }

            WarnOfUnverifiable(chain, certificates, diagnostics);
            return new Signer(key, chain);
        }
        catch (KeyFileException e)
        {
            diagnostics.Add((e.Unreadable ? Messages.KeyFileUnreadable : Messages.KeyFileUnusable).With(file, e.Message), Path.GetFullPath(file));
            return null;
        }
    }

    // A signature verify will refuse whatever CA it is given: its certificate (or an intermediate) expired, or the
    // signing certificate may not sign. Signed all the same (the signer may mean to test), with a warning.
    private static void WarnOfUnverifiable(List<X509Certificate2> chain, string file, DiagnosticBag diagnostics)
    {
        var now = DateTime.UtcNow;
        foreach (var expired in chain.Where(c => c.NotAfter.ToUniversalTime() < now))
        {
            var what = expired == chain[0] ? "the signing certificate" : "an intermediate certificate";
            diagnostics.Add(Messages.SigningCertificateExpired.With(expired.Subject, file, what, expired.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)), Path.GetFullPath(file));
        }

        if (SignatureCheck.UsageProblem(chain[0]) is { } why)
        {
            diagnostics.Add(Messages.SigningCertificateMayNotSign.With(chain[0].Subject, file, why), Path.GetFullPath(file));
        }
    }
}

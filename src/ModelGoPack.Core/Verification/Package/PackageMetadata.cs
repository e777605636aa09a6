using System.Security.Cryptography;
using ModelGoPack.Diagnostics;
using NuGet.Packaging;
using NuGet.Packaging.Signing;
using ModelGoPack.Loading;

namespace ModelGoPack.Verification;

/// <summary>
/// What a received .nupkg says of itself besides the bundle's files: its nuspec's license, which nuget.org shows
/// and which must not contradict the MG-BY-SA-2.0 LICENSE it carries (as pack refuses PackageLicenseExpression,
/// MGP1005 and MGP6005), and its signature, when it has one. A signature is checked as NuGet checks a package's
/// integrity: the signature must be whole and cryptographically valid over what it signs, and what it signs (the
/// package's content hash) must be this package's. Whether to trust its signer (the certificate chain, revocation,
/// a timestamp) is a decision this tool does not make, and the report says so (MGP9016).
/// </summary>
internal static class PackageMetadata
{
    /// <summary>The package's own parts besides the bundle's files: NuGet writes these, and nothing else may be there.</summary>
    public static bool IsNuGetPart(string entry) =>
        entry is "_rels/.rels" or "[Content_Types].xml" or ".signature.p7s"
        || (entry.StartsWith("package/services/metadata/core-properties/", StringComparison.Ordinal) && entry.EndsWith(".psmdcp", StringComparison.Ordinal)
            && entry.IndexOf('/', "package/services/metadata/core-properties/".Length) < 0)
        || IsNuspec(entry);

    /// <summary>A part's name as NuGet reads it: unescaped when it holds a '%' (NuGet.Packaging's ZipArchiveExtensions).</summary>
    public static string PartName(string entry) => entry.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(entry) : entry;

    /// <summary>A nuspec at the package's root (one is NuGet's; a second is reported as unlisted).</summary>
    public static bool IsNuspec(string entry) => !entry.Contains('/', StringComparison.Ordinal) && entry.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The most a nuspec may be: 4 MiB. NuGet's own are a few kilobytes (nuget.org refuses a description over 4,000
    /// characters); the limit keeps a package whose nuspec is a gigabyte of XML from being read into memory.
    /// </summary>
    public const long MaxNuspecBytes = 4L * 1024 * 1024;

    /// <summary>
    /// The most a signature file may be: 1 MiB. An author or repository signature with its certificates and a
    /// timestamp is some 10 to 30 KB.
    /// </summary>
    public const long MaxSignatureBytes = 1024 * 1024;

    /// <summary>
    /// Takes what <see cref="Check"/> needs from a NuGet part as the package's directory is read: the first nuspec's
    /// bytes (read through the verifier's own zip reader, and only when no bigger than <see cref="MaxNuspecBytes"/>)
    /// and whether there is a signature. False when the package cannot be judged (a nuspec too big or damaged,
    /// MGP9007); null for a part the caller reads to its end (the signature, and parts that are neither).
    /// </summary>
    public static bool? Capture(ZipDirectory zip, ZipDirectory.Entry entry, string name, BundleContent package, DiagnosticBag diagnostics)
    {
        var where = $"{Path.GetFullPath(zip.Path)}!{name}";
        if (name == ".signature.p7s")
        {
            if (entry.Size > MaxSignatureBytes)
            {
                diagnostics.Add(Messages.PackageSignatureTooLarge.With(entry.Size, MaxSignatureBytes), where);
            }
            else
            {
                // Read to its end by the caller, as NuGet's other parts are.
                package.Signed = true;
                return null;
            }

            return true;
        }

        if (!IsNuspec(name))
        {
            return null;
        }

        if (entry.Size > MaxNuspecBytes)
        {
            diagnostics.Add(Messages.NuspecTooLarge.With(entry.Size, MaxNuspecBytes), where);
            return false;
        }

        try
        {
            var bytes = new byte[entry.Size];
            using var stream = zip.Open(entry);
            stream.ReadExactly(bytes);

            // To the end, where the data's size, CRC-32 and the end of its deflate stream are checked.
            if (stream.Read(new byte[1]) != 0)
            {
                throw new InvalidDataException("its data is longer than its size");
            }

            package.Nuspec = (name, bytes);
            return true;
        }
        catch (Exception e) when (BundleVerifier.IsDamaged(e))
        {
            diagnostics.Add(Messages.NuspecUnreadable.With(e.Message), where);
            return false;
        }
    }

    /// <summary>Checks the nuspec's license and the signature of the package at <paramref name="path"/>.</summary>
    public static void Check(string path, BundleContent package, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        try
        {
            if (package.Nuspec is { } nuspec)
            {
                License(new NuspecReader(new MemoryStream(nuspec.Bytes, writable: false)), package, $"{full}!{nuspec.Name}", diagnostics);
            }

            // Only a package with a signature is opened by NuGet's reader, which reads its whole directory again.
            if (package.Signed)
            {
                using var reader = new PackageArchiveReader(full);
                Signature(reader, full, diagnostics, cancellationToken);
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or System.Xml.XmlException or NuGet.Packaging.Core.PackagingException or InvalidOperationException)
        {
            diagnostics.Add(Messages.NuspecOrSignatureUnreadable.With(e.Message), full);
        }
    }

    private static void License(NuspecReader nuspec, BundleContent package, string where, DiagnosticBag diagnostics)
    {
        var license = nuspec.GetLicenseMetadata();
        var contradiction = license switch
        {
            { Type: LicenseType.Expression } => $"declares the license expression '{license.License}'",
            { Type: LicenseType.File } when !string.Equals(license.License, ProjectLoader.LicenseFileName, StringComparison.Ordinal) => $"declares its license by the file '{license.License}', not the bundle's LICENSE",
            null when !string.IsNullOrWhiteSpace(nuspec.GetLicenseUrl()) => $"declares its license only by the URL '{nuspec.GetLicenseUrl()}'",
            _ => null,
        };
        if (contradiction is null)
        {
            return;
        }

        // A derivative or Extracted Model must be licensed MG-BY-SA-2.0 (vi); any package that carries the license must
        // not say otherwise where nuget.org shows it.
        var config = package.Manifest?.Declaration?.Config;
        var message = config is { } c && (c.IsDerivative || c.IsExtracted) ? Messages.NuspecLicenseNotShareAlike : Messages.NuspecLicenseClash;
        diagnostics.Add(message.With(contradiction), where);
    }

    private static void Signature(PackageArchiveReader reader, string where, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        if (!reader.IsSignedAsync(cancellationToken).GetAwaiter().GetResult())
        {
            return;
        }

        PrimarySignature signature;
        try
        {
            signature = reader.GetPrimarySignatureAsync(cancellationToken).GetAwaiter().GetResult()
                ?? throw new SignatureException("the signature file is empty");

            // The signature's own cryptography, over the content it signs (no chain, no trust): whole and unaltered.
            signature.SignedCms.CheckSignature(verifySignatureOnly: true);

            // What it signs is this package: its content hash, the package without its signature file.
            reader.ValidateIntegrityAsync(signature.SignatureContent, cancellationToken).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is SignatureException or CryptographicException or InvalidDataException or FormatException)
        {
            diagnostics.Add(Messages.PackageSignatureNotValid.With(e.Message), where);
            return;
        }

        var certificate = signature.SignerInfo.Certificate;
        diagnostics.Add(Messages.PackageSignedBy.With(certificate?.Subject, certificate?.GetCertHashString(HashAlgorithmName.SHA256)), where);

    }
}

namespace ModelGoPack.Diagnostics;

/// <summary>What verify reports of a received bundle: reading it (Verification/), comparing it with its manifest, judging it, extracting it.</summary>
public static partial class Messages
{
    // MGP9002: the bundle cannot be read
    public static readonly DiagnosticMessage BundleNeitherFolderNorFile = M(DiagnosticCatalog.BundleUnreadable, "'{0}' is neither a folder nor a regular file. {help}");
    public static readonly DiagnosticMessage BundleFormatUnknown = M(DiagnosticCatalog.BundleUnreadable, "'{0}' is not a zip, a .nupkg or a gzip file. {help}");
    public static readonly DiagnosticMessage BundleReadFailed = M(DiagnosticCatalog.BundleUnreadable, "Cannot read '{0}': {1} {help}");
    public static readonly DiagnosticMessage PackageWithoutNuspec = M(DiagnosticCatalog.BundleUnreadable, "'{0}' has no nuspec at its root, so it is no NuGet package. {help}");
    public static readonly DiagnosticMessage ZipFolderEntryWithData = M(DiagnosticCatalog.BundleUnreadable, "'{0}' is refused: its entry '{1}' is a folder entry with data. {help}");
    public static readonly DiagnosticMessage ZipPartTooLarge = M(DiagnosticCatalog.BundleUnreadable, "'{0}' is refused: its entry '{1}' is {2:N0} bytes, more than the {3:N0} such a part may be. {help}");
    public static readonly DiagnosticMessage ZipPartUnreadable = M(DiagnosticCatalog.BundleUnreadable, "'{0}' is refused: its entry '{1}' cannot be read: {2} {help}");
    public static readonly DiagnosticMessage NuspecTooLarge = M(DiagnosticCatalog.BundleUnreadable, "The package's nuspec is {0:N0} bytes; a nuspec is at most {1:N0} bytes (4 MiB), so it is not read. {help}");
    public static readonly DiagnosticMessage NuspecUnreadable = M(DiagnosticCatalog.BundleUnreadable, "The package's nuspec cannot be read: {0} {help}");
    public static readonly DiagnosticMessage NuspecOrSignatureUnreadable = M(DiagnosticCatalog.BundleUnreadable, "Cannot read the package's nuspec or signature: {0} {help}");

    // MGP9002: an OCI image layout that is no model ModelGoPack can read (Verification/Oci)
    public static readonly DiagnosticMessage OciLayoutUnreadable = M(DiagnosticCatalog.BundleUnreadable, "'{0}' is not an OCI image layout ModelGoPack can read: {1}. {help}");

    /// <summary>{0}: the layer's number (from 1); {1}: its media type.</summary>
    public static readonly DiagnosticMessage OciLayerNotRaw = M(DiagnosticCatalog.BundleUnreadable, "Layer {0} of the OCI manifest is a '{1}'; ModelGoPack reads raw model layers only (application/vnd.cncf.model.*.v1.raw, one file each). {help}");

    /// <summary>{0}: the layer's number (from 1); {1}: its digest.</summary>
    public static readonly DiagnosticMessage OciLayerWithoutPath = M(DiagnosticCatalog.BundleUnreadable, "Layer {0} of the OCI manifest ({1}) has no org.cncf.model.filepath annotation, so the file it holds has no name. {help}");

    // MGP9018: what an OCI layout's config and manifest say of the model, against its bundle
    /// <summary>{0}: where ("the config's descriptor.licenses", "the manifest's org.opencontainers.image.licenses"); {1}: what it says.</summary>
    public static readonly DiagnosticMessage OciLicenseMisstated = M(DiagnosticCatalog.OciDescriptionContradicted, "{0} is '{1}', but the model is licensed MG-BY-SA-2.0 (LicenseRef-MG-BY-SA-2.0) by its LICENSE. {help}");

    /// <summary>{0}: the field; {1}: what the config says; {2}: what modelgo-manifest.json says.</summary>
    public static readonly DiagnosticMessage OciIdentityMisstated = M(DiagnosticCatalog.OciDescriptionContradicted, "The config's descriptor.{0} is '{1}', but modelgo-manifest.json says '{2}'. {help}");
    /// <summary>{0}: the layer's number (from 1); {1}: its file path; {2}: what is wrong with its file metadata.</summary>
    public static readonly DiagnosticMessage OciFileMetadataMisstated = M(DiagnosticCatalog.OciDescriptionContradicted, "Layer {0} ('{1}') has an org.cncf.model.file.metadata+json annotation that {2}; a tool that extracts by it would write another file than the one signed and listed. {help}");
    public static readonly DiagnosticMessage OciDiffIdsMisstated = M(DiagnosticCatalog.OciDescriptionContradicted, "The config's modelfs.diffIds are not the digests of the manifest's {0} layers in order. {help}");

    // MGP9003 to MGP9005: a file missing, altered or not listed
    public static readonly DiagnosticMessage ListedFileMissing = M(DiagnosticCatalog.BundleFileMissing, "'{0}' is listed in modelgo-manifest.json ({1} bytes) but is not in the bundle. {help}");
    public static readonly DiagnosticMessage WeightsLeftToMissingBundle = M(DiagnosticCatalog.BundleFileMissing, "'{0}' is listed in modelgo-manifest.json; the package leaves weight files to its bundle, and no bundle was found ({1}). Pass the bundle with --bundle.");
    public static readonly DiagnosticMessage OciBlobMissing = M(DiagnosticCatalog.BundleFileMissing, "'{0}' is a layer of the OCI manifest, but its blob {1} is not in the layout. {help}");
    public static readonly DiagnosticMessage ListedFileSizeDiffers = M(DiagnosticCatalog.BundleFileAltered, "'{0}' is {1} bytes; modelgo-manifest.json lists {2}. {help}");
    public static readonly DiagnosticMessage ListedFileLonger = M(DiagnosticCatalog.BundleFileAltered, "'{0}' holds more than the {1} bytes modelgo-manifest.json lists. {help}");
    public static readonly DiagnosticMessage ListedFileDigestDiffers = M(DiagnosticCatalog.BundleFileAltered, "'{0}' has SHA-256 {1}; modelgo-manifest.json lists {2}. {help}");

    /// <summary>{1}: "package" or "zip".</summary>
    public static readonly DiagnosticMessage ZipEntryDamaged = M(DiagnosticCatalog.BundleFileAltered, "'{0}' cannot be read from the {1}: {2} {help}");

    /// <summary>{1}: the layer's digest; {2}: the blob's; {3}: the blob's size; {4}: the layer's.</summary>
    public static readonly DiagnosticMessage OciBlobAltered = M(DiagnosticCatalog.BundleFileAltered, "'{0}' is not the blob its OCI layer names: the blob is {3:N0} bytes with {2}; the layer names {1} of {4:N0} bytes. {help}");

    public static readonly DiagnosticMessage FileNotListed = M(DiagnosticCatalog.BundleFileUnlisted, "'{0}' is in the bundle but not in modelgo-manifest.json. {help}");
    public static readonly DiagnosticMessage FolderBundleLink = M(DiagnosticCatalog.BundleFileUnlisted, "'{0}' is a symbolic link to '{1}'; a bundle holds only regular files. {help}");
    public static readonly DiagnosticMessage FolderBundleSpecialFile = M(DiagnosticCatalog.BundleFileUnlisted, "'{0}' is not a regular file (a named pipe, socket or device); a bundle holds only regular files. {help}");
    public static readonly DiagnosticMessage ZipEntryLink = M(DiagnosticCatalog.BundleFileUnlisted, "'{0}' is a symbolic link; a bundle holds only regular files. {help}");
    public static readonly DiagnosticMessage PackageSecondNuspec = M(DiagnosticCatalog.BundleFileUnlisted, "'{0}' is a second nuspec in the package; NuGet reads one. {help}");

    /// <summary>{1}: "package" or "zip".</summary>
    public static readonly DiagnosticMessage ZipEntryTwice = M(DiagnosticCatalog.BundleFileUnlisted, "'{0}' is in the {1} twice. {help}");

    public static readonly DiagnosticMessage OciLayerTwice = M(DiagnosticCatalog.ArchiveEntryUnsafe, "'{0}' is the path of two layers of the OCI manifest: extracted, one would overwrite the other. {help}");
    public static readonly DiagnosticMessage TarEntryTwice = M(DiagnosticCatalog.BundleFileUnlisted, "'{0}' is in the archive twice. {help}");

    /// <summary>{1}: the tar entry type (SymbolicLink, HardLink); {2}: where it links to.</summary>
    public static readonly DiagnosticMessage TarEntryLink = M(DiagnosticCatalog.BundleFileUnlisted, "'{0}' is a {1} entry to '{2}'; a bundle holds only regular files. {help}");

    /// <summary>{1}: the tar entry type (CharacterDevice, Fifo, ...).</summary>
    public static readonly DiagnosticMessage TarEntryNotAFile = M(DiagnosticCatalog.BundleFileUnlisted, "'{0}' is a {1} entry; a bundle holds only regular files. {help}");

    // MGP9006: the manifest
    public static readonly DiagnosticMessage ReceivedManifestTooLarge = M(DiagnosticCatalog.BundleManifestInvalid, "modelgo-manifest.json is larger than {0} MiB, the most a bundle's manifest may be. {help}");
    public static readonly DiagnosticMessage WrappedManifestTooLarge = M(DiagnosticCatalog.BundleManifestInvalid, "modelgo-manifest.json is larger than {0} MiB. {help}");
    public static readonly DiagnosticMessage ReceivedManifestUnusable = M(DiagnosticCatalog.BundleManifestInvalid, "modelgo-manifest.json cannot be used: {0}. {help}");
    public static readonly DiagnosticMessage ReceivedManifestDeclarationInvalid = M(DiagnosticCatalog.BundleManifestInvalid, "modelgo-manifest.json cannot be used: what it declares is not valid ({0}). {help}");

    // MGP9010: names no system may write, or that overwrite one another
    public static readonly DiagnosticMessage FolderBundleFileRefused = M(DiagnosticCatalog.ArchiveEntryUnsafe, "The file '{0}' is refused: {1}. {help}");
    public static readonly DiagnosticMessage ArchiveEntryRefused = M(DiagnosticCatalog.ArchiveEntryUnsafe, "The entry '{0}' is refused: {1}. {help}");
    public static readonly DiagnosticMessage ZipStructureRefused = M(DiagnosticCatalog.ArchiveEntryUnsafe, "'{0}' is refused: {1}. {help}");

    /// <summary>{1}: "package" or "zip".</summary>
    public static readonly DiagnosticMessage ZipFolderEntryNamesFile = M(DiagnosticCatalog.ArchiveEntryUnsafe, "The folder entry '{0}' has the name of a file in the {1}: extracting it makes a folder where the file goes. {help}");

    /// <summary>{0}: the names, quoted and joined by "and"; {1}: how they collide.</summary>
    public static readonly DiagnosticMessage BundleEntriesCollide = M(DiagnosticCatalog.ArchiveEntryUnsafe, "The entries {0} are refused: they {1}, so that one would overwrite the other where case or normalization does not count. {help}");

    // What the evaluation of a received bundle finds besides the rules a project meets too
    public static readonly DiagnosticMessage BundleLicenseMissing = M(DiagnosticCatalog.LicenseCopyMissing, "The bundle has no LICENSE at its root. {help}");
    public static readonly DiagnosticMessage BundleNoticeMissing = M(DiagnosticCatalog.NoticeMissing, "The bundle declares {0} upstream model(s) but has no NOTICE at its root. {help}");
    public static readonly DiagnosticMessage BundleNoticeFileTooLarge = M(DiagnosticCatalog.FileUnreadable, "'{0}' is {1} bytes; a notice file is at most {2} bytes of text.");
    public static readonly DiagnosticMessage BundleNoticeFileMissing = M(DiagnosticCatalog.UpstreamNoticeMissing, "Notice file '{0}' of upstream \"{1}\" is not in the bundle. {help}");
    public static readonly DiagnosticMessage BundleTextTooLarge = M(DiagnosticCatalog.GeneratedTextTooLarge, "The bundle's {0} is {1:N0} bytes, over the limit of {2:N0} bytes (4 MiB) that verify reads whole, so it is not judged. {help}");
    public static readonly DiagnosticMessage WeightHeaderOutOfReach = M(DiagnosticCatalog.WeightHeaderNotRead, "'{0}': {1}. {help}");

    // A .nupkg and the bundle beside it
    public static readonly DiagnosticMessage BundleBesideIsPackage = M(DiagnosticCatalog.PackageBundleMismatch, "'{0}' is a package, not the bundle of '{1}'. {help}");
    public static readonly DiagnosticMessage BundleBesideHoldsOtherManifest = M(DiagnosticCatalog.PackageBundleMismatch, "'{0}' holds another modelgo-manifest.json than the package '{1}'. {help}");
    public static readonly DiagnosticMessage BundleBesideHoldsNoManifest = M(DiagnosticCatalog.PackageBundleMismatch, "'{0}' holds no modelgo-manifest.json than the package '{1}'. {help}");

    /// <summary>{0}: what the nuspec declares ("declares the license expression 'MIT'").</summary>
    public static readonly DiagnosticMessage NuspecLicenseNotShareAlike = M(DiagnosticCatalog.PackageLicenseShareAlike, "The package's nuspec {0}, but the package is licensed MG-BY-SA-2.0 by its LICENSE. {help}");

    /// <summary>{0}: what the nuspec declares ("declares the license expression 'MIT'").</summary>
    public static readonly DiagnosticMessage NuspecLicenseClash = M(DiagnosticCatalog.PackageLicenseClash, "The package's nuspec {0}, but the package is licensed MG-BY-SA-2.0 by its LICENSE. {help}");

    public static readonly DiagnosticMessage PackageSignatureTooLarge = M(DiagnosticCatalog.PackageSignatureInvalid, "The package's signature file is {0:N0} bytes; a NuGet signature is at most {1:N0}. {help}");
    public static readonly DiagnosticMessage PackageSignatureNotValid = M(DiagnosticCatalog.PackageSignatureInvalid, "The package's signature (.signature.p7s) is not valid for this package: {0} {help}");
    public static readonly DiagnosticMessage PackageSignedBy = M(DiagnosticCatalog.PackageSigned, "The package is signed by '{0}' (certificate SHA-256 {1}), and the signature matches the package; whether to trust that signer was not checked. {help}");

    // verify --extract
    public static readonly DiagnosticMessage ExtractedFileChanged = M(DiagnosticCatalog.BundleFileAltered, "'{0}' changed between verifying and extracting it. Nothing was extracted. {help}");
    public static readonly DiagnosticMessage ExtractRereadFailed = M(DiagnosticCatalog.BundleFileAltered, "The bundle could not be read again to extract it ({0}). Nothing was extracted. {help}");
    public static readonly DiagnosticMessage ExtractEntryNameRefused = M(DiagnosticCatalog.ArchiveEntryUnsafe, "The extractor refused the entry name '{0}': {1}. Nothing was extracted. {help}");
    public static readonly DiagnosticMessage ExtractWriteFailed = M(DiagnosticCatalog.OutputWriteFailed, "Cannot extract to '{0}': {1} The bundle verified; nothing was extracted. {help}");
}

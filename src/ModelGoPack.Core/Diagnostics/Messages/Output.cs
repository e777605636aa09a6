namespace ModelGoPack.Diagnostics;

/// <summary>What writing the bundle (Emit/) and hashing the project's files (Hashing/) report.</summary>
public static partial class Messages
{
    // The bundle's limits (BundleLimits, MGP8032), said before anything is hashed or written.
    public static readonly DiagnosticMessage BundleTooManyFiles = M(DiagnosticCatalog.BundleLimitExceeded, "The bundle would hold {0:N0} files; a bundle holds at most {1:N0}. {help}");
    public static readonly DiagnosticMessage ManifestDeclarationsTooLarge = M(DiagnosticCatalog.BundleLimitExceeded, "What the bundle's modelgo-manifest.json would declare besides its files list (identity, upstreams, modifications, waivers) is {0:N0} bytes; it is at most {1:N0} bytes (16 MiB). {help}");
    public static readonly DiagnosticMessage ManifestDeclarationsTooMany = M(DiagnosticCatalog.BundleLimitExceeded, "What the bundle's modelgo-manifest.json would declare besides its files list holds more than {0:N0} values (a waiver's findings count, one for each file it covers); it holds at most {0:N0}. {help}");
    public static readonly DiagnosticMessage ManifestTooLarge = M(DiagnosticCatalog.BundleLimitExceeded, "The bundle's modelgo-manifest.json would be {0:N0} bytes for its {1:N0} files; it is at most {2:N0} bytes (256 MiB). {help}");

    // The output path (BundleWriter, MGP8015, MGP9001). {1}: why what is there is no bundle pack may replace
    // (PreviousBundle: "is not a regular file", "is a folder that holds no modelgo-manifest.json of its own"…).
    public static readonly DiagnosticMessage OutputNotReplaceable = M(DiagnosticCatalog.OutputNotABundle, "The output path '{0}' {1}. {help}");
    public static readonly DiagnosticMessage OutputChangedWhilePacking = M(DiagnosticCatalog.OutputNotABundle, "The output path '{0}' changed while pack ran: it {1}. Nothing was replaced, and no bundle was written. {help}");
    public static readonly DiagnosticMessage BundleNotWritten = M(DiagnosticCatalog.OutputWriteFailed, "Cannot write the bundle to '{0}': {1} {help}");

    // What a run leaves aside while it writes (TemporaryOutput, MGP9014, MGP9013).
    public static readonly DiagnosticMessage TemporaryNotRemoved = M(DiagnosticCatalog.OutputNotRemoved, "Cannot remove '{0}': {1} {help}");
    public static readonly DiagnosticMessage StaleTemporaryNotRemoved = M(DiagnosticCatalog.OutputNotRemoved, "Cannot remove '{0}', left by an interrupted run of ModelGoPack (process {1}): {2} {help}");
    public static readonly DiagnosticMessage StaleTemporaryRemoved = M(DiagnosticCatalog.StaleTemporaryRemoved, "Removed '{0}' ({1:N0} bytes), left by an interrupted run of ModelGoPack (process {2}, which has ended). {help}");

    // The digest cache (DigestCache, MGP8034). {1} of DigestCacheNotRead: what is wrong with the file ("is empty"…).
    public static readonly DiagnosticMessage DigestCacheNotRead = M(DiagnosticCatalog.DigestCacheIgnored, "The digest cache file '{0}' {1}, so it was not read: every file is hashed, and the file is replaced by a regular one when the digests are saved. {help}");
    public static readonly DiagnosticMessage DigestCacheCorrected = M(DiagnosticCatalog.DigestCacheIgnored, "The digest cache held {0} for '{1}', with its size, times and inode unchanged, but its bytes hash to {2}: the bundle lists the digest of the bytes it holds, and the cache is corrected. {help}");

    // A project file while it is hashed or copied (DigestEngine, DigestCache.Confirm; MGP8009 unreadable, MGP9002 changed).
    public static readonly DiagnosticMessage FileGone = M(DiagnosticCatalog.FileUnreadable, "Cannot read '{0}': it is gone, cannot be read, or is no longer a regular file. {help}");
    public static readonly DiagnosticMessage FileReadFailed = M(DiagnosticCatalog.FileUnreadable, "Cannot read '{0}': {1} {help}");
    public static readonly DiagnosticMessage FileSizeChangedSinceListed = M(DiagnosticCatalog.FileChangedDuringPack, "'{0}' was {1} bytes when discovered and is {2} bytes now. {help}");
    public static readonly DiagnosticMessage FileRemovedWhileRead = M(DiagnosticCatalog.FileChangedDuringPack, "'{0}' was removed while it was read. {help}");
    public static readonly DiagnosticMessage FileSizeChangedWhileRead = M(DiagnosticCatalog.FileChangedDuringPack, "'{0}' was {1} bytes when it was opened; {2} bytes were read and it is {3} bytes now. {help}");
    public static readonly DiagnosticMessage FileReplacedWhileRead = M(DiagnosticCatalog.FileChangedDuringPack, "'{0}' was written to or replaced while it was read (its modification time, change time or inode changed). {help}");
    public static readonly DiagnosticMessage FileChangedSinceEvaluated = M(DiagnosticCatalog.FileChangedDuringPack, "'{0}' changed after it was evaluated (its size, times or inode differ from when it was compared with the upstream release). {help}");
    public static readonly DiagnosticMessage FileDigestNotAsEvaluated = M(DiagnosticCatalog.FileChangedDuringPack, "'{0}' has bytes whose SHA-256 ({1}) is not the digest this run compared with the upstream release ({2}, from the digest cache), though its size, times and inode are the same: the cache held a wrong digest, and is corrected. {help}");
}

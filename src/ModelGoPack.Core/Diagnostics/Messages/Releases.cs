namespace ModelGoPack.Diagnostics;

/// <summary>
/// What is wrong with an upstream's release (Releases/: ReleaseReader, GitRelease, HubCache), said of the file at fault:
/// a <see cref="Releases.ReleaseException"/> carries it, and who catches it (the loader, init) names the release and
/// the file before it, and adds the code's help after it ("The release of upstream "x" (bundle '…'): '&lt;file&gt;' is a folder; …").
/// </summary>
public static partial class Messages
{
    // What the release puts in the bundle must read as it renders (MGP8029, MGP8027).
    public static readonly DiagnosticMessage ReleaseFileNameBidiControl = M(DiagnosticCatalog.BidiControl, "holds the file '{0}', whose name holds an invisible bidirectional control.");
    public static readonly DiagnosticMessage ReleaseFileNameControlCharacter = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "holds the file '{0}', whose name holds a control character.");

    /// <summary>{1}: the control's code point; {2}, {3}: its line and column in the notice.</summary>
    public static readonly DiagnosticMessage ReleaseNoticeBidiControl = M(DiagnosticCatalog.BidiControl, "holds the notice '{0}', with U+{1:X4}, an invisible bidirectional control, at line {2}, column {3}: the bundle's NOTICE would not read as it renders.");

    // Where the release is (MGP8027).
    public static readonly DiagnosticMessage ReleaseMissing = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "does not exist (upstream \"{0}\").");
    public static readonly DiagnosticMessage ReleaseManifestIsFolder = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "is a folder; \"manifest\" names a modelgo-manifest.json file (name the folder with \"bundle\").");
    public static readonly DiagnosticMessage ReleaseIsProjectFolder = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "is the project's folder, or a folder holding it: a release is the upstream's files as released, kept apart from the project.");
    public static readonly DiagnosticMessage ReleaseNotFileOrFolder = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "is not a regular file, a folder or a link to one (a named pipe, socket or device).");

    // Reading its files and links (MGP8027; a blob a Hub snapshot lacks, MGP8038).
    public static readonly DiagnosticMessage ReleaseFileUnreadable = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "cannot be read: {0}");
    public static readonly DiagnosticMessage ReleaseFolderUnlistable = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "cannot be listed: {0}");
    public static readonly DiagnosticMessage ReleaseFileUnhashable = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "cannot be hashed: {0}");
    public static readonly DiagnosticMessage ReleaseFileTooLarge = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "is larger than {0} MiB, more than ModelGoPack reads of such a file.");
    public static readonly DiagnosticMessage ReleaseFileNotRegular = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "is not a regular file (a named pipe, socket or device), or cannot be read.");
    public static readonly DiagnosticMessage ReleaseNoticeNotRegular = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "is not a regular file (a named pipe, socket or device).");
    public static readonly DiagnosticMessage ReleaseFileNameNotUtf8 = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "has a name that is not valid UTF-8, so it cannot be opened by its name.");

    /// <summary>{0}: the file, shortened; {1}: its full path's length in bytes; {2}: the most this system opens.</summary>
    public static readonly DiagnosticMessage ReleasePathTooLong = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "holds '{0}', whose full path of {1:N0} bytes is longer than this system opens ({2:N0}): the release cannot be read whole. Move the release to a shorter path, or shorten its folder names.");
    public static readonly DiagnosticMessage ReleaseLinkBroken = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "is a symbolic link to '{0}', which does not exist.");
    public static readonly DiagnosticMessage ReleaseLinkLoop = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "cannot be followed: {0} (a symbolic link loop?)");
    public static readonly DiagnosticMessage ReleaseLinkToFolder = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "is a symbolic link to the folder '{0}', which ModelGoPack does not follow inside a release (copy the folder, or name it as a release of its own).");
    public static readonly DiagnosticMessage ReleaseLinkToNonRegular = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "links to '{0}', which is not a regular file.");
    public static readonly DiagnosticMessage ReleaseLinkOutside = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "is a symbolic link to '{0}', outside the release: a release's files are its own.");
    public static readonly DiagnosticMessage ReleaseBlobNotDownloaded = M(DiagnosticCatalog.UpstreamBlobMissing, "links to the blob '{0}', which is missing: the download of '{1}' did not finish.");

    // An archive or a manifest, read by verify's readers: {0} of ReleaseRefusedByReader is what the reader says, its help left out.
    public static readonly DiagnosticMessage ReleaseNotReadable = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "is not a folder, a modelgo-manifest.json, a zip or a tar.gz that can be read ({0}).");
    public static readonly DiagnosticMessage ReleaseArchiveManifestUnusable = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "is an archive whose modelgo-manifest.json cannot be used: {0}");
    public static readonly DiagnosticMessage ReleaseArchiveManifestTwice = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "is an archive whose modelgo-manifest.json cannot be used: it holds modelgo-manifest.json more than once");
    public static readonly DiagnosticMessage ReleaseEntryDamaged = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "holds the entry '{0}', whose data cannot be read.");
    public static readonly DiagnosticMessage ReleaseRefusedByReader = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "{0}");

    /// <summary>{1}: the notice's size in bytes; {2}: the most read of a notice, in MiB.</summary>
    public static readonly DiagnosticMessage ReleaseNoticeTooLarge = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "holds the notice '{0}', of {1:N0} bytes, more than the {2} MiB ModelGoPack reads of a notice.");

    // Digests the release does not hold to (MGP8039). {1} of ReleaseDigestNotAsTrusted: what vouched for the digest
    // ("its blob is named by", "huggingface_hub's download metadata records", "its modelgo-manifest.json lists").
    public static readonly DiagnosticMessage ReleaseListedFileMissing = M(DiagnosticCatalog.UpstreamDigestMismatch, "is listed by the release's modelgo-manifest.json but missing.");
    public static readonly DiagnosticMessage ReleaseEntryNotAsListed = M(DiagnosticCatalog.UpstreamDigestMismatch, "holds '{0}', whose SHA-256 ({1}) is not the one its modelgo-manifest.json lists ({2}).");
    public static readonly DiagnosticMessage ReleaseDigestNotAsTrusted = M(DiagnosticCatalog.UpstreamDigestMismatch, "has the SHA-256 {0}, but {1} {2}: the file is damaged or was replaced.");

    // A Hugging Face Hub cache folder (HubCache).
    public static readonly DiagnosticMessage HubRefNotCommit = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "is not a commit id (a regular file of at most 256 bytes).");
    public static readonly DiagnosticMessage HubCacheWithoutSnapshot = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "is a Hub cache folder with no snapshot: the download did not start or was removed.");
    public static readonly DiagnosticMessage HubCacheSnapshotsWithoutRef = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "is a Hub cache folder with {0} snapshots ({1}) and no refs/main: name the snapshot folder (…/snapshots/REVISION).");
    public static readonly DiagnosticMessage HubSnapshotNotDownloaded = M(DiagnosticCatalog.UpstreamBlobMissing, "names the snapshot '{0}', which is not in snapshots/: the download did not finish.");

    // A git revision (GitRelease). {0} of GitReleaseRefused: what git or the repository reader says.
    public static readonly DiagnosticMessage GitCloneMissing = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "does not exist: \"repository\" names a local clone of the upstream's repository.");
    public static readonly DiagnosticMessage GitCloneIsProject = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "is the project's folder, or holds it: \"repository\" names another clone (to compare with a revision of the project's own repository, leave \"repository\" out).");
    public static readonly DiagnosticMessage GitCannotRun = M(DiagnosticCatalog.GitUnavailable, "cannot be read: {0}");
    public static readonly DiagnosticMessage GitReleaseRefused = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "{0}");
    public static readonly DiagnosticMessage GitRevisionUnknown = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "has no commit, tag or branch '{0}'. Check the name, or fetch it (git fetch --tags).");
    public static readonly DiagnosticMessage GitNoticeTooLarge = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "holds the notice '{0}' at '{1}', of {2:N0} bytes, more than the {3} MiB ModelGoPack reads of a notice.");

    // A root notice that is a symbolic link in the revision's tree: {0} the notice, {1} the revision, {2} the link's target.
    public static readonly DiagnosticMessage GitNoticeLinkTooDeep = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "holds '{0}' at '{1}', a symbolic link to '{2}', which leads through more than eight links.");
    public static readonly DiagnosticMessage GitNoticeLinkOutside = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "holds '{0}' at '{1}', a symbolic link to '{2}', which leads out of the release: a release's notices are its own.");
    public static readonly DiagnosticMessage GitNoticeLinkNowhere = M(DiagnosticCatalog.UpstreamReleaseUnreadable, "holds '{0}' at '{1}', a symbolic link to '{2}', which leads to no file of the release.");
}

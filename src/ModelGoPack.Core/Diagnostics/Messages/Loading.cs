namespace ModelGoPack.Diagnostics;

/// <summary>What the loader reports as it reads a project or a received bundle (Loading/ProjectLoader).</summary>
public static partial class Messages
{
    // What is left out of the bundle (MGP7xxx notes)
    public static readonly DiagnosticMessage ReleaseInProjectLeftOut = M(DiagnosticCatalog.ReleaseLeftOut, "'{0}' is the release of upstream \"{1}\"; it is compared with, and left out of the bundle.");
    public static readonly DiagnosticMessage EarlierBundleFolderLeftOut = M(DiagnosticCatalog.ReleaseLeftOut, "'{0}' holds a modelgo-manifest.json: it is a bundle (an earlier output of pack, or a release), and is left out of this one.");
    public static readonly DiagnosticMessage EarlierBundleArchiveLeftOut = M(DiagnosticCatalog.ReleaseLeftOut, "'{0}' is a bundle ModelGoPack wrote (an earlier output of pack, or a release); it is left out of this one.");
    public static readonly DiagnosticMessage ConfigNamesReleaseOnMachine = M(DiagnosticCatalog.ConfigLeftOut, "modelgo.json names '{0}', where the release of upstream \"{1}\" is on this machine; it is left out of the bundle. {help}");

    // The project's file names
    public static readonly DiagnosticMessage UnderFolderNamedLikeGenerated = M(DiagnosticCatalog.ReservedBundlePath, "'{0}' is under a folder named like the generated '{1}'. {help}");
    public static readonly DiagnosticMessage ProjectManifestWouldBeReplaced = M(DiagnosticCatalog.ReservedBundlePath, "'{0}' would be replaced by the bundle's generated manifest. {help}");
    public static readonly DiagnosticMessage ProjectFileNameNotPortable = M(DiagnosticCatalog.FileNameNotPortable, "The file name '{0}' cannot be written on every system: {1}. {help}");

    /// <summary>{0}: the names, quoted and joined by "and"; {1}: how they collide.</summary>
    public static readonly DiagnosticMessage ProjectNamesCollide = M(DiagnosticCatalog.CaseCollision, "{0} {1}: where case or normalization does not count, one would overwrite the other. {help}");

    public static readonly DiagnosticMessage FileNameHoldsBidiControl = M(DiagnosticCatalog.BidiControl, "The file name '{0}' holds an invisible bidirectional control. {help}");
    public static readonly DiagnosticMessage NoticeHoldsBidiControl = M(DiagnosticCatalog.BidiControl, "The notice '{0}' holds U+{1:X4}, an invisible bidirectional control; the bundle's NOTICE would not read as it renders. {help}");

    // The texts the loader reads: license and notice files, the model card, dataset stamps
    public static readonly DiagnosticMessage TextFileTooLarge = M(DiagnosticCatalog.FileUnreadable, "'{0}' is {1} bytes; a license or notice file is at most {2} bytes of text.");

    /// <summary>{2}: why it cannot be used ("does not exist", "is a folder, not a file", ...).</summary>
    public static readonly DiagnosticMessage ProjectNoticeUnusable = M(DiagnosticCatalog.UpstreamNoticeMissing, "Notice file '{0}' of upstream \"{1}\" {2}. {help}");

    /// <summary>{0}: what the card's reader says of its front matter.</summary>
    public static readonly DiagnosticMessage ModelCardFrontMatterInvalid = M(DiagnosticCatalog.ModelCardInvalid, "README.md's {0} {help}");

    public static readonly DiagnosticMessage DatasetStampUnreadable = M(DiagnosticCatalog.DatasetStampInvalid, "'{0}': {1} {help}");

    // An upstream's release that could not be read, under the code its reader gave (Releases.ReleaseException.Code):
    // {0} the upstream, {1} the release it names, {2} the file at fault, {3} what is wrong.
    private const string ReleaseProblem = "The release of upstream \"{0}\" ({1}): '{2}' {3} {help}";

    public static readonly DiagnosticMessage ReleaseUnreadable = M(DiagnosticCatalog.UpstreamReleaseUnreadable, ReleaseProblem);
    public static readonly DiagnosticMessage ReleaseGitUnavailable = M(DiagnosticCatalog.GitUnavailable, ReleaseProblem);
    public static readonly DiagnosticMessage ReleaseBlobMissing = M(DiagnosticCatalog.UpstreamBlobMissing, ReleaseProblem);
    public static readonly DiagnosticMessage ReleaseDigestMismatch = M(DiagnosticCatalog.UpstreamDigestMismatch, ReleaseProblem);
    public static readonly DiagnosticMessage ReleaseNameHoldsBidiControl = M(DiagnosticCatalog.BidiControl, ReleaseProblem);

    /// <summary>The message of a release that could not be read, by the code its reader raised.</summary>
    internal static DiagnosticMessage ReleaseProblemFor(DiagnosticDescriptor code) =>
        ForCode(code, ReleaseUnreadable, ReleaseGitUnavailable, ReleaseBlobMissing, ReleaseDigestMismatch, ReleaseNameHoldsBidiControl);
}

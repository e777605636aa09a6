namespace ModelGoPack.Diagnostics;

/// <summary>What inspection reports (Inspection/): the dataset stamp that <c>stamp</c> writes (DatasetStamp).</summary>
public static partial class Messages
{
    // MGP8012
    public static readonly DiagnosticMessage DatasetFolderMissing = M(DiagnosticCatalog.ProjectDirectoryMissing, "'{0}' is not a folder. Pass the dataset's folder.");

    // MGP8025, MGP8026, MGP9001: the stamp itself
    public static readonly DiagnosticMessage DatasetStampIncomplete = M(DiagnosticCatalog.DatasetStampInvalid, "A stamp needs a generator name and license. {help}");
    public static readonly DiagnosticMessage DatasetStampAlreadyExists = M(DiagnosticCatalog.DatasetStampExists, "{0} already exists. {help}");
    public static readonly DiagnosticMessage DatasetStampWriteFailed = M(DiagnosticCatalog.OutputWriteFailed, "Cannot write {0}: {1}");
}

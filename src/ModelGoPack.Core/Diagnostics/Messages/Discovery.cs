namespace ModelGoPack.Diagnostics;

/// <summary>What listing the project's files reports (Discovery/ProjectScanner). {0} of a "The {0} '{1}'" message: "file" or "folder".</summary>
public static partial class Messages
{
    public static readonly DiagnosticMessage ProjectFolderUnlistable = M(DiagnosticCatalog.FileUnreadable, "Cannot list the folder '{0}': {1} {help}");
    public static readonly DiagnosticMessage ProjectFileUnreadable = M(DiagnosticCatalog.FileUnreadable, "Cannot read '{0}': {1}");
    public static readonly DiagnosticMessage ProjectFileNotRegular = M(DiagnosticCatalog.FileUnreadable, "'{0}' is not a regular file (a named pipe, socket or device). Remove it, or exclude it with \"exclude\".");
    public static readonly DiagnosticMessage ProjectNameNotUtf8 = M(DiagnosticCatalog.FileUnreadable, "The {0} '{1}' has a name that is not valid UTF-8 ('\uFFFD' marks the bytes), so it cannot be opened by its name. Rename it, or exclude it with \"exclude\".");
    public static readonly DiagnosticMessage ProjectNamesAlike = M(DiagnosticCatalog.FileUnreadable, "Two entries of the folder read as '{0}': one has a name that is not valid UTF-8 ('\uFFFD' marks its bytes), so neither can be told from the other by its name. Rename the one that is not UTF-8, or exclude both with \"exclude\".");

    /// <summary>{1}: the path, shortened; {2}: its full path's length in bytes; {3}: the most this system opens.</summary>
    public static readonly DiagnosticMessage ProjectPathTooLongForSystem = M(DiagnosticCatalog.PathTooLongForSystem, "The {0} '{1}' has a full path of {2:N0} bytes; this system opens paths of at most {3:N0}. {help}");
    public static readonly DiagnosticMessage ProjectSymlink = M(DiagnosticCatalog.SymlinkRejected, "'{0}' is a symbolic link to '{1}'. {help}");
}

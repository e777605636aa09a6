namespace ModelGoPack.Diagnostics;

/// <summary>What the CycloneDX bill of materials reports (Reporting/CycloneDx/, <c>bom</c> and <c>pack --bom</c>).</summary>
public static partial class Messages
{
    // MGP9070: a bundle without a declaration.
    public static readonly DiagnosticMessage BomBundleUndeclared = M(DiagnosticCatalog.BomBundleUndeclared, "'{0}' has no {1} and carries no {2}; no BOM was made. {help}");

    // MGP9071: the output path. {1}: what is there ("is a folder", "is a file that is not a CycloneDX BOM").
    public static readonly DiagnosticMessage BomOutputNotReplaceable = M(DiagnosticCatalog.BomOutputNotReplaceable, "The BOM's output path '{0}' {1}; nothing was written. {help}");
    public static readonly DiagnosticMessage BomOutputInsideBundle = M(DiagnosticCatalog.BomOutputNotReplaceable, "The BOM's output path '{0}' is inside the bundle '{1}' it describes; nothing was written. {help}");
    public static readonly DiagnosticMessage BomOutputInsideProject = M(DiagnosticCatalog.BomOutputNotReplaceable, "The BOM's output path '{0}' is inside the project '{1}' it describes; nothing was written. {help}");

    // MGP9072: a project file of the BOM's name (pack without --bom leaves it out).
    public static readonly DiagnosticMessage BomNameReserved = M(DiagnosticCatalog.BomNameReserved, "'{0}' has the name of the BOM pack --bom writes, and is left out of the bundle. {help}");

    // MGP9073: a bundle's file of the BOM's name that is not its BOM.
    public static readonly DiagnosticMessage BomCarriedNotOwn = M(DiagnosticCatalog.BomCarriedNotOwn, "'{0}' is not the bundle's own BOM; it is listed as one of its files. {help}");

    // MGP9001: writing it (to a file, or to standard output: {0} is then "standard output").
    public static readonly DiagnosticMessage BomNotWritten = M(DiagnosticCatalog.OutputWriteFailed, "Cannot write the BOM to '{0}': {1} {help}");
}

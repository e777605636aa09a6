namespace ModelGoPack.Diagnostics;

/// <summary>What the CycloneDX bill of materials reports (Reporting/CycloneDx/, <c>bom</c> and <c>pack --bom</c>).</summary>
public static partial class Messages
{
    // MGP9070: a bundle without a declaration.
    public static readonly DiagnosticMessage BomBundleUndeclared = M(DiagnosticCatalog.BomBundleUndeclared, "'{0}' has no {1} and carries no {2}; no BOM was made. {help}");

    // MGP9071: the output path. {1}: what is there ("is a folder", "is a file that is not a CycloneDX BOM").
    public static readonly DiagnosticMessage BomOutputNotReplaceable = M(DiagnosticCatalog.BomOutputNotReplaceable, "The BOM's output path '{0}' {1}; nothing was written. {help}");
    public static readonly DiagnosticMessage BomOutputInsideBundle = M(DiagnosticCatalog.BomOutputNotReplaceable, "The BOM's output path '{0}' is inside the bundle '{1}' it describes; nothing was written. {help}");

    // MGP9001: writing it.
    public static readonly DiagnosticMessage BomNotWritten = M(DiagnosticCatalog.OutputWriteFailed, "Cannot write the BOM to '{0}': {1} {help}");
}

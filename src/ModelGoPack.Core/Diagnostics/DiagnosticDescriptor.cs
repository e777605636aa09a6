namespace ModelGoPack.Diagnostics;

/// <summary>A rule's fixed facts: its stable code, severity, one-line title and fix-it help.</summary>
public sealed record DiagnosticDescriptor(string Code, Severity Severity, DiagnosticKind Kind, string Title, string Help)
{
    /// <summary>
    /// Whether a waiver may cover this finding: a compliance finding the tool can only infer, which a reviewer may
    /// judge. False for an obligation of the license itself (the license copy and text, the modification and
    /// Extracted Model statements, a known notice retained, share-alike) and for every input error.
    /// </summary>
    public bool Waivable { get; init; }
}

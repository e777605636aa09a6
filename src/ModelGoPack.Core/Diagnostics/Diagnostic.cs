namespace ModelGoPack.Diagnostics;

/// <summary>One finding: a stable code, its severity, a message, and where it was found.</summary>
/// <param name="Descriptor">The rule that produced it (code, title, fix-it help).</param>
/// <param name="Message">What is wrong, in this instance.</param>
/// <param name="Path">The file, relative to the project root with '/' separators, or null.</param>
/// <param name="Line">1-based line in <paramref name="Path"/>, or 0 when unknown.</param>
/// <param name="Column">1-based column in <paramref name="Path"/>, or 0 when unknown.</param>
public sealed record Diagnostic(DiagnosticDescriptor Descriptor, string Message, string? Path = null, int Line = 0, int Column = 0)
{
    public string Code => this.Descriptor.Code;

    /// <summary>
    /// Whether this is an error about a bundle's integrity (MGP9xxx): what stops verify --extract. Errors about the
    /// output being written (MGP9001 a write failed, MGP9011 the folder to extract to exists, MGP9037 a signature not written) say nothing of the
    /// bundle, and are not.
    /// </summary>
    public bool IsIntegrityError => this.Severity == Severity.Error && this.Code.StartsWith("MGP9", StringComparison.Ordinal) && !this.IsOutputError;

    /// <summary>Whether this is an error about writing the output (MGP9001, MGP9011, MGP9037 a signature), not about what was read.</summary>
    public bool IsOutputError => this.Severity == Severity.Error && this.Code is "MGP9001" or "MGP9011" or "MGP9037";

    /// <summary>The rule's severity, or info when a waiver in modelgo.json covers this finding.</summary>
    public Severity Severity => this.Waiver is null ? this.Descriptor.Severity : Severity.Info;

    /// <summary>The justification of the waiver that covers this finding, or null.</summary>
    public string? Waiver { get; init; }

    public override string ToString() =>
        $"{(this.Path is null ? "" : this.Line > 0 ? $"{this.Path}({this.Line},{this.Column}): " : $"{this.Path}: ")}{this.Severity.ToString().ToLowerInvariant()} {this.Code}: {(this.Waiver is null ? "" : $"waived ({this.Waiver}): ")}{this.Message}";
}

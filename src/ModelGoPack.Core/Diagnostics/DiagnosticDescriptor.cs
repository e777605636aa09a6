namespace ModelGoPack.Diagnostics;

/// <summary>A rule's fixed facts: its stable code, severity, one-line title and fix-it help.</summary>
public sealed record DiagnosticDescriptor(string Code, Severity Severity, DiagnosticKind Kind, string Title, string Help);

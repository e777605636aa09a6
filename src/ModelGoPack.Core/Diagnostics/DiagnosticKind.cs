namespace ModelGoPack.Diagnostics;

/// <summary>
/// What an error means for the exit code: a compliance finding (exit 1) or a problem with the
/// input, config or environment (exit 2).
/// </summary>
public enum DiagnosticKind
{
    Compliance,
    Input,
}

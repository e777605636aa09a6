namespace ModelGoPack.Diagnostics;

/// <summary>How serious a finding is. Errors stop <c>pack</c>; warnings and infos are reported only.</summary>
public enum Severity
{
    Info,
    Warning,
    Error,
}

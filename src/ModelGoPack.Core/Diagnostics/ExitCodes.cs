namespace ModelGoPack.Diagnostics;

/// <summary>The exit-code contract shared by every host. Public API: never change a value.</summary>
public static class ExitCodes
{
    /// <summary>Compliant, or the command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>Compliance errors were found.</summary>
    public const int ComplianceErrors = 1;

    /// <summary>Bad usage, config or input.</summary>
    public const int InputErrors = 2;

    public static int For(IEnumerable<Diagnostic> diagnostics)
    {
        var code = Success;
        foreach (var d in diagnostics)
        {
            if (d.Severity != Severity.Error)
            {
                continue;
            }

            if (d.Descriptor.Kind == DiagnosticKind.Input)
            {
                return InputErrors;
            }

            code = ComplianceErrors;
        }

        return code;
    }
}

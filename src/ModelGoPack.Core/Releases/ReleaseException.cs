using ModelGoPack.Diagnostics;

namespace ModelGoPack.Releases;

/// <summary>A release that cannot be read as it is: the code to report, the file at fault (a full path or an entry), and what is wrong.</summary>
internal sealed class ReleaseException(DiagnosticDescriptor code, string file, string message) : Exception(message)
{
    public DiagnosticDescriptor Code { get; } = code;

    public string File { get; } = file;
}

using ModelGoPack.Diagnostics;

namespace ModelGoPack.Releases;

/// <summary>
/// A release that cannot be read as it is: the file at fault (a full path or an entry) and what is wrong with it, a
/// message of <see cref="Messages"/> (Messages/Releases.cs) said of that file ("is a folder; …"), under the code to report.
/// Who catches it names the release and the file, and adds the code's help.
/// </summary>
internal sealed class ReleaseException(MessageText problem, string file) : Exception(problem.Text)
{
    /// <summary>The code to report.</summary>
    public DiagnosticDescriptor Code { get; } = problem.Descriptor;

    /// <summary>The file at fault.</summary>
    public string File { get; } = file;
}

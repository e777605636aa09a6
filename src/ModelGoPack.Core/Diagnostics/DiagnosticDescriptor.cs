using System.Reflection;

namespace ModelGoPack.Diagnostics;

/// <summary>A rule's fixed facts: its stable code, severity, one-line title and fix-it help.</summary>
public sealed record DiagnosticDescriptor(string Code, Severity Severity, DiagnosticKind Kind, string Title, string Help)
{
    /// <summary>
    /// The address under which each code has its page, docs/diagnostics/MGPxxxx.md of the repository named by
    /// RepositoryUrl in Directory.Build.props. The page is on the main branch: a code's meaning never changes
    /// (codes are public API), so the newest page is right for every version.
    /// </summary>
    public static string HelpBase { get; } =
        (typeof(DiagnosticDescriptor).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryUrl")?.Value ?? "https://github.com/modelgopack/modelgopack").TrimEnd('/')
        + "/blob/main/docs/diagnostics/";

    /// <summary>
    /// Whether a waiver may cover this finding: a compliance finding the tool can only infer, which a reviewer may
    /// judge. False for an obligation of the license itself (the license copy and text, the modification and
    /// Extracted Model statements, a known notice retained, share-alike) and for every input error.
    /// </summary>
    public bool Waivable { get; init; }

    /// <summary>The code's page: what it means, the clause behind it, how to fix it (MSBuild helpLink, SARIF helpUri).</summary>
    public string HelpLink => HelpBase + this.Code + ".md";
}

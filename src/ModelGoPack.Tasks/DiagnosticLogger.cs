using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ModelGoPack.Diagnostics;
using ModelGoPack.Hosting;
using ModelGoPack.Reporting;

namespace ModelGoPack.Tasks;

/// <summary>
/// Logs findings the MSBuild way, so that `dotnet pack` prints <c>path(line,col): error MGP....: ...</c>. Errors and
/// warnings carry the code as help keyword and its page (docs/diagnostics/MGPxxxx.md) as help link, which an IDE opens.
/// Warnings honour NoWarn (they become low-importance messages), TreatWarningsAsErrors and
/// WarningsNotAsErrors; WarningsAsErrors is applied by MSBuild itself. Everything the task logs goes
/// through here, and no message or file carries a control character (<see cref="PrintableText"/>): a file
/// named <c>x\n::error ...</c> cannot forge a line of the build log.
/// </summary>
internal sealed class DiagnosticLogger(TaskLoggingHelper log, bool treatWarningsAsErrors, string? noWarn, string? warningsNotAsErrors, string? projectFile)
{
    private readonly HashSet<string> suppressed = Codes(noWarn);
    private readonly HashSet<string> notAsErrors = Codes(warningsNotAsErrors);

    /// <summary>The project file, named by diagnostics about MSBuild-supplied values.</summary>
    public string ProjectFile { get; } = string.IsNullOrEmpty(projectFile) ? "" : projectFile;

    public void Log(IEnumerable<Diagnostic> diagnostics, string projectDirectory)
    {
        foreach (var d in diagnostics)
        {
            var file = PrintableText.Escape(DisplayPath.InProject(d.Path, projectDirectory, full: true) ?? this.ProjectFile);
            // A waived finding is logged with the reviewer's justification, as the CLI's report shows it.
            var message = PrintableText.Escape(d.Waiver is null ? d.Message : $"waived ({d.Waiver}): {d.Message}");
            var severity = d.Severity;
            if (severity == Severity.Warning && this.suppressed.Contains(d.Code))
            {
                log.LogMessage(MessageImportance.Low, "{0}: warning {1}: {2} (suppressed by NoWarn)", file, d.Code, message);
                continue;
            }

            if (severity == Severity.Warning && treatWarningsAsErrors && !this.notAsErrors.Contains(d.Code))
            {
                severity = Severity.Error;
            }

            switch (severity)
            {
                case Severity.Error:
                    log.LogError(subcategory: null, d.Code, helpKeyword: d.Code, helpLink: d.Descriptor.HelpLink, file, d.Line, d.Column, 0, 0, "{0}", message);
                    break;
                case Severity.Warning:
                    log.LogWarning(subcategory: null, d.Code, helpKeyword: d.Code, helpLink: d.Descriptor.HelpLink, file, d.Line, d.Column, 0, 0, "{0}", message);
                    break;
                default:
                    log.LogMessage(subcategory: null, d.Code, helpKeyword: d.Code, file, d.Line, d.Column, 0, 0, MessageImportance.Normal, "{0}", message);
                    break;
            }
        }
    }

    /// <summary>Logs a message of the task's own (a path written, progress), each argument made printable.</summary>
    public void Message(MessageImportance importance, string format, params object[] args) =>
        log.LogMessage(importance, format, [.. args.Select(a => a is string text ? PrintableText.Escape(text) : a)]);

    /// <summary>Says, at normal verbosity, whether the task runs in MSBuild's process or in a task host.</summary>
    public void LogHost()
    {
        var host = Environment.GetCommandLineArgs().Any(a => a.Contains("nodemode:2", StringComparison.OrdinalIgnoreCase)) ? "a .NET task host" : "the MSBuild process";
        // The SDK loads its own NuGet; the task must get the NuGet.Packaging from its own folder.
        var nuget = typeof(NuGet.Packaging.PackageIdValidator).Assembly.GetName().Version;
        log.LogMessage(MessageImportance.Normal, "ModelGoPack {0} running in {1} (process {2}), with NuGet.Packaging {3}.", ToolInfo.Version, host, Environment.ProcessId, nuget);
    }

    private static HashSet<string> Codes(string? list) =>
        new((list ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);
}

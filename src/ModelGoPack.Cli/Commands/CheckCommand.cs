using System.CommandLine;
using ModelGoPack.Reporting;

namespace ModelGoPack.Cli.Commands;

/// <summary><c>modelgopack check</c>: evaluate the project and compute its digests, writing nothing but the digest cache.</summary>
internal static class CheckCommand
{
    public static Command Create(ProjectOptions options, Host host)
    {
        var format = Usage.Choice("--format", "-f", "The report's form: text, json, or sarif (SARIF 2.1.0, for GitHub code scanning).", "text", "json", "sarif");
        var check = options.Command("check", "Evaluate the project against MG-BY-SA-2.0 and compute the digests its manifest will list, writing nothing but the digest cache.", format);
        check.SetAction((parse, cancellationToken) => RunAsync(parse, options, format, host, cancellationToken));
        return check;
    }

    private static async Task<int> RunAsync(ParseResult parse, ProjectOptions options, Option<string> format, Host host, CancellationToken cancellationToken)
    {
        var stdout = host.Stdout;
        var project = options.Find(parse, host);
        var directory = project.Directory;
        var request = options.Request(parse, directory, host, out var environmentDiagnostics);
        var result = request is null
            ? new CheckResult(environmentDiagnostics)
            : await host.WithProgressAsync(request.Progress!, parse.GetValue(options.Quiet), () => ModelGoPackEngine.Check(request, cancellationToken)).ConfigureAwait(false);
        result = new CheckResult(project.Explain(result.Diagnostics)) { Artifacts = result.Artifacts, Digests = result.Digests };

        switch (parse.GetValue(format))
        {
            case "json":
                Report.WriteJson(stdout, result.Diagnostics, result.Artifacts, result.Digests);
                break;
            case "sarif":
                PrintableWriter.WriteLines(stdout, SarifReport.Write(result.Diagnostics, Report.FullPath(directory), Environment.CurrentDirectory));
                break;
            default:
                Report.WriteText(stdout, directory, result.Diagnostics);
                break;
        }

        return result.ExitCode;
    }
}

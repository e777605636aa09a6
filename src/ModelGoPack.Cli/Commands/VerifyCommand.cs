using System.CommandLine;
using System.Globalization;
using ModelGoPack.Diagnostics;
using ModelGoPack.Hashing;
using ModelGoPack.Reporting;

namespace ModelGoPack.Cli.Commands;

/// <summary><c>modelgopack verify</c>: check a received bundle against its manifest, then the license obligations on its files.</summary>
internal static class VerifyCommand
{
    public static Command Create(Option<bool> quiet, Host host)
    {
        var bundle = new Argument<string>("PATH") { Description = "The bundle: a folder, a .zip, a .tar.gz, or a .nupkg (with its bundle beside it)." };
        var format = Usage.Choice("--format", "-f", "The report's form: text, json or sarif (2.1.0).", "text", "json", "sarif");
        var packageBundle = new Option<string>("--bundle")
        {
            Description = "For a .nupkg: its bundle, when it is not beside the package under its default name.",
            HelpName = "PATH",
        };
        var extract = new Option<string>("--extract")
        {
            Description = "Write the verified bundle's files to this folder, new or empty (only when no file is altered, missing or unsafe).",
            HelpName = "DIR",
        };
        Usage.RefuseForeignPath(bundle);
        Usage.RefuseForeignPath(packageBundle);
        Usage.RefuseForeignPath(extract);
        var verify = new Command("verify", "Check a received bundle: every file against its modelgo-manifest.json (size and SHA-256, none missing or unlisted), then the license obligations on its files.")
        {
            bundle, format, packageBundle, extract, quiet,
        };
        verify.SetAction((parse, cancellationToken) => RunAsync(parse, new Options(bundle, format, packageBundle, extract, quiet), host, cancellationToken));
        return verify;
    }

    private static async Task<int> RunAsync(ParseResult parse, Options options, Host host, CancellationToken cancellationToken)
    {
        var path = parse.GetValue(options.Bundle)!;
        var progress = new ProgressCounter();
        var request = new VerifyRequest
        {
            BundlePath = path,
            PackageBundlePath = parse.GetValue(options.PackageBundle),
            ExtractTo = parse.GetValue(options.Extract),
            Progress = progress,
        };
        var result = await host.WithProgressAsync(progress, parse.GetValue(options.Quiet), () => ModelGoPackEngine.Verify(request, cancellationToken)).ConfigureAwait(false);

        var folder = Directory.Exists(path);
        switch (parse.GetValue(options.Format))
        {
            case "json":
                Report.WriteJson(host.Stdout, result.Diagnostics, [], result.Digests, listDigests: true);
                return result.ExitCode;
            case "sarif":
                PrintableWriter.WriteLines(host.Stdout, SarifReport.Write(result.Diagnostics, Report.FullPath(path), Environment.CurrentDirectory, folder ? null : Report.FullPath(path)));
                return result.ExitCode;
        }

        foreach (var d in result.Diagnostics)
        {
            // Inside a folder: its path; inside an archive: archive!entry. A full path (the bundle itself, an
            // extract target, a file of the bundle beside a package) stands as it is.
            host.Stdout.WriteLine((d.Path is null || d.Path == path || Path.IsPathRooted(d.Path) ? d : d with { Path = folder ? Path.Join(path, d.Path) : $"{path}!{d.Path}" }).ToString());
        }

        WriteSummary(host.Stdout, path, request, result);
        return result.ExitCode;
    }

    /// <summary>The verdict on the bundle, and what was extracted where.</summary>
    private static void WriteSummary(TextWriter stdout, string path, VerifyRequest request, CheckResult result)
    {
        var integrity = result.Diagnostics.Any(d => d.IsIntegrityError);
        var unlisted = result.Diagnostics.Any(d => d.Code == DiagnosticCatalog.BundleWithoutManifest.Code);
        var compliance = result.Diagnostics.Any(d => d.Severity == Severity.Error && !d.IsOutputError) ? "not compliant with MG-BY-SA-2.0"
            : $"compliant with MG-BY-SA-2.0 ({Report.Plural(result.Diagnostics.Count(d => d.Severity == Severity.Warning), "warning")})";
        stdout.WriteLine(
            result.Diagnostics.Any(d => d.Code == DiagnosticCatalog.ExtractTargetExists.Code) ? $"{path} was not verified: the path to extract to exists and is not an empty folder."
            : integrity ? $"{path} does not match its manifest, or cannot be verified."
            : string.Create(CultureInfo.InvariantCulture, $"{(unlisted ? $"Read {path}: {result.Digests.Count} files, no manifest to check them against" : $"Verified {path}: {result.Digests.Count} files match modelgo-manifest.json")}; {compliance}."));
        if (request.ExtractTo is { } target)
        {
            // Why not, when it was not: the bundle, or the place it was to be written (which says nothing of the bundle).
            var why = integrity ? ": the bundle did not verify" : result.Diagnostics.Any(d => d.IsOutputError) ? ": it could not be written there (above)" : "";
            stdout.WriteLine(result.ExtractedTo is { } extracted ? $"Extracted to {extracted}." : $"Nothing was extracted to {target}{why}.");
        }
    }

    private sealed record Options(Argument<string> Bundle, Option<string> Format, Option<string> PackageBundle, Option<string> Extract, Option<bool> Quiet);
}

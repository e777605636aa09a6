using System.CommandLine;
using System.Globalization;
using System.Text;
using ModelGoPack.Diagnostics;

namespace ModelGoPack.Cli.Commands;

/// <summary>
/// <c>modelgopack bom</c>: the CycloneDX 1.6 bill of materials of a project (the bundle pack would write) or of a received
/// bundle. The BOM goes to standard output, as syft and cyclonedx-cli write theirs, and findings to standard error, so that
/// <c>modelgopack bom &gt; bom.json</c> is the BOM alone; with <c>--output</c>, to that file, and findings to standard output
/// as pack prints them.
/// </summary>
internal static class BomCommand
{
    public static Command Create(ProjectOptions options, Host host)
    {
        var path = new Argument<string>("PATH")
        {
            Description = "The model project's folder (default: found as check finds it), or a received bundle: a folder holding modelgo-manifest.json, an OCI image layout (LAYOUT:REF too), a .zip, a .tar.gz, or a .nupkg with its bundle beside it.",
            DefaultValueFactory = _ => ".",
        };
        Usage.RefuseForeignPath(path);
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Write the BOM to this file, atomically (default: standard output). Replaces only an earlier CycloneDX BOM.",
            HelpName = "FILE",
        };
        Usage.RefuseForeignPath(output);
        var own = options with { Project = path };
        var bom = own.Command("bom", "Write the CycloneDX 1.6 bill of materials (the model, its license, upstreams, datasets and every file's SHA-256) of a project or a received bundle. Writes nothing when there is an error.", output);
        bom.SetAction((parse, cancellationToken) => RunAsync(parse, own, output, host, cancellationToken));
        return bom;
    }

    private static async Task<int> RunAsync(ParseResult parse, ProjectOptions options, Option<string?> output, Host host, CancellationToken cancellationToken)
    {
        var project = options.Find(parse, host);
        var directory = project.Directory;
        var outputPath = parse.GetValue(output);

        // Standard output is the BOM's when no file is named: then every other word goes to standard error.
        var report = outputPath is null ? host.Stderr : host.Stdout;
        var request = options.Request(parse, directory, host, out var environmentDiagnostics);
        if (request is null)
        {
            Report.WriteText(report, directory, environmentDiagnostics, verdict: false);
            return ExitCodes.For(environmentDiagnostics);
        }

        var result = await host.WithProgressAsync(request.Progress!, parse.GetValue(options.Quiet),
            () => ModelGoPackEngine.Bom(request, outputPath, cancellationToken)).ConfigureAwait(false);

        // In a bundle archive, a finding names archive!entry, as verify names it; elsewhere the file in its folder.
        var diagnostics = project.Explain(result.Diagnostics);
        if (result.FromBundle && File.Exists(directory))
        {
            foreach (var d in diagnostics)
            {
                await report.WriteLineAsync((d.Path is { } inside && inside != directory && !Path.IsPathRooted(inside) ? d with { Path = $"{directory}!{inside}" } : d).ToString()).ConfigureAwait(false);
            }
        }
        else
        {
            Report.WriteText(report, directory, diagnostics, verdict: false);
        }

        if (result.Bom is not { } bom)
        {
            await report.WriteLineAsync("No BOM was written.").ConfigureAwait(false);
            return result.ExitCode == ExitCodes.Success ? ExitCodes.InputErrors : result.ExitCode;
        }

        if (result.OutputPath is { } written)
        {
            await report.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Wrote {written} (CycloneDX 1.6, {bom.Length:N0} bytes).")).ConfigureAwait(false);
        }
        else if (await WriteStdoutAsync(host, bom, cancellationToken).ConfigureAwait(false) is { } failure)
        {
            Report.WriteText(report, directory, [Messages.BomNotWritten.With("standard output", failure).At()], verdict: false);
            await report.WriteLineAsync("No BOM was written.").ConfigureAwait(false);
            return ExitCodes.InputErrors;
        }

        return result.ExitCode;
    }

    /// <summary>
    /// Writes the BOM to standard output: its bytes, unchanged, to the raw stream (so that they are those --output writes,
    /// whatever the locale's encoding), else line by line to the text writer. The JSON escapes every control character and
    /// bidirectional control itself. Null when written; else why not (a full disk, a closed pipe), to report as MGP9001.
    /// </summary>
    private static async Task<string?> WriteStdoutAsync(Host host, ReadOnlyMemory<byte> bom, CancellationToken cancellationToken)
    {
        try
        {
            if (host.StdoutBytes is { } stream)
            {
                await host.Stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
                await stream.WriteAsync(bom, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                return null;
            }

            // Line by line (a BOM of a million files is hundreds of MB, never decoded whole).
            for (var rest = bom; rest.Length > 0;)
            {
                var end = rest.Span.IndexOf((byte)'\n');
                var line = end < 0 ? rest : rest[..end];
                await host.Stdout.WriteLineAsync(Encoding.UTF8.GetString(line.Span)).ConfigureAwait(false);
                rest = end < 0 ? ReadOnlyMemory<byte>.Empty : rest[(end + 1)..];
            }

            await host.Stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (IOException e)
        {
            return e.Message;
        }
    }
}

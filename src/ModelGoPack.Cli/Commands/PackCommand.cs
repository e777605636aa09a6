using System.CommandLine;
using System.Globalization;
using ModelGoPack.Diagnostics;
using ModelGoPack.Hosting;

namespace ModelGoPack.Cli.Commands;

/// <summary><c>modelgopack pack</c>: check the project, render its notices and write the bundle.</summary>
internal static class PackCommand
{
    public static Command Create(ProjectOptions options, Host host)
    {
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Where to write the bundle (default: DIR/bin/modelgo/{name}.{version}[.zip]).",
            HelpName = "PATH",
        };
        Usage.RefuseForeignPath(output);
        var format = Usage.Choice("--format", "-f", "The bundle's form: dir (a folder), zip, tar.gz or oci (an OCI image layout holding a CNCF ModelPack artifact).", [.. BundleFormats.Names]);
        var bom = new Option<bool>("--bom") { Description = "Also put the bundle's CycloneDX 1.6 bill of materials into it, as modelgo-bom.cdx.json, listed in its manifest." };
        var pack = options.Command("pack", "Check the project, render its notices and write the bundle. Writes nothing when there is an error.", output, format, bom);
        pack.SetAction((parse, cancellationToken) => RunAsync(parse, options, output, format, bom, host, cancellationToken));
        return pack;
    }

    private static async Task<int> RunAsync(ParseResult parse, ProjectOptions options, Option<string?> output, Option<string> format, Option<bool> bom, Host host, CancellationToken cancellationToken)
    {
        var stdout = host.Stdout;
        var project = options.Find(parse, host);
        var directory = project.Directory;
        var request = options.Request(parse, directory, host, out var environmentDiagnostics);
        if (request is null)
        {
            Report.WriteText(stdout, directory, environmentDiagnostics);
            return ExitCodes.For(environmentDiagnostics);
        }

        request = request with { Bom = parse.GetValue(bom) };

        var bundleFormat = BundleFormats.Parse(parse.GetValue(format), BundleFormats.CommandLineDefault)!.Value;
        var result = await host.WithProgressAsync(request.Progress!, parse.GetValue(options.Quiet),
            () => ModelGoPackEngine.Pack(request, parse.GetValue(output), bundleFormat, cancellationToken)).ConfigureAwait(false);

        Report.WriteText(stdout, directory, project.Explain(result.Diagnostics));
        if (result.OutputPath is not null)
        {
            var bytes = result.Files.Sum(f => f.Size);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {result.OutputPath} ({result.Files.Count} files, {bytes:N0} bytes, plus modelgo-manifest.json)."));
        }
        else
        {
            stdout.WriteLine("No bundle was written.");
        }

        return result.ExitCode;
    }
}

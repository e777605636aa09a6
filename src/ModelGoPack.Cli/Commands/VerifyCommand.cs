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
        var bundle = new Argument<string>("PATH") { Description = "The bundle: a folder, an OCI image layout (LAYOUT, or LAYOUT:REF for one of several models), a .zip, a .tar.gz, or a .nupkg (with its bundle beside it)." };
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
        var signature = new Option<string?>("--signature")
        {
            Description = "Check this OMS signature of the bundle first (made by sign), with --public-key or --certificate-chain, then every file against the digest it signs.",
            HelpName = "SIG",
        };
        var publicKey = new Option<string?>("--public-key")
        {
            Description = "With --signature: the PEM public key the bundle must be signed with (the key method).",
            HelpName = "PUB.pem",
        };
        var certificateChain = new Option<string?>("--certificate-chain")
        {
            Description = "With --signature: the PEM CA certificates the signing certificate must chain to (the certificate method).",
            HelpName = "CA.pem",
        };
        Usage.RefuseForeignPath(bundle);
        Usage.RefuseForeignPath(packageBundle);
        Usage.RefuseForeignPath(extract);
        Usage.RefuseForeignPath(signature);
        Usage.RefuseForeignPath(publicKey);
        Usage.RefuseForeignPath(certificateChain);
        Usage.RefuseEmptyPath(signature);
        Usage.RefuseEmptyPath(publicKey);
        Usage.RefuseEmptyPath(certificateChain);
        var verify = new Command("verify", "Check a received bundle: its signature when given, every file against its modelgo-manifest.json (size and SHA-256, none missing or unlisted), then the license obligations on its files.")
        {
            bundle, format, packageBundle, extract, signature, publicKey, certificateChain, quiet,
        };
        verify.Validators.Add(result =>
        {
            var given = result.GetResult(signature) is { Implicit: false };
            var key = result.GetResult(publicKey) is { Implicit: false };
            var chain = result.GetResult(certificateChain) is { Implicit: false };
            if (key && chain)
            {
                result.AddError("--public-key and --certificate-chain contradict each other: a signature is made with a key or with a certificate. Give one of them.");
            }
            else if (given && !key && !chain)
            {
                result.AddError("--signature needs what to trust: --public-key PUB.pem (the key method) or --certificate-chain CA.pem (the certificate method).");
            }
            else if (!given && (key || chain))
            {
                result.AddError($"{(key ? "--public-key" : "--certificate-chain")} checks a signature: give it with --signature SIG.");
            }
        });
        verify.SetAction((parse, cancellationToken) => RunAsync(parse, new Options(bundle, format, packageBundle, extract, signature, publicKey, certificateChain, quiet), host, cancellationToken));
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
            SignaturePath = parse.GetValue(options.Signature),
            PublicKeyPath = parse.GetValue(options.PublicKey),
            CertificateChainPath = parse.GetValue(options.CertificateChain),
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
            host.Stdout.WriteLine(Report.InBundle(d, path, folder).ToString());
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
            : SignatureFailed(request, result) ? $"{path} was not verified: its signature {request.SignaturePath} failed (above), so the bundle was not read."
            : integrity ? $"{path} does not match its manifest, or cannot be verified."
            : string.Create(CultureInfo.InvariantCulture, $"{(unlisted ? $"Read {path}: {result.Digests.Count} files, no manifest to check them against" : $"Verified {path}: {result.Digests.Count} files match modelgo-manifest.json")}{(result.SignedBy is { } signer ? $" and the signature {request.SignaturePath} by {signer}" : "")}; {compliance}."));
        if (!integrity && request.SignaturePath is null && !result.Diagnostics.Any(d => d.Code == DiagnosticCatalog.ExtractTargetExists.Code))
        {
            // Said plainly: a manifest checks itself; only a signature says who made the bundle.
            stdout.WriteLine("Integrity is self-consistency only: the files match the manifest they came with, which whoever changed a file could have rewritten too. Pass --signature SIG with --public-key or --certificate-chain to check who signed the bundle.");
        }

        if (request.ExtractTo is { } target)
        {
            // Why not, when it was not: the bundle, or the place it was to be written (which says nothing of the bundle).
            var why = SignatureFailed(request, result) ? ": its signature failed" : integrity ? ": the bundle did not verify" : result.Diagnostics.Any(d => d.IsOutputError) ? ": it could not be written there (above)" : "";
            stdout.WriteLine(result.ExtractedTo is { } extracted ? $"Extracted to {extracted}." : $"Nothing was extracted to {target}{why}.");
        }
    }

    // Whether the signature was refused (MGP9030 to MGP9033), so that the bundle itself was never read.
    private static bool SignatureFailed(VerifyRequest request, CheckResult result) =>
        request.SignaturePath is not null && result.SignedBy is null && result.Diagnostics.Any(d => d.Severity == Severity.Error
            && (d.Descriptor == DiagnosticCatalog.SignatureUnreadable || d.Descriptor == DiagnosticCatalog.SignatureInvalid
                || d.Descriptor == DiagnosticCatalog.SignerNotTrusted || d.Descriptor == DiagnosticCatalog.SigningKeyUnusable));

    private sealed record Options(
        Argument<string> Bundle, Option<string> Format, Option<string> PackageBundle, Option<string> Extract, Option<string?> Signature, Option<string?> PublicKey, Option<string?> CertificateChain, Option<bool> Quiet);
}

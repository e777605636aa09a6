using System.CommandLine;
using ModelGoPack.Hashing;

namespace ModelGoPack.Cli.Commands;

/// <summary><c>modelgopack sign</c>: an OpenSSF Model Signing v1.0 signature of a bundle, beside it.</summary>
internal static class SignCommand
{
    public static Command Create(Option<bool> quiet, Host host)
    {
        var bundle = new Argument<string>("BUNDLE") { Description = "The bundle to sign: a folder, a .zip, a .tar.gz or an OCI layout (LAYOUT or LAYOUT:REF); an archive's entries are signed as if extracted." };
        var key = new Option<string?>("--key")
        {
            Description = "The PEM ECDSA private key to sign with (P-256 or P-384; PKCS#8 or SEC1, unencrypted).",
            HelpName = "KEY.pem",
            Required = true,
        };
        var certificate = new Option<string?>("--certificate")
        {
            Description = "Sign with the certificate method: a PEM file with the key's X.509 certificate first, then its intermediates.",
            HelpName = "CERT.pem",
        };
        var signature = new Option<string?>("--signature")
        {
            Description = "Where to write the signature (default: BUNDLE.sig beside the bundle; never inside it).",
            HelpName = "PATH",
        };
        var cache = new Option<string?>("--cache")
        {
            Description = "The digest cache folder where pack left the bundle's seal (default: as pack's).",
            HelpName = "DIR",
        };
        var noCache = new Option<bool>("--no-cache") { Description = "Ignore pack's seal: read and check every file of the bundle." };
        Usage.RefuseForeignPath(key);
        Usage.RefuseForeignPath(certificate);
        Usage.RefuseForeignPath(signature);
        Usage.RefuseForeignPath(cache);
        Usage.RefuseForeignPath(bundle);
        Usage.RefuseEmptyPath(key);
        Usage.RefuseEmptyPath(certificate);
        Usage.RefuseEmptyPath(signature);
        Usage.RefuseEmptyPath(cache);
        var sign = new Command("sign", "Sign a bundle with OpenSSF Model Signing v1.0 (a sigstore bundle of every file's SHA-256), after checking it against its manifest. Writes nothing when it does not verify.")
        {
            bundle, key, certificate, signature, cache, noCache, quiet,
        };
        Usage.Contradiction(sign, cache, noCache, "--no-cache ignores pack's seal, and --cache names the folder to find it in.");
        sign.SetAction((parse, cancellationToken) => RunAsync(parse, new Options(bundle, key, certificate, signature, cache, noCache, quiet), host, cancellationToken));
        return sign;
    }

    private static async Task<int> RunAsync(ParseResult parse, Options options, Host host, CancellationToken cancellationToken)
    {
        var path = parse.GetValue(options.Bundle)!;
        var progress = new ProgressCounter();
        var request = new SignRequest
        {
            BundlePath = path,
            KeyPath = parse.GetValue(options.Key)!,
            CertificatePath = parse.GetValue(options.Certificate),
            SignaturePath = parse.GetValue(options.Signature),
            DigestCacheDirectory = parse.GetValue(options.NoCache) ? null : parse.GetValue(options.Cache) ?? ProjectOptions.DefaultCacheDirectory(host.Environment),
            Progress = progress,
        };
        var result = await host.WithProgressAsync(progress, parse.GetValue(options.Quiet), () => ModelGoPackEngine.Sign(request, cancellationToken)).ConfigureAwait(false);
        var folder = Directory.Exists(path);
        foreach (var d in result.Diagnostics)
        {
            host.Stdout.WriteLine(Report.InBundle(d, path, folder).ToString());
        }

        if (result.How is { } how)
        {
            host.Stdout.WriteLine(how);
        }

        host.Stdout.WriteLine(result.SignaturePath is { } written
            ? $"Signed {path} ({result.FileCount} files, root digest sha256:{result.RootDigest}) with {result.SignedBy}: wrote {written}."
            : "No signature was written.");
        return result.ExitCode;
    }

    private sealed record Options(Argument<string> Bundle, Option<string?> Key, Option<string?> Certificate, Option<string?> Signature, Option<string?> Cache, Option<bool> NoCache, Option<bool> Quiet);
}

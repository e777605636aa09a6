using System.CommandLine;
using System.Globalization;
using ModelGoPack.Distribution;
using ModelGoPack.Hashing;

namespace ModelGoPack.Cli.Commands;

/// <summary><c>modelgopack push</c>: an OCI image layout's model to a registry, uploading only the blobs it does not hold.</summary>
internal static class PushCommand
{
    /// <summary>The push command, with its arguments and flags.</summary>
    public static Command Create(Option<bool> quiet, Host host)
    {
        var layout = new Argument<string>("LAYOUT")
        {
            Description = "The OCI image layout folder (pack --format oci writes one), or LAYOUT:REF to push the manifest whose ref name is REF.",
        };
        var target = new Argument<string>("TARGET")
        {
            Description = "Where to: REGISTRY/REPOSITORY[:TAG][@sha256:DIGEST], e.g. 127.0.0.1:5000/models/tiny-llm:1.0. Without a tag, the manifest's ref name is the tag.",
        };
        var plainHttp = new Option<bool>("--plain-http") { Description = "Speak plain HTTP to the registry, not HTTPS (a test registry on loopback)." };
        Usage.RefuseForeignPath(layout);
        var push = new Command("push", "Push an OCI image layout's model (its manifest, config and layers) to a registry over the OCI distribution API; uploads only the blobs the registry does not hold, then tags the manifest.")
        {
            layout, target, plainHttp, quiet,
        };
        push.SetAction((parse, cancellationToken) => RunAsync(parse, new Options(layout, target, plainHttp, quiet), host, cancellationToken));
        return push;
    }

    private static async Task<int> RunAsync(ParseResult parse, Options options, Host host, CancellationToken cancellationToken)
    {
        var layout = parse.GetValue(options.Layout)!;
        var target = parse.GetValue(options.Target)!;
        var progress = new ProgressCounter();
        var request = new PushRequest
        {
            Layout = layout,
            Target = target,
            PlainHttp = parse.GetValue(options.PlainHttp),
            Environment = host.Environment,
            Progress = progress,
        };
        PushResult result;
        try
        {
            result = await host.WithProgressAsync(progress, parse.GetValue(options.Quiet), () => ModelGoPackEngine.PushAsync(request, cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Blobs may be in the registry by now: "nothing was written" would not be true of it.
            await host.Stderr.WriteLineAsync($"modelgopack: interrupted; {target} was not tagged. The blobs uploaded so far stay in the registry: push again to upload the rest.").ConfigureAwait(false);
            return CommandLineApp.Interrupted;
        }

        foreach (var d in result.Diagnostics)
        {
            await host.Stdout.WriteLineAsync(d.ToString()).ConfigureAwait(false);
        }

        await host.Stdout.WriteLineAsync(result.PushedTo is { } pushed
            ? string.Create(CultureInfo.InvariantCulture, $"Pushed {layout} to {pushed} ({result.ManifestDigest}): uploaded {result.Uploaded} of {result.Blobs} blobs ({result.UploadedBytes:N0} bytes), {result.AlreadyThere} already there.")
            : $"{layout} was not pushed: {target} was not tagged.").ConfigureAwait(false);
        return result.ExitCode;
    }

    private sealed record Options(Argument<string> Layout, Argument<string> Target, Option<bool> PlainHttp, Option<bool> Quiet);
}

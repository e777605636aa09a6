using System.CommandLine;
using ModelGoPack.Cli.Commands;
using ModelGoPack.Diagnostics;

namespace ModelGoPack.Cli;

/// <summary>
/// The <c>modelgopack</c> command line: a thin layer over <see cref="ModelGoPackEngine"/>. Flags and exit
/// codes are public API (README.md and docs/cli.md, "Command line"). Here: the root command, the options
/// several commands share, and the dispatch; each command is in Commands/, one file each.
/// </summary>
internal static class CommandLineApp
{
    /// <summary>Exit code when the run was interrupted (SIGINT/SIGTERM); nothing is left behind.</summary>
    public const int Interrupted = 130;

    /// <summary>How often a plain progress line is printed when standard error is not a terminal.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs the command line. <paramref name="terminal"/>: standard error is a terminal, so progress is a
    /// bar rather than plain lines. <paramref name="stdoutBytes"/>: standard output as a stream of bytes (the BOM goes
    /// there unchanged), when the host has one.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?> environment, bool terminal = false, Stream? stdoutBytes = null, CancellationToken cancellationToken = default)
    {
        // Whatever a command prints, from any file name, message or argument, reaches the streams escaped.
        stdout = new PrintableWriter(stdout);
        stderr = new PrintableWriter(stderr);
        var host = new Host(stdout, stderr, environment, terminal) { StdoutBytes = stdoutBytes };
        var root = Build(host);
        var parse = root.Parse(args);

        // A token that looks like an option and is none is an unknown option, never the DIR argument: that one
        // error says it all (what follows it may have been meant as its value).
        var unknown = Usage.UnknownOptions(parse);
        var errors = unknown.Count > 0
            ? unknown.Select(token => Usage.UnknownOptionMessage(token, parse.CommandResult.Command)).ToList()
            : parse.Errors.Select(e => e.Message).ToList();
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                await stderr.WriteLineAsync($"modelgopack: {error}").ConfigureAwait(false);
            }

            var command = parse.CommandResult.Command is RootCommand ? "" : parse.CommandResult.Command.Name + " ";
            await stderr.WriteLineAsync($"Run 'modelgopack {command}--help' for usage.").ConfigureAwait(false);
            return ExitCodes.InputErrors;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("modelgopack: interrupted; nothing was written.").ConfigureAwait(false);
            return Interrupted;
        }
#pragma warning disable CA1031 // The last resort: a user sees a coded diagnostic, never a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var diagnostic = Messages.UncaughtException.With(e.GetType().Name, e.Message).At();
            await stderr.WriteLineAsync($"modelgopack: {diagnostic}").ConfigureAwait(false);
            if (environment("MODELGOPACK_DEBUG") == "1")
            {
                await stderr.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            }

            return ExitCodes.InputErrors;
        }
    }

    private static RootCommand Build(Host host)
    {
        var root = new RootCommand("Packs a model project into a bundle that complies with the ModelGo Attribution-ShareAlike License 2.0 (MG-BY-SA-2.0).");
        var options = SharedOptions();
        root.Add(PackCommand.Create(options, host));
        root.Add(CheckCommand.Create(options, host));
        root.Add(VerifyCommand.Create(options.Quiet, host));
        root.Add(SignCommand.Create(options.Quiet, host));
        root.Add(PushCommand.Create(options.Quiet, host));
        root.Add(BomCommand.Create(options, host));
        root.Add(InspectCommand.Create(options, host));
        root.Add(StampDatasetCommand.Create(host));
        root.Add(InitCommand.Create(host));
        return root;
    }

    /// <summary>The argument and options of pack and check (DIR also inspect's, --quiet also verify's).</summary>
    private static ProjectOptions SharedOptions()
    {
        var project = new Argument<string>("DIR")
        {
            Description = "The model project's folder, holding modelgo.json (default: the current folder, or the nearest folder above it holding modelgo.json, up to the repository's root).",
            DefaultValueFactory = _ => ".",
        };
        var templates = new Option<string?>("--templates")
        {
            Description = "A folder of Scriban templates that override the built-in ones by file name (NOTICE.scriban).",
            HelpName = "DIR",
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Show no progress on standard error." };
        var cache = new Option<string?>("--cache")
        {
            Description = "The digest cache folder (default: $XDG_CACHE_HOME/modelgopack, else ~/.cache/modelgopack).",
            HelpName = "DIR",
        };
        cache.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && (string.IsNullOrWhiteSpace(value) || value.Any(char.IsControl)))
            {
                result.AddError("--cache needs a folder's path.");
            }
        });
        var noCache = new Option<bool>("--no-cache") { Description = "Hash every file; neither read nor write the digest cache." };
        var verifyUpstream = new Option<bool>("--verify-upstream")
        {
            Description = "Hash the upstream files whose SHA-256 a release records (Hub blob names, download metadata, a release manifest) and refuse one that does not match (MGP8039).",
        };

        // Every path, given or to be written, is one of this system (MGP8042).
        Usage.RefuseForeignPath(project);
        Usage.RefuseForeignPath(templates);
        Usage.RefuseForeignPath(cache);
        return new ProjectOptions(project, templates, quiet, cache, noCache, verifyUpstream);
    }
}

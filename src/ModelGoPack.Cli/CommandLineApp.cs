using System.CommandLine;
using System.Globalization;
using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Emit;

namespace ModelGoPack.Cli;

/// <summary>
/// The <c>modelgopack</c> command line: a thin layer over <see cref="ModelGoPackEngine"/>. Flags and exit
/// codes are public API (README.md and docs/cli.md, "Command line").
/// </summary>
internal static class CommandLineApp
{
    /// <summary>Exit code when the run was interrupted (SIGINT/SIGTERM); nothing is left behind.</summary>
    public const int Interrupted = 130;

    /// <summary>How often a plain progress line is printed when standard error is not a terminal.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs the command line. <paramref name="terminal"/>: standard error is a terminal, so progress is a
    /// bar rather than plain lines.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?> environment, bool terminal = false, CancellationToken cancellationToken = default)
    {
        // Whatever a command prints, from any file name, message or argument, reaches the streams escaped.
        stdout = new PrintableWriter(stdout);
        stderr = new PrintableWriter(stderr);
        var host = new Host(stdout, stderr, environment, terminal);
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
            var diagnostic = new Diagnostic(DiagnosticCatalog.InternalError, $"{e.GetType().Name}: {e.Message} {DiagnosticCatalog.InternalError.Help}");
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
        var stdout = host.Stdout;
        var root = new RootCommand("Packs a model project into a bundle that complies with the ModelGo Attribution-ShareAlike License 2.0 (MG-BY-SA-2.0).");

        var projectArgument = new Argument<string>("DIR")
        {
            Description = "The model project's folder, holding modelgo.json (default: the current folder, or the nearest folder above it holding modelgo.json, up to the repository's root).",
            DefaultValueFactory = _ => ".",
        };
        var templatesOption = new Option<string?>("--templates")
        {
            Description = "A folder of Scriban templates that override the built-in ones by file name (NOTICE.scriban).",
            HelpName = "DIR",
        };

        // pack
        var outputOption = new Option<string?>("--output", "-o")
        {
            Description = "Where to write the bundle (default: DIR/bin/modelgo/{name}.{version}[.zip]).",
            HelpName = "PATH",
        };
        var bundleFormatOption = Usage.Choice("--format", "-f", "The bundle's form: dir (a folder), zip or tar.gz.", "dir", "zip", "tar.gz");
        var quietOption = new Option<bool>("--quiet", "-q") { Description = "Show no progress on standard error." };
        var cacheOption = new Option<string?>("--cache")
        {
            Description = "The digest cache folder (default: $XDG_CACHE_HOME/modelgopack, else ~/.cache/modelgopack).",
            HelpName = "DIR",
        };
        cacheOption.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && (string.IsNullOrWhiteSpace(value) || value.Any(char.IsControl)))
            {
                result.AddError("--cache needs a folder's path.");
            }
        });
        var noCacheOption = new Option<bool>("--no-cache") { Description = "Hash every file; neither read nor write the digest cache." };
        var verifyUpstreamOption = new Option<bool>("--verify-upstream")
        {
            Description = "Hash the upstream files whose SHA-256 a release records (Hub blob names, download metadata, a release manifest) and refuse one that does not match (MGP8039).",
        };
        var options = new RunOptions(projectArgument, templatesOption, quietOption, cacheOption, noCacheOption, verifyUpstreamOption);
        var pack = new Command("pack", "Check the project, render its notices and write the bundle. Writes nothing when there is an error.")
        {
            projectArgument, outputOption, bundleFormatOption, templatesOption, quietOption, cacheOption, noCacheOption, verifyUpstreamOption,
        };
        Usage.Contradiction(pack, cacheOption, noCacheOption, NoCacheWithCache);
        pack.SetAction((parse, cancellationToken) => Pack(parse, options, outputOption, bundleFormatOption, host, cancellationToken));
        root.Add(pack);

        // check
        var reportFormatOption = Usage.Choice("--format", "-f", "The report's form: text, json, or sarif (SARIF 2.1.0, for GitHub code scanning).", "text", "json", "sarif");
        var check = new Command("check", "Evaluate the project against MG-BY-SA-2.0 and compute the digests its manifest will list, writing nothing but the digest cache.")
        {
            projectArgument, reportFormatOption, templatesOption, quietOption, cacheOption, noCacheOption, verifyUpstreamOption,
        };
        Usage.Contradiction(check, cacheOption, noCacheOption, NoCacheWithCache);
        check.SetAction((parse, cancellationToken) => Check(parse, options, reportFormatOption, host, cancellationToken));
        root.Add(check);

        // verify
        var bundleArgument = new Argument<string>("PATH") { Description = "The bundle: a folder, a .zip, a .tar.gz, or a .nupkg (with its bundle beside it)." };
        var verifyFormatOption = Usage.Choice("--format", "-f", "The report's form: text, json or sarif (2.1.0).", "text", "json", "sarif");
        var packageBundleOption = new Option<string>("--bundle")
        {
            Description = "For a .nupkg: its bundle, when it is not beside the package under its default name.",
            HelpName = "PATH",
        };
        var extractOption = new Option<string>("--extract")
        {
            Description = "Write the verified bundle's files to this folder, new or empty (only when no file is altered, missing or unsafe).",
            HelpName = "DIR",
        };
        var verify = new Command("verify", "Check a received bundle: every file against its modelgo-manifest.json (size and SHA-256, none missing or unlisted), then the license obligations on its files.")
        {
            bundleArgument, verifyFormatOption, packageBundleOption, extractOption, quietOption,
        };
        verify.SetAction((parse, cancellationToken) => Verify(parse, new VerifyOptions(bundleArgument, verifyFormatOption, packageBundleOption, extractOption, quietOption), host, cancellationToken));
        root.Add(verify);

        // inspect
        var inspectFormatOption = Usage.Choice("--format", "-f", "The listing's form: text or json.", "text", "json");
        var inspect = new Command("inspect", "List every file of the project with its role (weights, architecture, tokenizer, code, docs, notice, data, other) and what its header says.")
        {
            projectArgument, inspectFormatOption,
        };
        inspect.SetAction((parse, cancellationToken) => Task.FromResult(Inspect(parse, projectArgument, inspectFormatOption, host, cancellationToken)));
        root.Add(inspect);

        // stamp-dataset
        var datasetArgument = new Argument<string>("DIR") { Description = "The dataset's folder." };
        Usage.RefuseForeignPath(datasetArgument);
        var generator = new Option<string>("--generator") { Description = "The name of the model whose Output the dataset holds.", Required = true };
        var generatorVersion = new Option<string?>("--generator-version") { Description = "Its version." };
        var generatorUrl = new Option<string?>("--generator-url") { Description = "Where it is published." };
        var generatorLicense = new Option<string>("--generator-license") { Description = "Its license.", DefaultValueFactory = _ => "MG-BY-SA-2.0" };
        var generatorLicensor = new Option<string?>("--generator-licensor") { Description = "Who licenses it." };
        var created = new Option<string?>("--created") { Description = "When the dataset was generated (yyyy-MM-dd)." };
        var description = new Option<string?>("--description") { Description = "What the dataset is." };
        var force = new Option<bool>("--force") { Description = "Replace an existing stamp." };
        var stamp = new Command("stamp-dataset", "Write modelgo-dataset.json into a dataset's folder, naming the model whose Output it holds.")
        {
            datasetArgument, generator, generatorVersion, generatorUrl, generatorLicense, generatorLicensor, created, description, force,
        };
        stamp.SetAction(parse =>
        {
            var diagnostics = new DiagnosticBag();
            DateOnly? date = null;
            if (parse.GetValue(created) is { } text)
            {
                if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                {
                    date = parsed;
                }
                else
                {
                    diagnostics.Add(DiagnosticCatalog.ConfigInvalidValue, $"--created '{text}' is not an ISO 8601 date (yyyy-MM-dd).");
                }
            }

            var path = diagnostics.HasErrors ? null : new Inspection.DatasetStamp
            {
                GeneratorName = parse.GetValue(generator)!.Trim(),
                GeneratorVersion = parse.GetValue(generatorVersion),
                GeneratorUrl = parse.GetValue(generatorUrl),
                GeneratorLicense = parse.GetValue(generatorLicense)!.Trim(),
                GeneratorLicensor = parse.GetValue(generatorLicensor),
                Created = date,
                Description = parse.GetValue(description),
            }.Write(parse.GetValue(datasetArgument)!, parse.GetValue(force), diagnostics);
            foreach (var d in diagnostics.Items)
            {
                stdout.WriteLine(d.ToString());
            }

            if (path is not null)
            {
                stdout.WriteLine($"Wrote {path}.");
            }

            return diagnostics.ExitCode;
        });
        root.Add(stamp);

        // init: writes into the folder it is given, or the current one; never searches above.
        var initArgument = new Argument<string>("DIR")
        {
            Description = "The folder to write modelgo.json into (default: the current folder).",
            DefaultValueFactory = _ => ".",
        };
        Usage.RefuseForeignPath(initArgument);
        var upstreamOption = new Option<string[]>("--upstream")
        {
            Description = "A downloaded release of an upstream model (a folder, Hub cache snapshot, .zip or .tar.gz) to fill an upstream entry from; repeatable.",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var init = new Command("init", "Write modelgo.json, filled with what the project says of itself (model card, copyright lines, base models, upstream notices), with a TODO at each key still to fill in. Judges nothing; never overwrites a config.")
        {
            initArgument,
            upstreamOption,
        };
        init.SetAction(parse => Init(parse, initArgument, upstreamOption, stdout));
        root.Add(init);

        // Every path, given or to be written, is one of this system (MGP8042).
        Usage.RefuseForeignPath(projectArgument);
        Usage.RefuseForeignPath(bundleArgument);
        foreach (var path in new Option<string?>[] { outputOption, templatesOption, cacheOption })
        {
            Usage.RefuseForeignPath(path);
        }

        Usage.RefuseForeignPath(packageBundleOption);
        Usage.RefuseForeignPath(upstreamOption);
        Usage.RefuseForeignPath(extractOption);
        return root;
    }

    private const string NoCacheWithCache = "--no-cache reads and writes no digest cache, and --cache names the cache to read and write.";

    private static async Task<int> Pack(ParseResult parse, RunOptions options, Option<string?> output, Option<string> format, Host host, CancellationToken cancellationToken)
    {
        var stdout = host.Stdout;
        var project = ProjectDirectory(parse, options.Project, host);
        var directory = project.Directory;
        var request = Request(parse, options, directory, host, out var environmentDiagnostics);
        if (request is null)
        {
            Report.WriteText(stdout, directory, environmentDiagnostics);
            return ExitCodes.For(environmentDiagnostics);
        }

        var bundleFormat = parse.GetValue(format) switch
        {
            "zip" => BundleFormat.Zip,
            "tar.gz" => BundleFormat.TarGz,
            _ => BundleFormat.Directory,
        };
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

    private static async Task<int> Check(ParseResult parse, RunOptions options, Option<string> format, Host host, CancellationToken cancellationToken)
    {
        var stdout = host.Stdout;
        var project = ProjectDirectory(parse, options.Project, host);
        var directory = project.Directory;
        var request = Request(parse, options, directory, host, out var environmentDiagnostics);
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
                PrintableWriter.WriteLines(stdout, Reporting.SarifReport.Write(result.Diagnostics, SafeFullPath(directory), Environment.CurrentDirectory));
                break;
            default:
                Report.WriteText(stdout, directory, result.Diagnostics);
                break;
        }

        return result.ExitCode;
    }

    private static async Task<int> Verify(ParseResult parse, VerifyOptions options, Host host, CancellationToken cancellationToken)
    {
        var path = parse.GetValue(options.Bundle)!;
        var progress = new Hashing.ProgressCounter();
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
                PrintableWriter.WriteLines(host.Stdout, Reporting.SarifReport.Write(result.Diagnostics, SafeFullPath(path), Environment.CurrentDirectory, folder ? null : SafeFullPath(path)));
                return result.ExitCode;
        }

        foreach (var d in result.Diagnostics)
        {
            // Inside a folder: its path; inside an archive: archive!entry. A full path (the bundle itself, an
            // extract target, a file of the bundle beside a package) stands as it is.
            host.Stdout.WriteLine((d.Path is null || d.Path == path || Path.IsPathRooted(d.Path) ? d : d with { Path = folder ? Path.Join(path, d.Path) : $"{path}!{d.Path}" }).ToString());
        }

        var integrity = result.Diagnostics.Any(d => d.IsIntegrityError);
        var unlisted = result.Diagnostics.Any(d => d.Code == DiagnosticCatalog.BundleWithoutManifest.Code);
        var compliance = result.Diagnostics.Any(d => d.Severity == Severity.Error && !d.IsOutputError) ? "not compliant with MG-BY-SA-2.0"
            : $"compliant with MG-BY-SA-2.0 ({Report.Plural(result.Diagnostics.Count(d => d.Severity == Severity.Warning), "warning")})";
        host.Stdout.WriteLine(
            result.Diagnostics.Any(d => d.Code == DiagnosticCatalog.ExtractTargetExists.Code) ? $"{path} was not verified: the path to extract to exists and is not an empty folder."
            : integrity ? $"{path} does not match its manifest, or cannot be verified."
            : string.Create(CultureInfo.InvariantCulture, $"{(unlisted ? $"Read {path}: {result.Digests.Count} files, no manifest to check them against" : $"Verified {path}: {result.Digests.Count} files match modelgo-manifest.json")}; {compliance}."));
        if (request.ExtractTo is { } target)
        {
            // Why not, when it was not: the bundle, or the place it was to be written (which says nothing of the bundle).
            var why = integrity ? ": the bundle did not verify" : result.Diagnostics.Any(d => d.IsOutputError) ? ": it could not be written there (above)" : "";
            host.Stdout.WriteLine(result.ExtractedTo is { } extracted ? $"Extracted to {extracted}." : $"Nothing was extracted to {target}{why}.");
        }

        return result.ExitCode;
    }

    private sealed record VerifyOptions(Argument<string> Bundle, Option<string> Format, Option<string> PackageBundle, Option<string> Extract, Option<bool> Quiet);

    private static int Inspect(ParseResult parse, Argument<string> projectArgument, Option<string> format, Host host, CancellationToken cancellationToken)
    {
        var stdout = host.Stdout;
        var directory = ProjectDirectory(parse, projectArgument, host).Directory;
        var result = ModelGoPackEngine.Inspect(new ProjectRequest { ProjectDirectory = directory }, cancellationToken);
        if (parse.GetValue(format) == "json")
        {
            // inspect lists files and judges no obligation: its report carries no verdict, and says why.
            var configured = File.Exists(Path.Combine(directory, ModelGoConfig.FileName));
            Report.WriteJson(stdout, result.Diagnostics, result.Artifacts, notEvaluated: configured
                ? "inspect lists the files and what their headers say, and does not evaluate the license obligations; run check for a verdict."
                : $"The folder holds no {ModelGoConfig.FileName}, so it is no model project to evaluate; inspect lists its files. Run modelgopack init, then check, for a verdict.");
        }
        else
        {
            Report.WriteArtifacts(stdout, result.Artifacts);
            foreach (var d in result.Diagnostics)
            {
                stdout.WriteLine(d.ToString());
            }
        }

        return result.ExitCode;
    }

    /// <summary>
    /// The project's folder: DIR when given (never searched above); without it, the current folder when it holds
    /// modelgo.json, else the nearest folder above it that does, up to the repository's root (a folder holding .git)
    /// or the file system's root, which standard error names; else the current folder.
    /// </summary>
    private static FoundProject ProjectDirectory(ParseResult parse, Argument<string> project, Host host)
    {
        if (parse.GetResult(project) is { Tokens.Count: > 0 })
        {
            return new FoundProject(parse.GetValue(project)!, null);
        }

        var here = Environment.CurrentDirectory;
        Usage.FindProject(here, out var found, out var last);
        if (found is null)
        {
            return new FoundProject(".", last);
        }

        if (string.Equals(found, here, StringComparison.Ordinal))
        {
            return new FoundProject(".", null);
        }

        var relative = Path.GetRelativePath(here, found);
        host.Stderr.WriteLine($"modelgopack: using the project in '{relative}' ({found}): the current folder holds no {ModelGoConfig.FileName}, and '{relative}' is the nearest folder above it that does.");
        return new FoundProject(relative, null);
    }

    /// <summary>The project folder a command runs on; <paramref name="SearchedUpTo"/>: the highest folder looked in for modelgo.json, when none held one.</summary>
    private sealed record FoundProject(string Directory, string? SearchedUpTo)
    {
        /// <summary>The findings, MGP8001 saying where modelgo.json was looked for when it was looked for above the current folder.</summary>
        public IReadOnlyList<Diagnostic> Explain(IReadOnlyList<Diagnostic> diagnostics) =>
            this.SearchedUpTo is not { } last ? diagnostics : diagnostics.Select(d => d.Code != DiagnosticCatalog.ConfigMissing.Code ? d : d with
            {
                Message = $"No {ModelGoConfig.FileName} in the current folder ({Environment.CurrentDirectory}) or a folder above it up to {(string.Equals(last, Environment.CurrentDirectory, StringComparison.Ordinal) ? "itself" : $"'{last}'")}{(Path.Exists(Path.Combine(last, ".git")) ? ", the repository's root" : Path.GetDirectoryName(last) is null ? ", the file system's root" : "")}. Pass the project's folder as DIR, or run from inside it. {DiagnosticCatalog.ConfigMissing.Help}",
            }).ToList();
    }

    private static string SafeFullPath(string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (ArgumentException)
        {
            return Environment.CurrentDirectory;
        }
    }

    private static int Init(ParseResult parse, Argument<string> project, Option<string[]> upstreams, TextWriter stdout)
    {
        var directory = parse.GetValue(project)!;
        var diagnostics = new DiagnosticBag();
        var result = ConfigSkeleton.Write(directory, diagnostics, parse.GetValue(upstreams) ?? []);
        if (result is null)
        {
            Report.WriteText(stdout, directory, diagnostics.Items, verdict: false);
            stdout.WriteLine("Nothing was written.");
            return diagnostics.ExitCode;
        }

        // init judges nothing: it says what it wrote and what is left to fill in, never a verdict.
        stdout.WriteLine($"Wrote {result.Path}.");
        foreach (var filled in result.Filled)
        {
            stdout.WriteLine($"  filled: {filled}");
        }

        if (result.Note is { } note)
        {
            stdout.WriteLine($"  note: {note}");
        }

        foreach (var (line, what) in result.Todos)
        {
            stdout.WriteLine($"  TODO {ModelGoConfig.FileName}:{line}: {what}");
        }

        stdout.WriteLine($"Fill in its {result.Todos.Count} TODO{(result.Todos.Count == 1 ? "" : "s")}, then run: modelgopack check {directory}");
        return ExitCodes.Success;
    }

    private static ProjectRequest? Request(ParseResult parse, RunOptions options, string directory, Host host, out IReadOnlyList<Diagnostic> diagnostics)
    {
        var environment = host.Environment;
        diagnostics = [];
        long? epoch = null;
        if (environment("SOURCE_DATE_EPOCH") is { Length: > 0 } text)
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                diagnostics = [new Diagnostic(DiagnosticCatalog.EnvironmentInvalid, $"SOURCE_DATE_EPOCH is '{text}'. {DiagnosticCatalog.EnvironmentInvalid.Help}")];
                return null;
            }

            epoch = seconds;
        }

        return new ProjectRequest
        {
            ProjectDirectory = directory,
            TemplatesDirectory = parse.GetValue(options.Templates),
            SourceDateEpoch = epoch,
            GitExecutable = environment("MODELGOPACK_GIT") is { Length: > 0 } git ? git : "git",
            DigestCacheDirectory = parse.GetValue(options.NoCache) ? null : parse.GetValue(options.Cache) ?? DefaultCacheDirectory(environment),
            Progress = new Hashing.ProgressCounter(),
            VerifyUpstream = parse.GetValue(options.VerifyUpstream),
        };
    }

    /// <summary>$XDG_CACHE_HOME/modelgopack, else ~/.cache/modelgopack (%LOCALAPPDATA%\modelgopack on Windows); null when none is set.</summary>
    internal static string? DefaultCacheDirectory(Func<string, string?> environment)
    {
        if (environment("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathFullyQualified(xdg))
        {
            return Path.Combine(xdg, "modelgopack");
        }

        if (OperatingSystem.IsWindows() && environment("LOCALAPPDATA") is { Length: > 0 } local)
        {
            return Path.Combine(local, "modelgopack");
        }

        return environment("HOME") is { Length: > 0 } home ? Path.Combine(home, ".cache", "modelgopack") : null;
    }

    /// <summary>The options pack and check share.</summary>
    private sealed record RunOptions(Argument<string> Project, Option<string?> Templates, Option<bool> Quiet, Option<string?> Cache, Option<bool> NoCache, Option<bool> VerifyUpstream);

    /// <summary>The process the command line runs in: its streams, environment and terminal.</summary>
    private sealed record Host(TextWriter Stdout, TextWriter Stderr, Func<string, string?> Environment, bool Terminal)
    {
        /// <summary>Runs <paramref name="run"/> with <paramref name="counter"/> shown on standard error (nothing when quiet).</summary>
        public async Task<T> WithProgressAsync<T>(Hashing.ProgressCounter counter, bool quiet, Func<T> run)
        {
            var display = ProgressDisplay.Start(counter, this.Stderr, this.Terminal, quiet, ProgressInterval);
            await using (display.ConfigureAwait(false))
            {
                return run();
            }
        }
    }
}

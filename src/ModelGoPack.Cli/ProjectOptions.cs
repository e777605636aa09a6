using System.CommandLine;
using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Hashing;
using ModelGoPack.Hosting;

namespace ModelGoPack.Cli;

/// <summary>
/// The argument and options of the commands that evaluate a project (pack and check; inspect takes the argument):
/// the command each builds, where it finds the project, and the request it makes of the engine.
/// </summary>
internal sealed record ProjectOptions(Argument<string> Project, Option<string?> Templates, Option<bool> Quiet, Option<string?> Cache, Option<bool> NoCache, Option<bool> VerifyUpstream)
{
    private const string NoCacheWithCache = "--no-cache reads and writes no digest cache, and --cache names the cache to read and write.";

    /// <summary>A command over a project: DIR, then <paramref name="own"/> options, then the options every such command takes.</summary>
    public Command Command(string name, string description, params Option[] own)
    {
        var command = new Command(name, description) { this.Project };
        foreach (var option in own)
        {
            command.Add(option);
        }

        command.Add(this.Templates);
        command.Add(this.Quiet);
        command.Add(this.Cache);
        command.Add(this.NoCache);
        command.Add(this.VerifyUpstream);
        Usage.Contradiction(command, this.Cache, this.NoCache, NoCacheWithCache);
        return command;
    }

    /// <summary>
    /// The project's folder: DIR when given (never searched above); without it, the current folder when it holds
    /// modelgo.json, else the nearest folder above it that does, up to the repository's root (a folder holding .git)
    /// or the file system's root, which standard error names; else the current folder.
    /// </summary>
    public FoundProject Find(ParseResult parse, Host host)
    {
        if (parse.GetResult(this.Project) is { Tokens.Count: > 0 })
        {
            return new FoundProject(parse.GetValue(this.Project)!, null);
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

    /// <summary>What pack and check ask of the engine; null, with <paramref name="diagnostics"/> saying why, when the environment is invalid.</summary>
    public ProjectRequest? Request(ParseResult parse, string directory, Host host, out IReadOnlyList<Diagnostic> diagnostics)
    {
        var environment = host.Environment;
        var environmentDiagnostics = new DiagnosticBag();
        var epoch = SourceDateEpoch.Parse(SourceDateEpoch.FromEnvironment(environment), environmentDiagnostics);
        diagnostics = environmentDiagnostics.Items;
        if (environmentDiagnostics.HasErrors)
        {
            return null;
        }

        return new ProjectRequest
        {
            ProjectDirectory = directory,
            TemplatesDirectory = parse.GetValue(this.Templates),
            SourceDateEpoch = epoch,
            GitExecutable = GitExecutable.From(environment),
            DigestCacheDirectory = parse.GetValue(this.NoCache) ? null : parse.GetValue(this.Cache) ?? DefaultCacheDirectory(environment),
            Progress = new ProgressCounter(),
            VerifyUpstream = parse.GetValue(this.VerifyUpstream),
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
}

/// <summary>The project folder a command runs on; <paramref name="SearchedUpTo"/>: the highest folder looked in for modelgo.json, when none held one.</summary>
internal sealed record FoundProject(string Directory, string? SearchedUpTo)
{
    /// <summary>The findings, MGP8001 saying where modelgo.json was looked for when it was looked for above the current folder.</summary>
    public IReadOnlyList<Diagnostic> Explain(IReadOnlyList<Diagnostic> diagnostics) =>
        this.SearchedUpTo is not { } last ? diagnostics : diagnostics.Select(d => d.Code != DiagnosticCatalog.ConfigMissing.Code ? d : d with
        {
            Message = Messages.ConfigNotFoundUpToRoot.With(
                ModelGoConfig.FileName,
                Environment.CurrentDirectory,
                string.Equals(last, Environment.CurrentDirectory, StringComparison.Ordinal) ? "itself" : $"'{last}'",
                Path.Exists(Path.Combine(last, ".git")) ? ", the repository's root" : Path.GetDirectoryName(last) is null ? ", the file system's root" : "").Text,
        }).ToList();
}

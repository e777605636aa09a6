using System.Text.RegularExpressions;
using ModelGoPack.Inspection;
using ModelGoPack.Hashing;
using ModelGoPack.Releases;

namespace ModelGoPack.Config;

/// <summary>
/// What a model project already says of itself, for <c>init</c>: its name and version (the model card's front matter
/// and title), its copyright lines (the card's and the root LICENSE, NOTICE, COPYRIGHT and AUTHORS files'), its base
/// models (the card's <c>base_model</c> and <c>base_model_relation</c>), the notices of each under
/// <c>upstream/NAME/</c>, and the releases <c>init --upstream</c> names. It reads; it judges nothing.
/// </summary>
internal static partial class ProjectSurvey
{
    /// <summary>The most of a text file read for copyright lines.</summary>
    private const int MaxTextBytes = 1024 * 1024;

    /// <summary>The longest copyright line taken.</summary>
    private const int MaxLineChars = 300;

    private static readonly string[] CopyrightFiles = ["README.md", "LICENSE", "LICENSE.md", "LICENSE.txt", "NOTICE", "NOTICE.md", "NOTICE.txt", "COPYRIGHT", "AUTHORS"];

    public static Survey Read(string root, IReadOnlyList<string> releases)
    {
        var filled = new List<string>();
        ModelCard? card = null;
        var cardPath = Path.Combine(root, ModelCard.FileName);
        var cardNote = (string?)null;
        if (Text(cardPath) is { } cardText)
        {
            try
            {
                card = ModelCard.Parse(cardText);
            }
            catch (ArtifactFormatException e)
            {
                cardNote = $"README.md's front matter was not read: {e.Message}";
            }
        }

        var name = card?.Values.GetValueOrDefault("model_name") is { Length: > 0 } modelName ? (modelName, "README.md's model_name")
            : card?.Title is { Length: > 0 } title ? (title, "README.md's title")
            : (Path.GetFileName(Path.TrimEndingDirectorySeparator(root)), (string?)null);
        if (name.Item2 is { } nameSource)
        {
            filled.Add($"name from {nameSource}");
        }

        var version = card?.Values.GetValueOrDefault("version") is { Length: > 0 } cardVersion && NuGet.Versioning.SemanticVersion.TryParse(cardVersion, out _) ? cardVersion : null;
        if (version is not null)
        {
            filled.Add("version from README.md's front matter");
        }

        var copyright = new List<string>();
        foreach (var file in CopyrightFiles)
        {
            if (Text(Path.Combine(root, file)) is not { } text)
            {
                continue;
            }

            var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (CopyrightLine().Match(lines[i]) is { Success: true } match && match.Groups["line"].Value.Trim() is { Length: > 0 and <= MaxLineChars } line
                    && !copyright.Contains(line, StringComparer.Ordinal) && Readable(line))
                {
                    copyright.Add(line);
                    filled.Add($"copyright from {file} line {i + 1}");
                }
            }
        }

        var upstreams = new List<SurveyedUpstream>();
        var bases = card?.Strings("base_model").Select(b => b.Trim()).Where(b => b.Length > 0 && Readable(b)).Distinct(StringComparer.Ordinal).ToList() ?? [];
        var declared = card?.Values.GetValueOrDefault("base_model_relation");
        foreach (var model in bases)
        {
            var (relation, method, note) = Relation(root, declared, bases.Count);
            upstreams.Add(new SurveyedUpstream(model)
            {
                Url = HubId().IsMatch(model) ? "https://huggingface.co/" + model : null,
                Relation = relation,
                Method = method,
                RelationNote = note,
                Source = "README.md's base_model",
            });
        }

        // upstream/NAME/NOTICE-like files: the notices of the upstream of that name, or of a new entry.
        var upstreamFolder = Path.Combine(root, "upstream");
        if (Directory.Exists(upstreamFolder))
        {
            foreach (var folder in Directory.EnumerateDirectories(upstreamFolder).Order(StringComparer.Ordinal))
            {
                var folderName = Path.GetFileName(folder);
                if (!Readable(folderName))
                {
                    continue;
                }

                var notices = Directory.EnumerateFiles(folder).Select(Path.GetFileName).Where(n => ReleaseReader.IsNotice(n!)).Order(StringComparer.Ordinal)
                    .Select(n => $"upstream/{folderName}/{n}").ToList();
                if (notices.Count == 0)
                {
                    continue;
                }

                var index = upstreams.FindIndex(u => Matches(u.Name, folderName));
                if (index < 0)
                {
                    upstreams.Add(new SurveyedUpstream(folderName) { Source = $"upstream/{folderName}/" });
                    index = upstreams.Count - 1;
                }

                upstreams[index] = upstreams[index] with { Notices = notices };
                filled.Add($"notices of upstream '{upstreams[index].Name}' from upstream/{folderName}/");
            }
        }

        foreach (var release in releases)
        {
            var surveyed = Release(root, release);
            // Into the card's (or a notice folder's) entry of its name; two releases are two entries, even of one name
            // (check then names the clash), never one dropped.
            var index = upstreams.FindIndex(u => u.Bundle is null && (Matches(u.Name, surveyed.Name) || Matches(surveyed.Name, u.Name)));
            upstreams.Add(index < 0 ? surveyed : upstreams[index] with { Bundle = surveyed.Bundle, Licensor = surveyed.Licensor, Version = surveyed.Version ?? upstreams[index].Version, License = surveyed.License, Url = upstreams[index].Url ?? surveyed.Url });
            if (index >= 0)
            {
                upstreams.RemoveAt(index);
            }

            filled.Add($"upstream '{surveyed.Name}' from the release {release}");
        }

        return new Survey(name.Item1, version, copyright, upstreams, filled, cardNote);
    }

    /// <summary>The relation and method of a base model: the card's base_model_relation, else the Hub's own inference.</summary>
    private static (string? Relation, string? Method, string? Note) Relation(string root, string? declared, int bases)
    {
        if (declared is not null)
        {
            return ModelCard.BaseModelRelations.TryGetValue(declared, out var method)
                ? ("derivative", method, $"base_model_relation: {declared}")
                : (null, null, $"base_model_relation '{declared}' is none the Hub defines (adapter, merge, quantized, finetune)");
        }

        // As the Hub infers one when the card gives none: an adapter's config, a GGUF file, several base models.
        var inferred = File.Exists(Path.Combine(root, "adapter_config.json")) ? "adapter"
            : Directory.EnumerateFiles(root, "*.gguf").Any() ? "quantized"
            : bases > 1 ? "merge"
            : "finetune";
        return ("derivative", ModelCard.BaseModelRelations[inferred], $"no base_model_relation: {inferred}, as the Hub infers it");
    }

    private static SurveyedUpstream Release(string root, string location)
    {
        // Relative to the current folder, as every path of the command line is.
        var full = ReleaseLocation.Resolve(Environment.CurrentDirectory, location);
        var declaration = new UpstreamDeclaration { Name = Path.GetFileName(Path.TrimEndingDirectorySeparator(full)), License = "MG-BY-SA-2.0", Relation = UpstreamRelation.Derivative, Bundle = full };
        var release = ReleaseReader.Load(root, declaration, () => new HashSet<string>(StringComparer.Ordinal), new ReleaseOptions(DigestCache.InMemory(), false, "git", CancellationToken.None));
        var url = release.Url;
        var name = release.Name is { Length: > 0 } declared && Readable(declared) ? declared
            : url is not null && url.StartsWith("https://huggingface.co/", StringComparison.Ordinal) ? url["https://huggingface.co/".Length..].TrimEnd('/')
            : HubFolder().Match(full) is { Success: true } hub ? hub.Groups["org"].Value + "/" + hub.Groups["name"].Value
            : ArchiveSuffix().Replace(Path.GetFileName(Path.TrimEndingDirectorySeparator(full)), "");
        return new SurveyedUpstream(name)
        {
            Url = url,
            Version = release.Version,
            License = release.License,
            Licensor = release.Licensor,
            // modelgo.json's paths are the project's: inside it, relative; else absolute (or under ~/ as given).
            Bundle = ReleaseLocation.InsideProject(root, full)
                ?? (location == "~" || location.StartsWith("~/", StringComparison.Ordinal) ? location : full),
            Source = $"the release {location}",
        };
    }

    // An upstream of this name is the folder's: meta-llama/Llama-3.1-8B for Llama-3.1-8B or meta-llama--Llama-3.1-8B.
    private static bool Matches(string upstream, string folder) =>
        ModelCard.Names(upstream, folder, url: null)
        || folder.Equals(upstream.Replace("/", "--", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);

    // What init writes must read as it renders and pass check: no control character, line or paragraph separator, or
    // bidirectional control (MGP8029).
    internal static bool Readable(string text) => !text.Any(Unreadable);

    /// <summary>A control character, a line or paragraph separator, or a bidirectional control.</summary>
    internal static bool Unreadable(char c) => char.IsControl(c) || c is '\u2028' or '\u2029' || ProjectPath.IsBidiControl(c);

    private static string? Text(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists && info.Length <= MaxTextBytes && (info.Attributes & FileAttributes.ReparsePoint) == 0 ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // "Copyright 2026 Lab", "Copyright (c) ...", "© 2026 Lab", "(c) 2026 Lab", in a Markdown list or not.
    [GeneratedRegex(@"^\s*(?:[-*+]\s+)?(?<line>(?:Copyright\b|©|\(c\)\s*\d).*)$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex CopyrightLine();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex HubId();

    [GeneratedRegex(@"models--(?<org>[^/\\]+?)--(?<name>[^/\\]+)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex HubFolder();

    [GeneratedRegex(@"(\.zip|\.tar\.gz|\.tgz)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ArchiveSuffix();
}

/// <summary>What <see cref="ProjectSurvey"/> found: each value, and what it was filled from.</summary>
internal sealed record Survey(string Name, string? Version, IReadOnlyList<string> Copyright, IReadOnlyList<SurveyedUpstream> Upstreams, IReadOnlyList<string> Filled, string? Note);

/// <summary>An upstream init fills in: null where the project does not say, for a TODO.</summary>
internal sealed record SurveyedUpstream(string Name)
{
    public string? Url { get; init; }

    public string? Version { get; init; }

    public string? License { get; init; }

    /// <summary>Who licenses it, when its release says (a ModelGoPack bundle's first copyright line).</summary>
    public string? Licensor { get; init; }

    /// <summary>"derivative", or null when the project does not say (a TODO).</summary>
    public string? Relation { get; init; }

    public string? Method { get; init; }

    /// <summary>Why the relation is what it is, or why it is not known.</summary>
    public string? RelationNote { get; init; }

    public IReadOnlyList<string> Notices { get; init; } = [];

    public string? Bundle { get; init; }

    public required string Source { get; init; }
}

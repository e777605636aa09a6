using System.Text.RegularExpressions;
using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Inspection;
using ModelGoPack.Licensing;

namespace ModelGoPack.Evaluation;

/// <summary>
/// Every license file of a release, at any depth: a file named LICENSE*, LICENCE*, COPYING* or *.license beyond the
/// root's license copy, and the file the model card's <c>license_link</c> names. A modified or superseded
/// MG-BY-SA-2.0 text anywhere is MGP1001/MGP1002 (Section 6, clause (i)), as at the root. Another license covers what
/// its name says: a REUSE <c>X.license</c> file covers X alone; a name qualified by a part of a release
/// (LICENSE-CODE, LICENSE_DATA.md) covers that part of its folder; any other name (LICENSE, COPYING.txt,
/// LICENSE-APACHE, LICENSE-MODEL) covers its folder. For a derivative or Extracted Model, another license over model
/// weights (a folder that holds them, or a weight file's own .license) contradicts share-alike (MGP6006, clause (vi));
/// otherwise it is reported with what it covers (MGP1007), since third-party code under its own license is normal. A
/// file whose name says it is the template of a source file's license header (LICENSE_HEADER.txt) covers nothing by
/// itself (MGP1007). A text the tool cannot identify, and a
/// .license file of a file the release does not hold, are a note (MGP1008).
/// </summary>
internal static partial class LicenseFileRules
{
    // The endings of a license text: read as one (and .license, a REUSE file's).
    private static readonly HashSet<string> TextEndings = new(StringComparer.OrdinalIgnoreCase)
    {
        ".txt", ".md", ".markdown", ".rst", ".html", ".htm",
    };

    // The endings of a file of a known type (weights, code, data, media, archives, binaries, documents): what ends
    // so is that kind of file, not a license text, unless the ending is one of TextEndings. Any other "ending" is a
    // qualifier of the name (LICENSE.Apache-2.0, COPYING.LESSER, LICENSE.zlib).
    internal static readonly HashSet<string> FileTypes = new(Inspection.FileKinds.WeightEndings, StringComparer.OrdinalIgnoreCase)
    {
        // weights: FileKinds.WeightEndings, the one table of them; code
        ".py", ".pyi", ".pyx", ".ipynb", ".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".go", ".rs", ".c", ".h", ".cc", ".cpp", ".cxx", ".hpp", ".cu", ".cuh", ".cs", ".fs", ".vb",
        ".java", ".kt", ".kts", ".scala", ".swift", ".m", ".mm", ".rb", ".php", ".pl", ".pm", ".lua", ".r", ".jl", ".dart", ".zig", ".hs", ".ex", ".exs", ".erl", ".clj", ".sh", ".bash",
        ".zsh", ".fish", ".ps1", ".bat", ".cmd", ".sql", ".vue", ".svelte", ".css", ".scss", ".less", ".xml", ".toml", ".ini", ".cfg", ".conf", ".mk", ".cmake", ".gradle", ".proto",
        // data
        ".json", ".jsonl", ".yaml", ".yml", ".csv", ".tsv", ".parquet", ".arrow", ".feather", ".avro", ".orc", ".db", ".sqlite", ".tfrecord", ".lock",
        // documents, media (the text endings above are read all the same)
        ".txt", ".md", ".markdown", ".rst", ".html", ".htm", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".tif", ".tiff", ".ico", ".mp3", ".wav", ".flac", ".ogg", ".mp4", ".webm", ".mov", ".avi", ".pdf", ".doc", ".docx",
        ".odt", ".rtf", ".tex", ".epub",
        // archives and binaries
        ".zip", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".7z", ".rar", ".tar", ".so", ".dylib", ".dll", ".exe", ".a", ".lib", ".o", ".obj", ".wasm", ".jar", ".whl", ".class",
    };

    // Qualifiers that name a part of a release: LICENSE-CODE covers the code of its folder, not the weights beside it;
    // LICENSE-THIRD-PARTY (the name MGP1003 advises) what came from elsewhere.
    private static readonly HashSet<string> Parts = new(StringComparer.OrdinalIgnoreCase)
    {
        "CODE", "SOURCE", "SOURCES", "SRC", "SCRIPT", "SCRIPTS", "TOOLS", "EXAMPLES", "SAMPLES", "NOTEBOOKS", "TESTS", "DOC", "DOCS", "DOCUMENTATION",
        "DATA", "DATASET", "DATASETS", "CORPUS", "ASSETS", "IMAGES", "MEDIA", "FONTS", "TOKENIZER", "THIRD", "THIRDPARTY", "3RD", "3RDPARTY",
    };

    // The endings of media files (what ASSETS, IMAGES, MEDIA and FONTS name), and of configuration files (no part).
    private static readonly HashSet<string> MediaEndings = new(StringComparer.OrdinalIgnoreCase)
    {
        ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".tif", ".tiff", ".ico", ".mp3", ".wav", ".flac", ".ogg", ".mp4", ".webm", ".mov", ".avi", ".ttf", ".otf", ".woff", ".woff2",
    };

    private static readonly HashSet<string> ConfigEndings = new(StringComparer.OrdinalIgnoreCase) { ".json", ".yaml", ".yml", ".toml", ".cfg", ".ini", ".conf" };

    // A header template is at most this long; a longer text is a license whatever its name says.
    private const int HeaderBytes = 2048;

    // Qualifiers that name a template of a source file's license header, not a license.
    private static readonly HashSet<string> HeaderWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "HEADER", "HEADERS", "TEMPLATE", "TEMPLATES", "BOILERPLATE",
    };

    // Qualifiers that name the model itself: LICENSE-MODEL-CODE still covers its folder, weights and all.
    private static readonly HashSet<string> ModelParts = new(StringComparer.OrdinalIgnoreCase)
    {
        "MODEL", "MODELS", "WEIGHT", "WEIGHTS", "CHECKPOINT", "CHECKPOINTS", "CKPT", "ADAPTER", "ADAPTERS",
    };

    /// <summary>
    /// Whether a file's name makes it a license file (the root's license copy names included): a REUSE
    /// <c>X.license</c> file, or LICENSE, LICENCE or COPYING (any case) alone or followed by <c>-</c>, <c>_</c> or
    /// <c>.</c> and more, where the name's ending (after its last dot) is none, a text's (.txt, .md, .markdown, .rst,
    /// .html, .htm, .license), or no known file type's, and so a qualifier (LICENSE-MIT, LICENSE.Apache-2.0,
    /// COPYING.LESSER). A weight, code, data or media ending makes it that kind of file (license.ts,
    /// license_plate_detector.safetensors, LICENSE.pdf). A text in a REUSE <c>LICENSES/</c> folder
    /// (LICENSES/Apache-2.0.txt) is one too, whatever its name.
    /// </summary>
    public static bool IsLicenseName(string path)
    {
        var name = path[(path.LastIndexOf('/') + 1)..];
        if (AnnotatedName(name) is not null || IsReuseText(path))
        {
            return true;
        }

        var extension = Path.GetExtension(name);
        return LicenseStem().IsMatch(name) && !IsFileType(extension);
    }

    /// <summary>
    /// The paths, among <paramref name="paths"/>, of the license files other than the root's license copies (see
    /// <see cref="ProjectLoader.IsLicenseCopy"/>), with <paramref name="link"/>, the model card's license_link target
    /// (see <see cref="LinkedPath"/>); ordinal order.
    /// </summary>
    public static List<string> OtherLicenseFiles(IEnumerable<string> paths, string? link)
    {
        var result = new List<string>();
        foreach (var path in paths)
        {
            if (!ProjectLoader.IsLicenseCopy(path) && (IsLicenseName(path) || path == link))
            {
                result.Add(path);
            }
        }

        result.Sort(StringComparer.Ordinal);
        return result;
    }

    /// <summary>
    /// The release file a card's license_link names, or null when it names none (absent, or the address of a license
    /// elsewhere). <see cref="LinkedFile.Own"/> says whether the link surely names a file of this release, so that a
    /// missing one is a finding: a relative path, or the URL of a file of the project's own Hugging Face repo
    /// (https://huggingface.co/org/{name}/blob/main/LICENSE, on huggingface.co or a subdomain of it, where {name} is
    /// the config's name in any case, with an underscore read as a hyphen). The config knows the model's name, not its
    /// Hub id, and a repo is often named otherwise (acme-tiny-v2 for acme-tiny): a file of a repo of another
    /// name, not an upstream's, is this release's when the release holds that path (its own repo under another name),
    /// and otherwise an address elsewhere (a shared licenses repo). A file of an upstream's repo (by its name or url, as
    /// base_model is matched) is the upstream's, never this release's.
    /// </summary>
    public static LinkedFile? LinkedPath(ModelCard? card, ModelGoConfig config)
    {
        if (card?.Values.GetValueOrDefault("license_link") is not { Length: > 0 } link)
        {
            return null;
        }

        if (Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            var repoFile = HubFile().Match(uri.AbsolutePath);
            if (!IsHub(uri) || !repoFile.Success || InRelease(Uri.UnescapeDataString(repoFile.Groups["path"].Value)) is not { } path)
            {
                return null;
            }

            var repo = Uri.UnescapeDataString(repoFile.Groups["repo"].Value);
            var id = Uri.UnescapeDataString(repoFile.Groups["owner"].Value) + "/" + repo;

            // An upstream's own repo, by its url, is the upstream's even when this project keeps its name (a quantized
            // re-release); then the project's own name; then an upstream's by its name alone.
            return config.Upstream.Any(u => string.Equals(HubRepo(u.Url), id, StringComparison.OrdinalIgnoreCase)) ? null
                : string.Equals(RepoName(repo), RepoName(config.Name), StringComparison.OrdinalIgnoreCase) ? new LinkedFile(path, Own: true)
                : config.Upstream.Any(u => ModelCardRules.Names(id, u.Name, u.Url)) ? null
                : new LinkedFile(path, Own: false);
        }

        if (link.Contains("://", StringComparison.Ordinal) || link.StartsWith('/') || link.StartsWith('#'))
        {
            return null;
        }

        // A browser reads a backslash in a link's path as a slash.
        return InRelease(Uri.UnescapeDataString(link.Split('#', '?')[0]).Replace('\\', '/')) is { } relative ? new LinkedFile(relative, Own: true) : null;
    }

    // A link's path as a path of the release, as a browser resolves it: empty and "." segments dropped, ".." taking the
    // one before it; null when nothing is left, or it climbs out of the release.
    private static string? InRelease(string link)
    {
        var segments = new List<string>();
        foreach (var segment in link.Split('/'))
        {
            if (segment == "..")
            {
                if (segments.Count == 0)
                {
                    return null;
                }

                segments.RemoveAt(segments.Count - 1);
            }
            else if (segment is not ("" or "."))
            {
                segments.Add(segment);
            }
        }

        var path = string.Join('/', segments);
        return path.Length == 0 || ProjectPath.IsRootedOrEscaping(path) ? null : path;
    }

    // Whether an address is on the Hugging Face Hub: huggingface.co, hf.co, or a subdomain of either.
    private static bool IsHub(Uri uri)
    {
        var host = uri.Host.ToLowerInvariant();
        return host is "huggingface.co" or "hf.co" || host.EndsWith(".huggingface.co", StringComparison.Ordinal) || host.EndsWith(".hf.co", StringComparison.Ordinal);
    }

    // The owner/repo of a Hub repo's url (https://huggingface.co/org/model, or a page of it), or null for another address.
    private static string? HubRepo(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !IsHub(uri))
        {
            return null;
        }

        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length >= 2 ? Uri.UnescapeDataString(segments[0]) + "/" + Uri.UnescapeDataString(segments[1]) : null;
    }

    // A repo or package name with an underscore read as a hyphen (tiny_model is the repo Tiny-Model): compared in any case.
    private static string RepoName(string name) => name.Replace('_', '-');

    /// <summary>The license a card's license_link URL names, when it is the address of a well-known license; else null.</summary>
    public static string? LinkedLicense(string link)
    {
        if (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return null;
        }

        var host = uri.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? uri.Host[4..] : uri.Host;
        var path = uri.AbsolutePath.TrimEnd('/');
        Match match;
        return host.ToLowerInvariant() switch
        {
            "apache.org" when (match = ApachePath().Match(path)).Success => "Apache-" + match.Groups[1].Value,
            "opensource.org" when (match = OsiPath().Match(path)).Success => match.Groups[1].Value,
            "spdx.org" when (match = SpdxPath().Match(path)).Success => match.Groups[1].Value,
            "choosealicense.com" when (match = ChooseALicensePath().Match(path)).Success => match.Groups[1].Value,
            "creativecommons.org" when (match = CreativeCommonsPath().Match(path)).Success => $"CC-{match.Groups[1].Value.ToUpperInvariant()}-{match.Groups[2].Value}",
            _ => null,
        };
    }

    public static void Evaluate(ModelProject project, DiagnosticBag diagnostics)
    {
        if (project.OtherLicenseFiles.Count == 0)
        {
            return;
        }

        var config = project.Config;
        var shareAlike = config.IsDerivative || config.IsExtracted;
        var covered = Coverage(project);

        // The role of each file of the release, by path, for the files X.license files annotate: made only when there is one.
        Dictionary<string, ArtifactRole>? roles = null;
        foreach (var (file, identification) in project.OtherLicenseFiles)
        {
            var path = file.RelativePath;
            var folder = FolderOf(path);
            var name = path[folder.Length..];
            var held = covered[folder];
            var annotated = AnnotatedName(name) is { } annotatedName ? folder + annotatedName : null;
            var annotatedRole = annotated is null ? (ArtifactRole?)null
                : (roles ??= Roles(project)).TryGetValue(annotated, out var role) ? role : null;

            // A part qualifier limits a license to that part of its folder when the folder holds files of that part: a
            // LICENSE-DATA beside weights and no data covers what is there, the weights.
            var part = annotated is null && Part(name) is { } named && (held.Kinds & PartKinds(named)) != 0 ? named : null;

            // A text of a REUSE LICENSES/ folder, or a header's template, is the text that files name by an SPDX line: it
            // licenses no folder by itself. Not a LICENSES/ folder that holds weights, nor a template that is a full
            // license text (its title at its top): such a file is the folder's license, whatever it is named.
            var reuse = IsReuseText(path) && held.Weights == 0;
            // A template is a header: an SPDX line, a grant sentence ("Licensed under the Apache License, Version 2.0"), or
            // a short text ModelGoPack does not recognise that holds a copyright line; a full license text is its folder's
            // license whatever its name.
            var template = annotated is null && !reuse && IsHeaderTemplate(name)
                && (identification.Kind == LicenseMatchKind.Unknown ? identification.Header : identification.Line > 0 || identification.Sentence);
            var covers = reuse ? "the files that name it in an SPDX-License-Identifier line"
                : template ? "the files that carry the header"
                : annotated ?? (folder.Length == 0 ? "the whole release" : folder);
            covers = part is null || reuse ? covers : $"the {PartName(part)} of {covers}";

            // Model weights the file licenses, when this is a derivative or Extracted Model: a weight file it annotates,
            // or the weights of the folder it covers whole.
            var overWeights = !shareAlike || reuse || template ? null
                : annotated is not null ? annotatedRole == ArtifactRole.Weights ? $"the model weights '{annotated}'" : null
                : part is null && held.Weights > 0 ? $"{covers}, which holds the model weights {held.FewWeights()}" : null;
            switch (identification.Kind)
            {
                // A REUSE text named as MG-BY-SA-2.0 is the text the files whose SPDX lines name it are under: another
                // text there is the license changed (Section 6).
                case LicenseMatchKind.Other or LicenseMatchKind.Unknown when reuse && IsModelGoText(name):
                    diagnostics.Add(DiagnosticCatalog.LicenseModified,
                        $"{path} is named as the {LicenseText.Id} text of a REUSE LICENSES folder, but it is {(identification.Name is { } other ? $"the {other} license" : "not that text")}: the files whose SPDX lines name it would be under another text. {DiagnosticCatalog.LicenseModified.Help}",
                        path, 1, 1);
                    break;
                case LicenseMatchKind.Modified:
                    diagnostics.Add(DiagnosticCatalog.LicenseModified,
                        $"{path} differs from the {LicenseText.Id} text at word {identification.WordIndex}: the license reads \"{identification.Expected}\", the file reads \"{identification.Found}\". {DiagnosticCatalog.LicenseModified.Help}",
                        path, identification.Line, 1);
                    break;
                case LicenseMatchKind.Superseded:
                    diagnostics.Add(DiagnosticCatalog.LicenseSuperseded,
                        $"{path} is the superseded MG-BY-SA \"Version 2.0, May 2025\" text. {DiagnosticCatalog.LicenseSuperseded.Help}", path, 1, 1);
                    break;
                case LicenseMatchKind.Other when identification.Name is { } license:
                    // A license named by its SPDX line is on that line; one known by its text, at the top.
                    var line = Math.Max(identification.Line, 1);
                    if (reuse)
                    {
                        diagnostics.Add(DiagnosticCatalog.PartUnderOtherLicense,
                            $"{path} is the {license} license text of a REUSE LICENSES folder: it licenses no folder, only {covers}. {DiagnosticCatalog.PartUnderOtherLicense.Help}",
                            path, line, 1);
                    }
                    else if (template)
                    {
                        diagnostics.Add(DiagnosticCatalog.PartUnderOtherLicense,
                            $"{path} is a template of the {license} license header that source files carry: it licenses no folder, only the files that carry the header. {DiagnosticCatalog.PartUnderOtherLicense.Help}",
                            path, line, 1);
                    }
                    else if (annotated is not null && annotatedRole is null)
                    {
                        diagnostics.Add(DiagnosticCatalog.LicenseFileUnidentified,
                            $"{path} is the {license} license of {annotated}, a file the release does not hold; it covers no file. {DiagnosticCatalog.LicenseFileUnidentified.Help}",
                            path, line, 1);
                    }
                    else if (overWeights is not null)
                    {
                        diagnostics.Add(DiagnosticCatalog.WeightsUnderOtherLicense,
                            $"{path} is the {license} license, and it covers {overWeights}; this project is {ObligationRules.Kind(config)} of an MG-BY-SA-2.0 model. {DiagnosticCatalog.WeightsUnderOtherLicense.Help}",
                            path, line, 1);
                    }
                    else
                    {
                        var count = held.Files - 1;
                        var what = annotated is not null ? $"it covers {annotated}, the file it annotates"
                            : part is not null ? $"its name limits it to {covers}"
                            : $"it covers {covers} ({count} other file{(count == 1 ? "" : "s")})";
                        diagnostics.Add(DiagnosticCatalog.PartUnderOtherLicense,
                            $"{path} is the {license} license; {what}. {DiagnosticCatalog.PartUnderOtherLicense.Help}", path, line, 1);
                    }

                    break;
                case LicenseMatchKind.Unknown when overWeights is not null:
                    // What the text says of the weights needs a reader: share-alike may be broken, and a reviewer who read
                    // it records what it says as a waiver.
                    diagnostics.Add(DiagnosticCatalog.WeightsUnderUnknownLicense,
                        $"{path} is named like a license file, but ModelGoPack does not recognise its text, and it covers {overWeights}; this project is {ObligationRules.Kind(config)} of an MG-BY-SA-2.0 model. {DiagnosticCatalog.WeightsUnderUnknownLicense.Help}",
                        path, 1, 1);
                    break;
                case LicenseMatchKind.Unknown:
                    diagnostics.Add(DiagnosticCatalog.LicenseFileUnidentified,
                        $"{path} is named like a license file, but ModelGoPack does not recognise its text; it would cover {covers}. {DiagnosticCatalog.LicenseFileUnidentified.Help}",
                        path, 1, 1);
                    break;
            }
        }
    }

    /// <summary>What a license file too large to read (over 4 MiB) is: a text ModelGoPack does not recognise.</summary>
    public static LicenseIdentification TooLarge { get; } = new(LicenseMatchKind.Unknown);

    /// <summary>
    /// Identifies a license file's text; a text it does not recognise that holds SPDX-License-Identifier lines (as a
    /// REUSE <c>.license</c> file does) is the license those lines name, with <see cref="LicenseIdentification.Line"/>
    /// the line's number (a license known by its text has line 0): that line is then the file's only license evidence.
    /// A line's value is an SPDX expression: one that is anything but MG-BY-SA-2.0 alone (<c>Apache-2.0 OR MIT</c>,
    /// <c>MG-BY-SA-2.0 OR Apache-2.0</c>, which lets a recipient take Apache-2.0 instead) is another license, named as
    /// written, at the first such line. Lines that all say MG-BY-SA-2.0 are the license only in a file that says
    /// nothing else (copyright and SPDX lines, comments); a file that says more needs a reader (unknown).
    /// </summary>
    public static LicenseIdentification Identify(byte[] bytes)
    {
        var text = TextDecoder.Decode(bytes);
        var identification = LicenseIdentifier.Identify(text);
        if (identification.Kind != LicenseMatchKind.Unknown)
        {
            return identification;
        }

        var modelGo = false;
        var unresolved = false;
        foreach (Match spdx in SpdxLine().Matches(text))
        {
            var expression = Expression(text, spdx);
            switch (expression.Length == 0 ? SpdxValue.None : Value(expression))
            {
                case SpdxValue.ModelGo:
                    modelGo = true;
                    break;
                case SpdxValue.Unresolved:
                    unresolved = true;
                    break;
                case SpdxValue.Other:
                    var line = text.AsSpan(0, spdx.Groups["expression"].Index).Count('\n') + 1;
                    return new LicenseIdentification(LicenseMatchKind.Other, expression, Line: line);
            }
        }

        var lines = text.Split('\n');
        return modelGo && !unresolved && lines.All(IsHeaderLine) ? new LicenseIdentification(LicenseMatchKind.Canonical)
            : identification with { Header = bytes.Length <= HeaderBytes && lines.Any(l => LicenseIdentifier.IsCopyrightLine(CommentMarks().Replace(l, ""))) };
    }

    // An SPDX line's expression: without a comment after it ("MG-BY-SA-2.0 # see ../LICENSE"), and with the lines it
    // continues on while its parentheses are open or it ends in an operator ("(MG-BY-SA-2.0 OR" then "Apache-2.0)").
    private static string Expression(string text, Match spdx)
    {
        var expression = Uncommented(spdx.Groups["expression"].Value);
        var next = spdx.Index + spdx.Length;
        for (var more = 0; more < 8 && !Complete(expression) && next < text.Length; more++)
        {
            var end = text.IndexOf('\n', next + 1);
            var line = text[(next + 1)..(end < 0 ? text.Length : end)];
            expression += " " + Uncommented(CommentMarks().Replace(line, ""));
            next = end < 0 ? text.Length : end;
        }

        return expression.Trim();
    }

    // A line's value without the marks that close its comment (*/, -->).
    private static string Uncommented(string value)
    {
        value = value.Trim();
        foreach (var close in (string[])["*/", "-->"])
        {
            if (value.EndsWith(close, StringComparison.Ordinal))
            {
                value = value[..^close.Length].TrimEnd('*').Trim();
            }
        }

        return value;
    }

    // Whether an expression is whole: its parentheses closed, and no operator at its end.
    private static bool Complete(string expression)
    {
        var tokens = SpdxToken().Matches(expression).Select(m => m.Value).ToList();
        return tokens.Count(t => t == "(") == tokens.Count(t => t == ")") && !(tokens.Count > 0 && tokens[^1].ToUpperInvariant() is "AND" or "OR" or "WITH");
    }

    // What an SPDX expression licenses under (an expression that is not whole, or that a comment follows, is none the
    // tool can resolve: "MG-BY-SA-2.0 # or Apache-2.0 at your option" says more than MG-BY-SA-2.0): MG-BY-SA-2.0 alone (its id, or REUSE's LicenseRef-MG-BY-SA-2.0, since
    // the SPDX list does not hold it; in any case, in any parentheses, several times); another license (an SPDX id of
    // another, with AND, OR or WITH); or nothing the tool can resolve (another LicenseRef, or no expression at all,
    // "MG-BY-SA-2.0 # see ../LICENSE"), which needs a reader.
    private static SpdxValue Value(string expression)
    {
        if (!Complete(expression))
        {
            return SpdxValue.Unresolved;
        }

        var ids = new List<string>();
        var tokens = SpdxToken().Matches(expression).Select(m => m.Value).ToList();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] is "(" or ")" || tokens[i].ToUpperInvariant() is "AND" or "OR")
            {
                continue;
            }

            if (tokens[i].Equals("WITH", StringComparison.OrdinalIgnoreCase))
            {
                // An exception changes the license: MG-BY-SA-2.0 WITH anything is not MG-BY-SA-2.0 alone.
                ids.Add("WITH");
                i++;
                continue;
            }

            if (!SpdxId().IsMatch(tokens[i]))
            {
                return SpdxValue.Unresolved;
            }

            ids.Add(tokens[i]);
        }

        var modelGo = (string id) => id.Equals(LicenseText.Id, StringComparison.OrdinalIgnoreCase) || id.Equals("LicenseRef-" + LicenseText.Id, StringComparison.OrdinalIgnoreCase);
        return ids.Count == 0 ? SpdxValue.Unresolved
            : ids.All(modelGo) ? SpdxValue.ModelGo
            : ids.Any(id => !modelGo(id) && !id.Contains("LicenseRef-", StringComparison.OrdinalIgnoreCase)) ? SpdxValue.Other
            : SpdxValue.Unresolved;
    }

    private enum SpdxValue
    {
        None,
        ModelGo,
        Other,
        Unresolved,
    }

    // Whether a line of a file says nothing beyond a REUSE header: blank, a comment's marks or a code fence alone, an
    // SPDX-License-Identifier line (judged by its expression), or a bare copyright notice or contributor (an
    // SPDX-FileCopyrightText or SPDX-FileContributor tag, or a "Copyright" line) that grants nothing.
    private static bool IsHeaderLine(string line)
    {
        var content = CommentMarks().Replace(line, "").Trim();
        return content.Length == 0 || CodeFence().IsMatch(content) || content.StartsWith("SPDX-License-Identifier:", StringComparison.Ordinal)
            || LicenseIdentifier.IsCopyrightLine(content)
            || (content.StartsWith("SPDX-FileContributor:", StringComparison.Ordinal) && LicenseIdentifier.IsCopyrightLine("Copyright " + content["SPDX-FileContributor:".Length..]));
    }

    // What each license file's folder holds, its own files and those of every folder below it: each artifact is counted
    // in every license folder above it, found by a lookup of the path's prefixes of a license folder's length (no
    // substring made per folder, none looked up that no license folder could be). Paths come sorted: a path keeps the
    // license folders of the folders it shares with the path before it, and looks up only the rest of its own.
    private static Dictionary<string, Held> Coverage(ModelProject project)
    {
        var folders = new Dictionary<string, Held>(StringComparer.Ordinal);
        foreach (var (file, _) in project.OtherLicenseFiles)
        {
            folders.TryAdd(FolderOf(file.RelativePath), new Held());
        }

        var lengths = folders.Keys.Select(f => f.Length).ToHashSet();
        var lookup = folders.GetAlternateLookup<ReadOnlySpan<char>>();
        var above = new List<(int Length, Held Held)>();
        var last = "";
        var lastLength = -1;
        foreach (var artifact in project.Artifacts)
        {
            var path = artifact.Path;
            var length = path.LastIndexOf('/') + 1;
            if (length != lastLength || !path.AsSpan(0, length).SequenceEqual(last.AsSpan(0, lastLength)))
            {
                // The folders both paths are in: up to the last slash of their common start (none for the first path).
                var shared = lastLength < 0 ? -1 : path.AsSpan(0, length).CommonPrefixLength(last.AsSpan(0, lastLength));
                shared = shared <= 0 ? shared : path.LastIndexOf('/', shared - 1) + 1;
                while (above.Count > 0 && above[^1].Length > shared)
                {
                    above.RemoveAt(above.Count - 1);
                }
                var first = shared < 0 ? 0 : shared == length ? -1 : path.IndexOf('/', shared) + 1;
                for (var end = first; end >= 0 && end <= length; end = path.IndexOf('/', end) + 1)
                {
                    if (lengths.Contains(end) && lookup.TryGetValue(path.AsSpan(0, end), out var held))
                    {
                        above.Add((end, held));
                    }

                    if (end == length)
                    {
                        break;
                    }
                }

                (last, lastLength) = (path, length);
            }

            var kind = above.Count == 0 ? PartKind.None : KindOf(artifact);
            foreach (var (_, held) in above)
            {
                held.Add(artifact, kind);
            }
        }

        return folders;
    }

    // Each file's role, by path: its artifact's, or Other for a file verify could not inspect (a damaged entry).
    private static Dictionary<string, ArtifactRole> Roles(ModelProject project)
    {
        var roles = project.Files.ToDictionary(f => f.RelativePath, _ => ArtifactRole.Other, StringComparer.Ordinal);

        // The files every bundle holds, which pack writes whether the project has them or not.
        roles.TryAdd(ProjectLoader.LicenseFileName, ArtifactRole.Notice);
        roles.TryAdd(ProjectLoader.NoticeFileName, ArtifactRole.Notice);
        roles.TryAdd(ModelCard.FileName, ArtifactRole.Docs);
        foreach (var artifact in project.Artifacts)
        {
            roles[artifact.Path] = artifact.Role;
        }

        return roles;
    }

    // Whether a REUSE LICENSES text's name says it is MG-BY-SA-2.0 (MG-BY-SA-2.0.txt, LicenseRef-MG-BY-SA-2.0.txt).
    private static bool IsModelGoText(string name)
    {
        var stem = TextEndings.Contains(Path.GetExtension(name)) ? Path.GetFileNameWithoutExtension(name) : name;
        return stem.Equals(LicenseText.Id, StringComparison.OrdinalIgnoreCase) || stem.Equals("LicenseRef-" + LicenseText.Id, StringComparison.OrdinalIgnoreCase);
    }

    // How a message names a part: LICENSE-THIRD-PARTY covers the third-party files, LICENSE-CODE the CODE.
    private static string PartName(string part) => part.ToUpperInvariant() is "THIRD" or "THIRDPARTY" or "3RD" or "3RDPARTY" ? "third-party files" : part;

    // The kinds of file a part qualifier names: a LICENSE-CODE licenses code, a LICENSE-DOCS documents, a
    // LICENSE-THIRD-PARTY what came from elsewhere (never the model's weights or architecture).
    private static PartKind PartKinds(string part) => part.ToUpperInvariant() switch
    {
        "DOC" or "DOCS" or "DOCUMENTATION" => PartKind.Docs,
        "DATA" or "DATASET" or "DATASETS" or "CORPUS" => PartKind.Data,
        "ASSETS" or "IMAGES" or "MEDIA" or "FONTS" => PartKind.Media,
        "EXAMPLES" or "SAMPLES" or "NOTEBOOKS" => PartKind.Code | PartKind.Data | PartKind.Media,
        "TOKENIZER" => PartKind.Tokenizer,
        "THIRD" or "THIRDPARTY" or "3RD" or "3RDPARTY" => PartKind.Code | PartKind.Docs | PartKind.Data | PartKind.Media | PartKind.Tokenizer,
        _ => PartKind.Code,
    };

    // The part of a release a file is, for a part qualifier: none for the files every model folder has beside its weights
    // (README, a weight index, .gitattributes, configuration, the files a bundle generates), which no part names.
    private static PartKind KindOf(Inspection.Artifact artifact)
    {
        var name = artifact.Path.AsSpan(artifact.Path.LastIndexOf('/') + 1);
        var extension = Path.GetExtension(name);
        if (name.StartsWith("README", StringComparison.OrdinalIgnoreCase) || name.StartsWith(".") || name.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase)
            || name.SequenceEqual(ModelGoConfig.FileName) || name.SequenceEqual(ProjectLoader.ManifestFileName))
        {
            return PartKind.None;
        }

        var configuration = ConfigEndings.GetAlternateLookup<ReadOnlySpan<char>>().Contains(extension);
        return MediaEndings.GetAlternateLookup<ReadOnlySpan<char>>().Contains(extension) ? PartKind.Media
            : artifact.Role switch
            {
                ArtifactRole.Code when !configuration => PartKind.Code,
                ArtifactRole.Docs => PartKind.Docs,
                ArtifactRole.Data when !configuration => PartKind.Data,
                ArtifactRole.Tokenizer => PartKind.Tokenizer,
                _ => PartKind.None,
            };
    }

    [Flags]
    private enum PartKind
    {
        None = 0,
        Code = 1,
        Docs = 2,
        Data = 4,
        Media = 8,
        Tokenizer = 16,
    }

    // What a license folder holds: its files, the parts among them, its weights and the first few of their paths.
    private sealed class Held
    {
        private readonly List<string> firstWeights = new(3);

        public int Files { get; private set; }

        public PartKind Kinds { get; private set; }

        public int Weights { get; private set; }

        public void Add(Inspection.Artifact artifact, PartKind kind)
        {
            this.Files++;
            this.Kinds |= kind;
            if (artifact.Role == ArtifactRole.Weights)
            {
                this.Weights++;
                if (this.firstWeights.Count < 3)
                {
                    this.firstWeights.Add(artifact.Path);
                }
            }
        }

        public string FewWeights() =>
            string.Join(", ", this.firstWeights.Select(p => $"'{p}'")) + (this.Weights > 3 ? $" and {this.Weights - 3} more" : "");
    }

    // The folder a path is in, with its trailing slash: "" at the root.
    private static string FolderOf(string path) => path[..(path.LastIndexOf('/') + 1)];

    // The name of the file a REUSE X.license file annotates (X), or null for another name.
    private static string? AnnotatedName(string name) =>
        name.Length > ".license".Length && name.EndsWith(".license", StringComparison.OrdinalIgnoreCase) ? name[..^".license".Length] : null;

    // Whether a path is a text of a REUSE LICENSES/ folder (LICENSES/Apache-2.0.txt, docs/LICENSES/MIT): the texts of
    // the licenses that the files' SPDX lines name. A README there says what the folder is.
    private static bool IsReuseText(string path)
    {
        var slash = path.LastIndexOf('/');
        var folderStart = slash <= 0 ? -1 : path.LastIndexOf('/', slash - 1) + 1;
        var extension = Path.GetExtension(path.AsSpan(slash + 1)).ToString();
        return folderStart >= 0 && path.AsSpan(folderStart, slash - folderStart).Equals("LICENSES", StringComparison.OrdinalIgnoreCase)
            && !path.AsSpan(slash + 1).StartsWith("README", StringComparison.OrdinalIgnoreCase)
            && !IsFileType(extension);
    }

    // Whether a name's ending makes it a file of a known type, not a license text: one of FileTypes but not of
    // TextEndings, and not in capitals (COPYING.LIB, LICENSE.CC and LICENSE.MIT qualify a license; license.cc is code).
    private static bool IsFileType(string extension) =>
        FileTypes.Contains(extension) && !TextEndings.Contains(extension) && extension.Any(char.IsLower);

    // Whether a license file's name says it is a template of the header that source files carry (LICENSE_HEADER.txt,
    // license-template.md): its SPDX line licenses the files that copy it, not its folder. A plain LICENSE or COPYING
    // whose only content is an SPDX line is its folder's license all the same: it is the file a reader looks for.
    private static bool IsHeaderTemplate(string name) =>
        LicenseStem().IsMatch(name) && QualifierWords(name).Any(HeaderWords.Contains);

    // The part of a release a license file's name limits it to (LICENSE-CODE.txt: CODE), or null when it names none,
    // or also the model (LICENSE-MODEL-CODE), or a license (LICENSE-APACHE, LICENSE.Apache-2.0), or is no license name
    // (a license_link's docs/code.md).
    internal static string? Part(string name)
    {
        var words = QualifierWords(name);
        return !LicenseStem().IsMatch(name) || words.Any(ModelParts.Contains) ? null : words.FirstOrDefault(Parts.Contains);
    }

    // The words of a license file's name, between its separators: LICENSE_CODE-MIT.txt is LICENSE, CODE, MIT, txt.
    private static string[] QualifierWords(string name) => name.Split('-', '_', '.', ' ');

    // LICENSE, LICENCE or COPYING, a number (COPYING3, LICENSE2), and a qualifier after -, _, . or a space (LICENSE-MIT,
    // COPYING.LIB, "LICENSE (Apache)"); not LICENSEE or LICENSES.
    [GeneratedRegex(@"^(?:LICEN[CS]E|COPYING)[0-9]*(?:[-_. (].*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex LicenseStem();

    // The marks that open a comment of any common kind (#, //, --, ;, %, /*, <!--, .. in reST; * continues one), and
    // those that close one (*/, -->).
    private const string CommentOpens = @"#+|//+|--|;+|%+|/\*+|<!--|\.\.";
    private const string CommentCloses = @"\*+/|-->";

    // An SPDX-License-Identifier line, in a comment of any common kind.
    // (The value is the rest of the line, its comment's closing marks taken off in code: a lazy match before optional
    // closers and blanks would try every split of a long run of blanks.)
    [GeneratedRegex(@"^[ \t]*(?:" + CommentOpens + @"|\*+)?[ \t]*SPDX-License-Identifier:(?<expression>[^\r\n]*)", RegexOptions.Multiline | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SpdxLine();

    // A line's comment marks: those that open it (a lone */ closing a block too), and those that close it.
    [GeneratedRegex(@"^[ \t]*(?:" + CommentOpens + @"|\*+/?)|(?:" + CommentCloses + @")[ \t]*\r?$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex CommentMarks();

    [GeneratedRegex(@"\(|\)|[^\s()]+", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SpdxToken();

    [GeneratedRegex(@"^(?:DocumentRef-[A-Za-z0-9.-]+:)?(?:LicenseRef-)?[A-Za-z0-9][A-Za-z0-9.-]*\+?$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SpdxId();

    [GeneratedRegex(@"^(?:```|~~~)[A-Za-z0-9_-]*$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex CodeFence();

    [GeneratedRegex(@"^/(?<owner>[^/]+)/(?<repo>[^/]+)/(?:blob|resolve|raw)/[^/]+/(?<path>.+)$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex HubFile();

    [GeneratedRegex(@"^/licenses/LICENSE-(\d\.\d)(?:\.(?:txt|html))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ApachePath();

    [GeneratedRegex(@"^/licenses?/([A-Za-z0-9.+-]+?)(?:\.php|\.html)?$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex OsiPath();

    [GeneratedRegex(@"^/licenses/([A-Za-z0-9.+-]+?)(?:\.html|\.json)?$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SpdxPath();

    [GeneratedRegex(@"^/licenses/([a-z0-9.+-]+)$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ChooseALicensePath();

    [GeneratedRegex(@"^/licenses/(by(?:-nc)?(?:-nd|-sa)?)/(\d\.\d)(?:/.*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex CreativeCommonsPath();
}

/// <summary>The release file a card's license_link names, and whether it surely is this release's (see <see cref="LicenseFileRules.LinkedPath"/>).</summary>
internal sealed record LinkedFile(string Path, bool Own);

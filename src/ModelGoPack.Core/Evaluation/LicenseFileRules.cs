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
    private static readonly HashSet<string> FileTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        // weights
        ".safetensors", ".gguf", ".ggml", ".bin", ".pt", ".pth", ".ckpt", ".onnx", ".h5", ".hdf5", ".keras", ".pb", ".tflite", ".mlmodel", ".engine", ".plan", ".msgpack", ".npz", ".npy", ".pkl", ".pickle", ".joblib",
        // code
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

    // Qualifiers that name a part of a release: LICENSE-CODE covers the code of its folder, not the weights beside it.
    private static readonly HashSet<string> Parts = new(StringComparer.OrdinalIgnoreCase)
    {
        "CODE", "SOURCE", "SOURCES", "SRC", "SCRIPT", "SCRIPTS", "TOOLS", "EXAMPLES", "SAMPLES", "NOTEBOOKS", "TESTS", "DOC", "DOCS", "DOCUMENTATION",
        "DATA", "DATASET", "DATASETS", "CORPUS", "ASSETS", "IMAGES", "MEDIA", "FONTS",
    };

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
        return LicenseStem().IsMatch(name) && (TextEndings.Contains(extension) || !FileTypes.Contains(extension));
    }

    /// <summary>
    /// The paths, among <paramref name="paths"/>, of the license files other than the root's license copy (those
    /// <see cref="ProjectLoader.LicenseFileNames"/> names), with the model card's license_link target (see
    /// <see cref="LinkedPath"/>); ordinal order.
    /// </summary>
    public static List<string> OtherLicenseFiles(IEnumerable<string> paths, ModelCard? card, ModelGoConfig config)
    {
        var link = card is null ? null : LinkedPath(card, config)?.Path;
        var result = new List<string>();
        foreach (var path in paths)
        {
            if (!ProjectLoader.LicenseFileNames.Contains(path, StringComparer.OrdinalIgnoreCase) && (IsLicenseName(path) || path == link))
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
    public static LinkedFile? LinkedPath(ModelCard card, ModelGoConfig config)
    {
        if (card.Values.GetValueOrDefault("license_link") is not { Length: > 0 } link)
        {
            return null;
        }

        if (Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            var repoFile = HubFile().Match(uri.AbsolutePath);
            var hub = uri.Host.Equals("huggingface.co", StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith(".huggingface.co", StringComparison.OrdinalIgnoreCase);
            if (!hub || !repoFile.Success)
            {
                return null;
            }

            var repo = repoFile.Groups["repo"].Value;
            var id = repoFile.Groups["owner"].Value + "/" + repo;
            var path = Uri.UnescapeDataString(repoFile.Groups["path"].Value);
            return string.Equals(RepoName(repo), RepoName(config.Name), StringComparison.OrdinalIgnoreCase) ? new LinkedFile(path, Own: true)
                : config.Upstream.Any(u => ModelCardRules.Names(id, u.Name, u.Url)) ? null
                : new LinkedFile(path, Own: false);
        }

        if (link.Contains("://", StringComparison.Ordinal) || link.StartsWith('/') || link.StartsWith('#'))
        {
            return null;
        }

        var relative = link.Split('#', '?')[0];
        while (relative.StartsWith("./", StringComparison.Ordinal))
        {
            relative = relative[2..];
        }

        return relative.Length == 0 || ProjectPath.IsRootedOrEscaping(relative) ? null : new LinkedFile(relative, Own: true);
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
        var config = project.Config;
        var shareAlike = config.IsDerivative || config.IsExtracted;

        // What each license file's folder holds, found in one pass over the files and one over the weights, each
        // path counted in every folder above it that holds a license file: not a pass per license file.
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var weightsIn = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (file, _) in project.OtherLicenseFiles)
        {
            counts[FolderOf(file.RelativePath)] = 0;
            weightsIn[FolderOf(file.RelativePath)] = [];
        }

        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in project.Files)
        {
            paths.Add(file.RelativePath);
            foreach (var folder in Folders(file.RelativePath))
            {
                if (counts.TryGetValue(folder, out var count))
                {
                    counts[folder] = count + 1;
                }
            }
        }

        var weightPaths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var artifact in project.Artifacts.Where(a => a.Role == ArtifactRole.Weights))
        {
            weightPaths.Add(artifact.Path);
            foreach (var folder in Folders(artifact.Path))
            {
                weightsIn.GetValueOrDefault(folder)?.Add(artifact.Path);
            }
        }

        foreach (var (file, identification) in project.OtherLicenseFiles)
        {
            var path = file.RelativePath;
            var folder = FolderOf(path);
            var annotated = AnnotatedName(path[folder.Length..]) is { } name ? folder + name : null;
            var part = annotated is null ? Part(path[folder.Length..]) : null;
            // A header's template, or a text of a REUSE LICENSES/ folder, is the text that files name by an SPDX line:
            // it licenses no folder by itself.
            var template = annotated is null && IsHeaderTemplate(path[folder.Length..]);
            var reuse = IsReuseText(path);
            var covers = reuse ? "the files that name it in an SPDX-License-Identifier line" : annotated ?? (folder.Length == 0 ? "the whole release" : folder);
            covers = part is null || reuse ? covers : $"the {part} of {covers}";
            switch (identification.Kind)
            {
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
                    else if (annotated is not null && !paths.Contains(annotated))
                    {
                        diagnostics.Add(DiagnosticCatalog.LicenseFileUnidentified,
                            $"{path} is the {license} license of {annotated}, a file the release does not hold; it covers no file. {DiagnosticCatalog.LicenseFileUnidentified.Help}",
                            path, line, 1);
                    }
                    else if (shareAlike && (annotated is null ? part is null && weightsIn[folder].Count > 0 : weightPaths.Contains(annotated)))
                    {
                        var weights = annotated is null ? $"{covers}, which holds the model weights {Few(weightsIn[folder])}" : $"the model weights '{annotated}'";
                        diagnostics.Add(DiagnosticCatalog.WeightsUnderOtherLicense,
                            $"{path} is the {license} license, and it covers {weights}; this project is {ObligationRules.Kind(config)} of an MG-BY-SA-2.0 model. {DiagnosticCatalog.WeightsUnderOtherLicense.Help}",
                            path, line, 1);
                    }
                    else
                    {
                        var count = counts[folder] - 1;
                        var what = annotated is not null ? $"it covers {annotated}, the file it annotates"
                            : part is not null ? $"its name limits it to {covers}"
                            : $"it covers {covers} ({count} other file{(count == 1 ? "" : "s")})";
                        diagnostics.Add(DiagnosticCatalog.PartUnderOtherLicense,
                            $"{path} is the {license} license; {what}. {DiagnosticCatalog.PartUnderOtherLicense.Help}", path, line, 1);
                    }

                    break;
                case LicenseMatchKind.Unknown:
                    diagnostics.Add(DiagnosticCatalog.LicenseFileUnidentified,
                        $"{path} is named like a license file, but ModelGoPack does not recognise its text; it would cover {covers}. {DiagnosticCatalog.LicenseFileUnidentified.Help}",
                        path, 1, 1);
                    break;
            }
        }
    }

    /// <summary>
    /// Identifies a license file's text; a text it does not recognise that holds an SPDX-License-Identifier line (as a
    /// REUSE <c>.license</c> file does) is the license that line names, with <see cref="LicenseIdentification.Line"/>
    /// the line's number (a license known by its text has line 0): that line is then the file's only license evidence.
    /// </summary>
    public static LicenseIdentification Identify(byte[] bytes)
    {
        var identification = LicenseIdentifier.Identify(bytes);
        var text = TextDecoder.Decode(bytes);
        if (identification.Kind != LicenseMatchKind.Unknown || SpdxLine().Match(text) is not { Success: true } spdx)
        {
            return identification;
        }

        var id = spdx.Groups[1].Value;
        var line = text.AsSpan(0, spdx.Groups[1].Index).Count('\n') + 1;
        return string.Equals(id, LicenseText.Id, StringComparison.OrdinalIgnoreCase) ? new LicenseIdentification(LicenseMatchKind.Canonical) : new LicenseIdentification(LicenseMatchKind.Other, id, Line: line);
    }

    // The folder a path is in, with its trailing slash: "" at the root.
    private static string FolderOf(string path) => path[..(path.LastIndexOf('/') + 1)];

    // Every folder a path is in, the root ("") first.
    private static IEnumerable<string> Folders(string path)
    {
        yield return "";
        for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash != -1; slash = path.IndexOf('/', slash + 1))
        {
            yield return path[..(slash + 1)];
        }
    }

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
            && (extension.Length == 0 || TextEndings.Contains(extension) || !FileTypes.Contains(extension));
    }

    // Whether a license file's name says it is a template of the header that source files carry (LICENSE_HEADER.txt,
    // license-template.md): its SPDX line licenses the files that copy it, not its folder. A plain LICENSE or COPYING
    // whose only content is an SPDX line is its folder's license all the same: it is the file a reader looks for.
    private static bool IsHeaderTemplate(string name) =>
        LicenseStem().IsMatch(name) && name.Split('-', '_', '.', ' ').Any(HeaderWords.Contains);

    // The part of a release a license file's name limits it to (LICENSE-CODE.txt: CODE), or null when it names none,
    // or also the model (LICENSE-MODEL-CODE), or a license (LICENSE-APACHE, LICENSE.Apache-2.0), or is no license name
    // (a license_link's docs/code.md).
    internal static string? Part(string name)
    {
        var words = name.Split('-', '_', '.', ' ');
        return !LicenseStem().IsMatch(name) || words.Any(ModelParts.Contains) ? null : words.FirstOrDefault(Parts.Contains);
    }

    private static string Few(List<string> paths) =>
        string.Join(", ", paths.Take(3).Select(p => $"'{p}'")) + (paths.Count > 3 ? $" and {paths.Count - 3} more" : "");

    [GeneratedRegex(@"^(?:LICEN[CS]E|COPYING)(?:[-_.].*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex LicenseStem();

    [GeneratedRegex(@"^[ \t]*(?:#|//|--)?[ \t]*SPDX-License-Identifier:[ \t]*([A-Za-z0-9.+-]+)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SpdxLine();

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

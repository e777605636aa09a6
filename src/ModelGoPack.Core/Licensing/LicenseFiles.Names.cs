using System.Text.RegularExpressions;
using ModelGoPack.Inspection;

namespace ModelGoPack.Licensing;

/// <summary>
/// License files of a release: which files are license files, by name (this file), what a model card's license_link
/// names (LicenseFiles.Links.cs), and what a license file's text is, by its text or its SPDX lines
/// (LicenseFiles.Spdx.cs). Facts, not verdicts: the rules over them are in Rules/LicenseCopy.cs (clause 2.2(a)(i) and
/// Section 6) and Rules/ShareAlike.cs (clause 2.2(a)(vi)).
/// </summary>
internal static partial class LicenseFiles
{
    /// <summary>Root file names read as the project's (or a bundle's) license copy.</summary>
    public static readonly string[] CopyNames = ["LICENSE", "LICENSE.txt", "LICENSE.md", "LICENCE", "LICENCE.txt", "LICENCE.md"];

    /// <summary>Whether a path is a root license copy: one of <see cref="CopyNames"/>, in any case.</summary>
    public static bool IsLicenseCopy(string path) => CopyNames.Contains(path, StringComparer.OrdinalIgnoreCase);

    // The endings of a license text: read as one (and .license, a REUSE file's).
    internal static readonly HashSet<string> TextEndings = new(StringComparer.OrdinalIgnoreCase)
    {
        ".txt", ".md", ".markdown", ".rst", ".html", ".htm",
    };

    // The endings of a file of a known type (weights, code, data, media, archives, binaries, documents): what ends
    // so is that kind of file, not a license text, unless the ending is one of TextEndings. Any other "ending" is a
    // qualifier of the name (LICENSE.Apache-2.0, COPYING.LESSER, LICENSE.zlib).
    internal static readonly HashSet<string> FileTypes = new(FileKinds.WeightEndings, StringComparer.OrdinalIgnoreCase)
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
    internal static readonly HashSet<string> Parts = new(StringComparer.OrdinalIgnoreCase)
    {
        "CODE", "SOURCE", "SOURCES", "SRC", "SCRIPT", "SCRIPTS", "TOOLS", "EXAMPLES", "SAMPLES", "NOTEBOOKS", "TESTS", "DOC", "DOCS", "DOCUMENTATION",
        "DATA", "DATASET", "DATASETS", "CORPUS", "ASSETS", "IMAGES", "MEDIA", "FONTS", "TOKENIZER", "THIRD", "THIRDPARTY", "3RD", "3RDPARTY",
    };

    // The endings of media files (what ASSETS, IMAGES, MEDIA and FONTS name), and of configuration files (no part).
    internal static readonly HashSet<string> MediaEndings = new(StringComparer.OrdinalIgnoreCase)
    {
        ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".tif", ".tiff", ".ico", ".mp3", ".wav", ".flac", ".ogg", ".mp4", ".webm", ".mov", ".avi", ".ttf", ".otf", ".woff", ".woff2",
    };

    internal static readonly HashSet<string> ConfigEndings = new(StringComparer.OrdinalIgnoreCase) { ".json", ".yaml", ".yml", ".toml", ".cfg", ".ini", ".conf" };

    // A header template is at most this long; a longer text is a license whatever its name says.
    internal const int HeaderBytes = 2048;

    // Qualifiers that name a template of a source file's license header, not a license.
    internal static readonly HashSet<string> HeaderWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "HEADER", "HEADERS", "TEMPLATE", "TEMPLATES", "BOILERPLATE",
    };

    // Qualifiers that name the model itself: LICENSE-MODEL-CODE still covers its folder, weights and all.
    internal static readonly HashSet<string> ModelParts = new(StringComparer.OrdinalIgnoreCase)
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
    /// <see cref="IsLicenseCopy"/>), with <paramref name="link"/>, the model card's license_link target
    /// (see <see cref="LinkedPath"/>); ordinal order.
    /// </summary>
    public static List<string> OtherLicenseFiles(IEnumerable<string> paths, string? link)
    {
        var result = new List<string>();
        foreach (var path in paths)
        {
            if (!IsLicenseCopy(path) && (IsLicenseName(path) || path == link))
            {
                result.Add(path);
            }
        }

        result.Sort(StringComparer.Ordinal);
        return result;
    }

    // The folder a path is in, with its trailing slash: "" at the root.
    internal static string FolderOf(string path) => path[..(path.LastIndexOf('/') + 1)];

    // The name of the file a REUSE X.license file annotates (X), or null for another name.
    internal static string? AnnotatedName(string name) =>
        name.Length > ".license".Length && name.EndsWith(".license", StringComparison.OrdinalIgnoreCase) ? name[..^".license".Length] : null;

    // Whether a path is a text of a REUSE LICENSES/ folder (LICENSES/Apache-2.0.txt, docs/LICENSES/MIT): the texts of
    // the licenses that the files' SPDX lines name. A README there says what the folder is.
    internal static bool IsReuseText(string path)
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
    internal static bool IsFileType(string extension) =>
        FileTypes.Contains(extension) && !TextEndings.Contains(extension) && extension.Any(char.IsLower);

    // Whether a license file's name says it is a template of the header that source files carry (LICENSE_HEADER.txt,
    // license-template.md): its SPDX line licenses the files that copy it, not its folder. A plain LICENSE or COPYING
    // whose only content is an SPDX line is its folder's license all the same: it is the file a reader looks for.
    internal static bool IsHeaderTemplate(string name) =>
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
    internal static string[] QualifierWords(string name) => name.Split('-', '_', '.', ' ');

    // LICENSE, LICENCE or COPYING, a number (COPYING3, LICENSE2), and a qualifier after -, _, . or a space (LICENSE-MIT,
    // COPYING.LIB, "LICENSE (Apache)"); not LICENSEE or LICENSES.
    [GeneratedRegex(@"^(?:LICEN[CS]E|COPYING)[0-9]*(?:[-_. (].*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    internal static partial Regex LicenseStem();
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelGoPack.Diagnostics;
using NuGet.Packaging;
using NuGet.Versioning;

namespace ModelGoPack.Config;

/// <summary>
/// Reads and validates <c>modelgo.json</c>. Every problem becomes a diagnostic that names the file,
/// the key and its line; unknown keys are errors so that a typo never passes silently.
/// </summary>
internal sealed class ConfigReader
{
    public const string DefaultLicense = "MG-BY-SA-2.0";

    private const int MaxConfigBytes = 16 * 1024 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 32,
    };

    internal static readonly string[] RootKeys = ["$schema", "name", "version", "license", "copyright", "releaseDate", "upstream", "modifications", "include", "exclude", "waivers"];
    internal static readonly string[] UpstreamKeys = ["name", "version", "url", "license", "licensor", "relation", "method", "notices", "datasets", "manifest", "bundle", "git", "repository", "revision", "releaseDate"];
    internal static readonly string[] ModificationKeys = ["date", "description", "paths", "upstream"];
    internal static readonly string[] WaiverKeys = ["code", "path", "justification"];

    // What a bundle's manifest records of an upstream besides its declaration: never keys of modelgo.json.
    private static readonly string[] ManifestUpstreamKeys = [.. UpstreamKeys, "manifestSha256", "removed", "releaseNotices"];

    private readonly DiagnosticBag diagnostics;
    private readonly Dictionary<string, string> origins = new(StringComparer.Ordinal);
    private JsonLocationMap locations = JsonLocationMap.Empty;
    private string? overrideSource;

    // Reading a bundle's manifest: its upstream entries may hold what pack recorded (manifestSha256, removed).
    private bool manifest;

    private ConfigReader(DiagnosticBag diagnostics) => this.diagnostics = diagnostics;

    /// <summary>The config's path relative to the project root, as diagnostics report it.</summary>
    public static string RelativePath => ModelGoConfig.FileName;

    /// <summary>Reads <c>modelgo.json</c> from <paramref name="projectDirectory"/>; null when it has errors.</summary>
    public static ConfigSource? Read(string projectDirectory, DiagnosticBag diagnostics) => Read(projectDirectory, null, diagnostics);

    /// <summary>
    /// Reads <c>modelgo.json</c> and applies a host's <paramref name="overrides"/>; with overrides the file
    /// may be absent. Null when there are errors.
    /// </summary>
    public static ConfigSource? Read(string projectDirectory, ConfigOverrides? overrides, DiagnosticBag diagnostics)
    {
        var path = Path.Combine(projectDirectory, ModelGoConfig.FileName);
        if (!File.Exists(path) && overrides is not null)
        {
            return Parse("{}"u8, overrides, diagnostics, fileExists: false);
        }

        if (!File.Exists(path))
        {
            diagnostics.Add(DiagnosticCatalog.ConfigMissing,
                $"No {ModelGoConfig.FileName} in '{projectDirectory}'. {DiagnosticCatalog.ConfigMissing.Help}", RelativePath);
            return null;
        }

        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Length > MaxConfigBytes)
            {
                diagnostics.Add(DiagnosticCatalog.ConfigMalformed, $"{ModelGoConfig.FileName} is {info.Length} bytes; a config is at most {MaxConfigBytes} bytes.", RelativePath);
                return null;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(DiagnosticCatalog.FileUnreadable, $"Cannot read {ModelGoConfig.FileName}: {e.Message}", RelativePath);
            return null;
        }

        return Parse(bytes, overrides, diagnostics);
    }

    /// <summary>Parses config bytes (UTF-8, optional BOM); null when they have errors.</summary>
    public static ConfigSource? Parse(ReadOnlySpan<byte> bytes, DiagnosticBag diagnostics) => Parse(bytes, null, diagnostics);

    /// <summary>Parses config bytes and applies <paramref name="overrides"/>; null when there are errors.</summary>
    public static ConfigSource? Parse(ReadOnlySpan<byte> bytes, ConfigOverrides? overrides, DiagnosticBag diagnostics, bool fileExists = true, bool manifest = false)
    {
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            diagnostics.Add(DiagnosticCatalog.ConfigMalformed, $"{ModelGoConfig.FileName} is not UTF-8 text (invalid byte at offset {e.Index}). Save it as UTF-8.", RelativePath);
            return null;
        }

        // Written as characters or as \u escapes, a bidirectional control makes a notice render otherwise than it reads.
        var bidi = ProjectPath.BidiControlOrEscape().Match(text);
        if (bidi.Success)
        {
            var codePoint = bidi.Value.Length == 1 ? bidi.Value[0] : Convert.ToInt32(bidi.Value[2..], 16);
            var (line, column) = ProjectPath.LineAndColumn(text, bidi.Index);
            diagnostics.Add(DiagnosticCatalog.BidiControl, $"{ModelGoConfig.FileName} holds U+{codePoint:X4}, an invisible bidirectional control. {DiagnosticCatalog.BidiControl.Help}", RelativePath, line, column);
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes.ToArray(), DocumentOptions);
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0) + 1;
            var column = (int)(e.BytePositionInLine ?? 0) + 1;
            diagnostics.Add(DiagnosticCatalog.ConfigMalformed, $"{ModelGoConfig.FileName} is not valid JSON: {FirstSentence(e.Message)}", RelativePath, line, column);
            return null;
        }

        using (document)
        {
            var reader = new ConfigReader(diagnostics)
            {
                manifest = manifest,
                locations = fileExists
                    ? JsonLocationMap.TryBuild(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = DocumentOptions.MaxDepth })
                    : JsonLocationMap.Empty,
            };
            var root = document.RootElement;
            if (InvalidUnicode(root, "$") is { } invalid)
            {
                reader.Error(DiagnosticCatalog.ConfigInvalidValue, invalid,
                    $"{ModelGoConfig.FileName} holds a key or string that is not valid Unicode text (a lone surrogate escape such as \\ud800).");
                return null;
            }

            var before = diagnostics.Items.Count;
            var fileReleases = fileExists ? ReleaseLocations(root) : [];
            if (overrides is not null && root.ValueKind == JsonValueKind.Object)
            {
                root = reader.Apply(root, overrides);
            }

            var config = reader.BindRoot(root);
            var failed = diagnostics.Items.Skip(before).Any(d => d.Severity == Severity.Error);
            if (config is null && !failed)
            {
                // Every path to a null config reports why; this keeps a missed one from passing as compliant.
                diagnostics.Add(DiagnosticCatalog.ConfigInvalidValue, $"{ModelGoConfig.FileName} could not be read as a config.", RelativePath);
            }

            return failed || config is null ? null : new ConfigSource(config, reader.locations, reader.origins, overrides?.Source) { FileReleaseLocations = fileReleases };
        }
    }

    /// <summary>The release locations the file itself names (<c>upstream[].bundle</c>, <c>manifest</c>, <c>repository</c>), before a host's values replace its upstream list.</summary>
    private static List<(string Upstream, string Location)> ReleaseLocations(JsonElement root)
    {
        var found = new List<(string, string)>();
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("upstream", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object))
            {
                var name = entry.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "?";
                foreach (var key in new[] { "bundle", "manifest", "repository" })
                {
                    if (entry.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } location && !ProjectPath.HasControlCharacters(location))
                    {
                        found.Add((name, location));
                    }
                }
            }
        }

        return found;
    }

    /// <summary>The path of the first key or string that cannot be decoded (a lone surrogate), or null.</summary>
    private static string? InvalidUnicode(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return TryGetString(element, out _) ? null : path;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (InvalidUnicode(item, $"{path}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return path;
                    }

                    if (InvalidUnicode(property.Value, $"{path}.{name}") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>Applies a host's values key by key; remembers which keys they set, for diagnostics.</summary>
    private JsonElement Apply(JsonElement root, ConfigOverrides overrides)
    {
        var merged = JsonObject.Create(root)!;
        foreach (var (key, value) in overrides.Fallbacks)
        {
            if (!merged.ContainsKey(key) && value.Value is not null)
            {
                merged[key] = value.Value.DeepClone();
                this.origins[key] = value.Origin;
            }
        }

        foreach (var (key, value) in overrides.Values)
        {
            merged[key] = value.Value?.DeepClone();
            this.origins[key] = value.Origin;
        }

        this.overrideSource = overrides.Source;

        // A host's value renders in the NOTICE as modelgo.json's does: no invisible bidirectional controls either.
        foreach (var (key, value) in merged.Where(p => this.origins.ContainsKey(p.Key)))
        {
            if (BidiText(value) is { } text)
            {
                var index = ProjectPath.IndexOfBidiControl(text);
                this.Error(DiagnosticCatalog.BidiControl, $"$.{key}",
                    $"The value of \"{key}\" holds U+{(int)text[index]:X4}, an invisible bidirectional control, in '{ProjectPath.ShowBidi(text)}'. {DiagnosticCatalog.BidiControl.Help}");
            }
        }

        return JsonSerializer.SerializeToElement(merged);
    }

    // The first string in a value that holds a bidirectional control, or null.
    private static string? BidiText(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => ProjectPath.IndexOfBidiControl(text) >= 0 ? text : null,
        JsonArray array => array.Select(BidiText).FirstOrDefault(t => t is not null),
        JsonObject obj => obj.Select(p => BidiText(p.Value)).FirstOrDefault(t => t is not null),
        _ => null,
    };

    private ModelGoConfig? BindRoot(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            this.Error(DiagnosticCatalog.ConfigWrongType, "$", $"The config must be a JSON object, not {Describe(root.ValueKind)}.");
            return null;
        }

        this.CheckKeys(root, "$", RootKeys);
        _ = this.OptionalString(root, "$", "$schema");
        var name = this.RequiredString(root, "$", "name");
        var versionText = this.RequiredString(root, "$", "version");
        var license = this.OptionalString(root, "$", "license") ?? DefaultLicense;
        var copyright = this.StringList(root, "$", "copyright") ?? [];
        var releaseDate = this.OptionalDate(root, "$", "releaseDate");
        var include = this.StringList(root, "$", "include") ?? ["**/*"];
        var exclude = this.StringList(root, "$", "exclude") ?? [];

        if (name is not null && !PackageIdValidator.IsValidPackageId(name))
        {
            this.Error(DiagnosticCatalog.ConfigInvalidValue, "$.name",
                $"\"name\" '{name}' is not a valid package id: use letters, digits, '.', '-' and '_', at most {PackageIdValidator.MaxPackageIdLength} characters.");
        }

        NuGetVersion? version = null;
        if (versionText is not null && !NuGetVersion.TryParse(versionText, out version))
        {
            this.Error(DiagnosticCatalog.ConfigInvalidValue, "$.version", $"\"version\" '{versionText}' is not a semantic version (for example 1.0.0 or 2.1.0-rc.1).");
        }

        for (var i = 0; i < include.Count; i++)
        {
            this.CheckGlob(include[i], $"$.include[{i}]");
        }

        for (var i = 0; i < exclude.Count; i++)
        {
            this.CheckGlob(exclude[i], $"$.exclude[{i}]");
        }

        var upstream = this.ObjectList(root, "$", "upstream", this.BindUpstream);
        var modifications = this.ObjectList(root, "$", "modifications", this.BindModification);
        var waivers = this.ObjectList(root, "$", "waivers", this.BindWaiver);

        if (name is null || version is null)
        {
            return null;
        }

        return new ModelGoConfig
        {
            Name = name,
            Version = version,
            License = license,
            Copyright = copyright,
            ReleaseDate = releaseDate,
            Upstream = upstream,
            Modifications = modifications,
            Include = include,
            Exclude = exclude,
            Waivers = waivers,
        };
    }

    private UpstreamDeclaration? BindUpstream(JsonElement element, string path)
    {
        this.CheckKeys(element, path, this.manifest ? ManifestUpstreamKeys : UpstreamKeys);
        var name = this.RequiredString(element, path, "name");
        var version = this.OptionalString(element, path, "version");
        var url = this.OptionalString(element, path, "url");
        var license = this.OptionalString(element, path, "license") ?? DefaultLicense;
        var licensor = this.OptionalString(element, path, "licensor");
        var relationText = this.RequiredString(element, path, "relation");
        var method = this.OptionalString(element, path, "method");
        var notices = this.StringList(element, path, "notices") ?? [];
        var datasets = this.StringList(element, path, "datasets") ?? [];
        var manifest = this.OptionalString(element, path, "manifest") is { } m ? this.CheckReleasePath(m, path + ".manifest") : null;
        var bundle = this.OptionalString(element, path, "bundle") is { } b ? this.CheckReleasePath(b, path + ".bundle") : null;
        var git = this.OptionalString(element, path, "git");
        var repository = this.OptionalString(element, path, "repository") is { } r ? this.CheckReleasePath(r, path + ".repository") : null;
        var revision = this.OptionalString(element, path, "revision");
        var releaseDate = this.OptionalDate(element, path, "releaseDate");
        var manifestSha256 = this.manifest ? this.OptionalString(element, path, "manifestSha256") : null;
        var removed = this.manifest ? this.StringList(element, path, "removed") ?? [] : [];
        var releaseNotices = this.manifest ? this.StringList(element, path, "releaseNotices") ?? [] : [];
        if (new[] { manifest, bundle, git }.Count(v => v is not null) > 1)
        {
            this.Error(DiagnosticCatalog.ConfigInvalidValue, path, "Give an upstream one of \"manifest\", \"bundle\" or \"git\", not several.");
        }

        if (repository is not null && git is null)
        {
            this.Error(DiagnosticCatalog.ConfigInvalidValue, path + ".repository", "\"repository\" names the local clone in which \"git\" is looked up; give \"git\" (a commit, tag or branch of that clone) too.");
        }

        if (revision is not null && (revision.Length > 256 || ProjectPath.HasControlCharacters(revision)))
        {
            this.Error(DiagnosticCatalog.ConfigInvalidValue, path + ".revision", $"\"revision\" '{ProjectPath.Printable(revision)}' is not a commit, tag or version name (at most 256 characters, no control characters).");
        }

        if (manifestSha256 is not null && !Hashing.Sha256Digest.TryParse(manifestSha256, out _))
        {
            this.Error(DiagnosticCatalog.ConfigInvalidValue, path + ".manifestSha256", $"\"manifestSha256\" '{ProjectPath.Printable(manifestSha256)}' is not a SHA-256 (64 hexadecimal digits).");
        }

        if (git is not null && (git.StartsWith('-') || ProjectPath.HasControlCharacters(git)))
        {
            this.Error(DiagnosticCatalog.ConfigInvalidValue, path + ".git", $"\"git\" '{ProjectPath.Printable(git)}' is not a commit or tag name.");
        }

        if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
        {
            this.Error(DiagnosticCatalog.ConfigInvalidValue, path + ".url", $"\"url\" '{url}' is not an absolute http(s) URL.");
        }

        UpstreamRelation? relation = relationText switch
        {
            null => null,
            "derivative" => UpstreamRelation.Derivative,
            "extracted" => UpstreamRelation.Extracted,
            _ => null,
        };
        if (relationText is not null && relation is null)
        {
            this.Error(DiagnosticCatalog.ConfigInvalidValue, path + ".relation",
                $"\"relation\" '{relationText}' is neither \"derivative\" (you modified the upstream's materials) nor \"extracted\" (you made a model from its Output).");
        }

        var normalizedNotices = new List<string>(notices.Count);
        for (var i = 0; i < notices.Count; i++)
        {
            var notice = this.CheckRelativePath(notices[i], $"{path}.notices[{i}]");
            if (notice is not null)
            {
                normalizedNotices.Add(notice);
            }
        }

        return name is null || relation is null
            ? null
            : new UpstreamDeclaration
            {
                Name = name,
                Version = version,
                Url = url,
                License = license,
                Licensor = licensor,
                Relation = relation.Value,
                Method = method,
                Notices = normalizedNotices,
                Datasets = datasets,
                Manifest = manifest,
                Bundle = bundle,
                Git = git,
                Repository = repository,
                Revision = revision,
                ManifestSha256 = manifestSha256?.ToLowerInvariant(),
                Removed = removed,
                ReleaseNotices = releaseNotices,
                ReleaseDate = releaseDate,
                JsonPath = path,
            };
    }

    private ModificationDeclaration? BindModification(JsonElement element, string path)
    {
        this.CheckKeys(element, path, ModificationKeys);
        var date = this.Required(element, path, "date", " Clause 2.2(a)(ii) requires the date (yyyy-MM-dd) of each modification.")
            ? this.OptionalDate(element, path, "date")
            : null;

        var description = this.RequiredString(element, path, "description");
        var paths = this.StringList(element, path, "paths") ?? [];
        var upstream = this.OptionalString(element, path, "upstream");
        for (var i = 0; i < paths.Count; i++)
        {
            this.CheckGlob(paths[i], $"{path}.paths[{i}]");
        }

        return date is null || description is null
            ? null
            : new ModificationDeclaration { Date = date.Value, Description = description, Paths = paths, Upstream = upstream, JsonPath = path };
    }

    private WaiverDeclaration? BindWaiver(JsonElement element, string path)
    {
        this.CheckKeys(element, path, WaiverKeys);
        var code = this.RequiredString(element, path, "code");
        var glob = this.OptionalString(element, path, "path");
        string? justification = null;
        if (!element.TryGetProperty("justification", out var value) || value.ValueKind == JsonValueKind.Null
            || (value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString())))
        {
            this.Error(DiagnosticCatalog.WaiverWithoutJustification, path,
                $"The waiver of {code ?? "a finding"} has no \"justification\". {DiagnosticCatalog.WaiverWithoutJustification.Help}");
        }
        else
        {
            justification = this.OptionalString(element, path, "justification");
        }

        if (code is not null && !DiagnosticCatalog.All.Any(d => d.Code == code && d.Kind == DiagnosticKind.Compliance))
        {
            this.Error(DiagnosticCatalog.ConfigInvalidValue, path + ".code",
                $"\"code\" '{code}' is not a compliance finding that can be waived (MGP1xxx to MGP7xxx; config and input errors cannot be waived).");
            code = null;
        }

        if (glob is not null)
        {
            this.CheckGlob(glob, path + ".path");
        }

        return code is null || justification is null
            ? null
            : new WaiverDeclaration { Code = code, Path = glob is null ? null : ProjectPath.Normalize(glob), Justification = justification, JsonPath = path };
    }

    private void CheckKeys(JsonElement element, string path, string[] known)
    {
        foreach (var property in element.EnumerateObject())
        {
            string name;
            try
            {
                name = property.Name;
            }
            catch (InvalidOperationException)
            {
                this.Error(DiagnosticCatalog.ConfigInvalidValue, path, $"A key in {(path == "$" ? "the config" : path[2..])} is not valid Unicode text (it holds a lone surrogate escape).");
                continue;
            }

            if (Array.IndexOf(known, name) < 0)
            {
                var suggestion = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase) || Distance(k, name) <= 2);
                this.Error(DiagnosticCatalog.ConfigUnknownKey, $"{path}.{name}",
                    $"Unknown key '{name}' in {(path == "$" ? "the config" : path[2..])}{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")} Known keys: {string.Join(", ", known)}.");
            }
        }
    }

    private string? RequiredString(JsonElement element, string path, string key) =>
        this.Required(element, path, key) ? this.OptionalString(element, path, key) : null;

    /// <summary>Whether a required key is present and not null; reports it when it is not.</summary>
    private bool Required(JsonElement element, string path, string key, string? why = null)
    {
        if (!element.TryGetProperty(key, out var value))
        {
            this.Error(DiagnosticCatalog.ConfigMissingKey, path, $"Required key \"{key}\" is missing{(path == "$" ? "" : " in " + path[2..])}.{why}");
            return false;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            this.Error(DiagnosticCatalog.ConfigWrongType, $"{path}.{key}", $"Required key \"{key}\" is null; it must be a string.{why}");
            return false;
        }

        return true;
    }

    private string? OptionalString(JsonElement element, string path, string key)
    {
        if (!element.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            this.Error(DiagnosticCatalog.ConfigWrongType, $"{path}.{key}", $"\"{key}\" must be a string, not {Describe(value.ValueKind)}.");
            return null;
        }

        if (!TryGetString(value, out var text))
        {
            this.Error(DiagnosticCatalog.ConfigInvalidValue, $"{path}.{key}", $"\"{key}\" is not valid Unicode text (it holds a lone surrogate escape such as \\ud800).");
            return null;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            this.Error(DiagnosticCatalog.ConfigInvalidValue, $"{path}.{key}", $"\"{key}\" is empty.");
            return null;
        }

        return text;
    }

    private DateOnly? OptionalDate(JsonElement element, string path, string key)
    {
        var text = this.OptionalString(element, path, key);
        if (text is null)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            this.Error(DiagnosticCatalog.ConfigInvalidValue, $"{path}.{key}", $"\"{key}\" '{text}' is not an ISO 8601 date (yyyy-MM-dd, for example 2026-05-01).");
            return null;
        }

        return date;
    }

    private List<string>? StringList(JsonElement element, string path, string key)
    {
        if (!element.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            this.Error(DiagnosticCatalog.ConfigWrongType, $"{path}.{key}", $"\"{key}\" must be an array of strings, not {Describe(value.ValueKind)}.");
            return null;
        }

        var list = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = $"{path}.{key}[{index++}]";
            if (item.ValueKind != JsonValueKind.String)
            {
                this.Error(DiagnosticCatalog.ConfigWrongType, itemPath, $"Each item of \"{key}\" must be a non-empty string, not {Describe(item.ValueKind)}.");
                continue;
            }

            if (!TryGetString(item, out var text) || string.IsNullOrWhiteSpace(text))
            {
                this.Error(DiagnosticCatalog.ConfigInvalidValue, itemPath, $"Each item of \"{key}\" must be non-empty, valid Unicode text.");
                continue;
            }

            list.Add(text);
        }

        return list;
    }

    private List<T> ObjectList<T>(JsonElement element, string path, string key, Func<JsonElement, string, T?> bind)
        where T : class
    {
        var list = new List<T>();
        if (!element.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return list;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            this.Error(DiagnosticCatalog.ConfigWrongType, $"{path}.{key}", $"\"{key}\" must be an array of objects, not {Describe(value.ValueKind)}.");
            return list;
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = $"{path}.{key}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                this.Error(DiagnosticCatalog.ConfigWrongType, itemPath, $"Each item of \"{key}\" must be an object, not {Describe(item.ValueKind)}.");
                continue;
            }

            if (bind(item, itemPath) is { } bound)
            {
                list.Add(bound);
            }
        }

        return list;
    }

    private static bool TryGetString(JsonElement element, out string text)
    {
        try
        {
            text = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    private void CheckGlob(string glob, string path)
    {
        if (ProjectPath.HasControlCharacters(glob))
        {
            this.Error(DiagnosticCatalog.ConfigInvalidValue, path, $"'{ProjectPath.Printable(glob)}' holds a control character; a path or glob cannot.");
        }
        else if (ProjectPath.IsRootedOrEscaping(glob))
        {
            this.Error(DiagnosticCatalog.ConfigInvalidValue, path, $"'{glob}' must be relative to the project root and stay inside it (no leading '/', drive letter or '..').");
        }
    }

    /// <summary>
    /// A release's location: relative to the project root (it may lie outside it), absolute, or under the home
    /// folder (<c>~/</c>). Kept as written; <see cref="Releases.ReleaseLocation"/> resolves it.
    /// </summary>
    private string? CheckReleasePath(string value, string path)
    {
        if (ProjectPath.HasControlCharacters(value) || value.Trim().Length == 0)
        {
            this.Error(DiagnosticCatalog.ConfigInvalidValue, path, $"'{ProjectPath.Printable(value)}' is not a path: it is blank or holds a control character.");
            return null;
        }

        return value;
    }

    private string? CheckRelativePath(string value, string path)
    {
        if (ProjectPath.HasControlCharacters(value))
        {
            this.Error(DiagnosticCatalog.ConfigInvalidValue, path, $"'{ProjectPath.Printable(value)}' holds a control character; a path cannot.");
            return null;
        }

        if (ProjectPath.IsRootedOrEscaping(value))
        {
            this.Error(DiagnosticCatalog.ConfigInvalidValue, path, $"'{value}' must be a path relative to the project root that stays inside it.");
            return null;
        }

        return ProjectPath.Normalize(value);
    }

    private void Error(DiagnosticDescriptor descriptor, string jsonPath, string message)
    {
        var (path, line, column) = ConfigSource.Where(jsonPath, this.locations, this.origins, this.overrideSource, ref message);
        this.diagnostics.Add(descriptor, message, path, line, column);
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        }

        return (cut < 0 ? message : message[..cut]).Trim();
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}

/// <summary>A validated config, where each key stands in modelgo.json, and which keys a host supplied.</summary>
internal sealed record ConfigSource(ModelGoConfig Config, JsonLocationMap Locations, IReadOnlyDictionary<string, string> Origins, string? OverrideSource)
{
    public ConfigSource(ModelGoConfig config, JsonLocationMap locations)
        : this(config, locations, new Dictionary<string, string>(), null)
    {
    }

    /// <summary>The file the config was read from: modelgo.json, or a bundle's manifest that verify read as one.</summary>
    public string FileName { get; init; } = ModelGoConfig.FileName;

    /// <summary>Where the file itself says upstream releases are (by upstream name), whatever a host put in place of its upstream list.</summary>
    public IReadOnlyList<(string Upstream, string Location)> FileReleaseLocations { get; init; } = [];

    /// <summary>Where a config value was given: modelgo.json with its line, or the host's file.</summary>
    public (string Path, int Line, int Column) Locate(string jsonPath)
    {
        var message = "";
        var found = Where(jsonPath, this.Locations, this.Origins, this.OverrideSource, ref message);
        return found.Path == ModelGoConfig.FileName ? found with { Path = this.FileName } : found;
    }

    /// <summary>Where a value came from; appends the host origin to <paramref name="message"/> when a host set it.</summary>
    public static (string Path, int Line, int Column) Where(string jsonPath, JsonLocationMap locations, IReadOnlyDictionary<string, string> origins, string? overrideSource, ref string message)
    {
        var key = TopLevelKey(jsonPath);
        if (key is not null && overrideSource is not null && origins.TryGetValue(key, out var origin))
        {
            message += $" (Set by {origin}.)";
            return (overrideSource, 0, 0);
        }

        var (line, column) = locations.Find(jsonPath);
        return (ModelGoConfig.FileName, line, column);
    }

    private static string? TopLevelKey(string jsonPath)
    {
        if (!jsonPath.StartsWith("$.", StringComparison.Ordinal))
        {
            return null;
        }

        var end = jsonPath.IndexOfAny(['.', '['], 2);
        return end < 0 ? jsonPath[2..] : jsonPath[2..end];
    }
}

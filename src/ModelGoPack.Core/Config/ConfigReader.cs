using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelGoPack.Diagnostics;

namespace ModelGoPack.Config;

/// <summary>
/// Reads and validates <c>modelgo.json</c>. Every problem becomes a diagnostic that names the file,
/// the key and its line; unknown keys are errors so that a typo never passes silently. Split by operation:
/// this file reads the bytes as JSON and applies a host's values; ConfigReader.Declarations.cs binds the root,
/// the modifications and the waivers; ConfigReader.Upstream.cs an upstream; ConfigReader.Values.cs the values
/// by type, the keys and the paths. The key lists agree with modelgo.json's schema (ConfigReaderSchemaTests).
/// </summary>
internal sealed partial class ConfigReader
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
            diagnostics.Add(Messages.ConfigMissing.With(projectDirectory), RelativePath);
            return null;
        }

        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Length > MaxConfigBytes)
            {
                diagnostics.Add(Messages.ConfigTooLarge.With(info.Length, MaxConfigBytes), RelativePath);
                return null;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Messages.ConfigUnreadable.With(e.Message), RelativePath);
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
            diagnostics.Add(Messages.ConfigNotUtf8.With(e.Index), RelativePath);
            return null;
        }

        // Written as characters or as \u escapes, a bidirectional control makes a notice render otherwise than it reads.
        var bidi = ProjectPath.BidiControlOrEscape().Match(text);
        if (bidi.Success)
        {
            var codePoint = bidi.Value.Length == 1 ? bidi.Value[0] : Convert.ToInt32(bidi.Value[2..], 16);
            var (line, column) = ProjectPath.LineAndColumn(text, bidi.Index);
            diagnostics.Add(Messages.ConfigBidiControl.With(codePoint), RelativePath, line, column);
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
            diagnostics.Add(Messages.ConfigNotJson.With(FirstSentence(e.Message)), RelativePath, line, column);
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
                reader.Error(Messages.ConfigNotUnicode.With(), invalid);
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
                diagnostics.Add(Messages.ConfigNotAConfig.With(), RelativePath);
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
                this.Error(Messages.HostValueBidiControl.With(key, (int)text[index], ProjectPath.ShowBidi(text)), $"$.{key}");
            }
        }

        return JsonSerializer.SerializeToElement(merged, ConfigJson.Default.JsonObject);
    }

    // The first string in a value that holds a bidirectional control, or null.
    private static string? BidiText(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => ProjectPath.IndexOfBidiControl(text) >= 0 ? text : null,
        JsonArray array => array.Select(BidiText).FirstOrDefault(t => t is not null),
        JsonObject obj => obj.Select(p => BidiText(p.Value)).FirstOrDefault(t => t is not null),
        _ => null,
    };


    /// <summary>Reports <paramref name="message"/> where <paramref name="jsonPath"/> stands, or at the host that set it.</summary>
    private void Error(MessageText message, string jsonPath)
    {
        var text = message.Text;
        var (path, line, column) = ConfigSource.Where(jsonPath, this.locations, this.origins, this.overrideSource, ref text);
        this.diagnostics.Add(message with { Text = text }, path, line, column);
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
}

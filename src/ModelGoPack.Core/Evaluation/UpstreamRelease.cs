using System.Text.Json;

namespace ModelGoPack.Evaluation;

/// <summary>
/// An upstream's release as its <c>modelgo-manifest.json</c> describes it: every file with its SHA-256, and
/// (from a bundle) the texts of its notice files, which the project must keep verbatim.
/// </summary>
internal sealed record UpstreamRelease(string Upstream, string Location, IReadOnlyDictionary<string, string> Files, IReadOnlyList<(string Path, string Text)> Notices)
{
    /// <summary>The release's own <c>releaseDate</c>, as its manifest gives it; null when it gives none.</summary>
    public DateOnly? ReleaseDate { get; init; }

    /// <summary>The revision the release is of (a Hub snapshot's commit, a clone's commit), when it says; provenance for a recipient.</summary>
    public string? Revision { get; init; }

    /// <summary>The SHA-256 of the release's modelgo-manifest.json, when it has one.</summary>
    public string? ManifestSha256 { get; init; }

    /// <summary>The version its manifest declares, when it has one.</summary>
    public string? Version { get; init; }

    /// <summary>The license the release states (its root LICENSE, else its card), when it states one ModelGoPack can name.</summary>
    public string? License { get; init; }

    /// <summary>Where the release states <see cref="License"/>: "LICENSE", "README.md's front matter".</summary>
    public string? LicenseSource { get; init; }

    /// <summary>Where the release is published, when its form says (a Hub cache folder's name, a clone's https origin).</summary>
    public string? Url { get; init; }

    /// <summary>Where the release is on this machine: never written to the bundle; for leaving it out of the project's files.</summary>
    public string? FullPath { get; init; }

    /// <summary>Bytes of the release read to hash them in this run (not taken from a blob's name, a pointer or the digest cache).</summary>
    public long BytesHashed { get; init; }

    /// <summary>A git release's files that git stores whole (not with LFS), by path: their blob ids, for a second look through git's filters.</summary>
    public IReadOnlyDictionary<string, string> GitBlobs { get; init; } = new Dictionary<string, string>();

    /// <summary>The repository a git release is read from.</summary>
    public Git? Git { get; init; }

    /// <summary>Whether a git release's paths are from the root of another clone (else from the project's folder in its own repository).</summary>
    public bool GitPathsFromRoot { get; init; }

    private const long MaxManifestBytes = Emit.BundleLimits.MaxManifestBytes;

    /// <summary>Bundle files ModelGoPack generates; they never count as modified.</summary>
    public static readonly IReadOnlySet<string> Generated = new HashSet<string>(StringComparer.Ordinal) { "LICENSE", "NOTICE", "README.md", "modelgo-manifest.json" };

    /// <summary>The release a modelgo-manifest.json describes; throws <see cref="InvalidDataException"/> with what is wrong.</summary>
    public static UpstreamRelease Parse(string upstream, string location, byte[] manifest, IReadOnlyList<(string, string)> notices) =>
        new(upstream, location, ReadManifest(manifest), [.. notices, .. Copyright(manifest)])
        {
            ReleaseDate = ReleaseDateOf(manifest),
            Version = VersionOf(manifest),
        };

    /// <summary>The manifest's <c>version</c>, or null.</summary>
    private static string? VersionOf(byte[] manifest)
    {
        try
        {
            using var document = JsonDocument.Parse(manifest, new JsonDocumentOptions { MaxDepth = 16 });
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("version", out var version)
                && version.ValueKind == JsonValueKind.String && version.GetString() is { Length: > 0 and <= 256 } text
                ? text
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The manifest's <c>releaseDate</c> (yyyy-MM-dd), or null when it has none or it is not a date.</summary>
    private static DateOnly? ReleaseDateOf(byte[] manifest)
    {
        try
        {
            using var document = JsonDocument.Parse(manifest, new JsonDocumentOptions { MaxDepth = 16 });
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("releaseDate", out var date) && date.ValueKind == JsonValueKind.String
                && DateOnly.TryParseExact(date.GetString(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day)
                ? day
                : null;
        }
        catch (JsonException)
        {
            // ReadManifest reports a malformed manifest.
            return null;
        }
    }

    /// <summary>The manifest's <c>copyright</c> lines, as one notice text to keep (none when there are none).</summary>
    private static List<(string Path, string Text)> Copyright(byte[] manifest)
    {
        try
        {
            using var document = JsonDocument.Parse(manifest, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("copyright", out var lines) && lines.ValueKind == JsonValueKind.Array)
            {
                var text = string.Concat(lines.EnumerateArray().Where(l => l.ValueKind == JsonValueKind.String).Select(l => l.GetString() + "\n"));
                return text.Length == 0 ? [] : [("modelgo-manifest.json#copyright", text)];
            }
        }
        catch (JsonException)
        {
            // ReadManifest reports a malformed manifest.
        }

        return [];
    }

    private static Dictionary<string, string> ReadManifest(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException("the manifest has no \"files\" list.");
            }

            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in files.EnumerateArray())
            {
                if (file.ValueKind != JsonValueKind.Object
                    || !file.TryGetProperty("path", out var path) || path.ValueKind != JsonValueKind.String
                    || !file.TryGetProperty("sha256", out var sha) || sha.ValueKind != JsonValueKind.String
                    || ProjectPath.IsRootedOrEscaping(path.GetString()!))
                {
                    throw new InvalidDataException("a \"files\" entry lacks a relative \"path\" or a \"sha256\".");
                }

                result[path.GetString()!] = sha.GetString()!.ToLowerInvariant();
            }

            return result;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the manifest is not valid JSON: {e.Message.Split(" LineNumber:")[0]}");
        }
    }
}

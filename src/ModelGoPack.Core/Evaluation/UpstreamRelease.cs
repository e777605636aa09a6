using System.IO.Compression;
using System.Text.Json;
using ModelGoPack.Config;

namespace ModelGoPack.Evaluation;

/// <summary>
/// An upstream's release as its <c>modelgo-manifest.json</c> describes it: every file with its SHA-256, and
/// (from a bundle) the texts of its notice files, which the project must keep verbatim.
/// </summary>
internal sealed record UpstreamRelease(string Upstream, string Location, IReadOnlyDictionary<string, string> Files, IReadOnlyList<(string Path, string Text)> Notices)
{
    /// <summary>The release's own <c>releaseDate</c>, as its manifest gives it; null when it gives none.</summary>
    public DateOnly? ReleaseDate { get; init; }

    private const long MaxManifestBytes = Emit.BundleLimits.MaxManifestBytes;
    private const long MaxNoticeBytes = 4 * 1024 * 1024;

    private static readonly string[] NoticeNames = ["NOTICE", "COPYRIGHT", "AUTHORS", "ATTRIBUTION"];

    /// <summary>Bundle files ModelGoPack generates; they never count as modified.</summary>
    public static readonly IReadOnlySet<string> Generated = new HashSet<string>(StringComparer.Ordinal) { "LICENSE", "NOTICE", "README.md", "modelgo-manifest.json" };

    /// <summary>Loads the manifest (a file) or the bundle (a folder or .zip) an upstream entry names; throws <see cref="InvalidDataException"/> with what is wrong.</summary>
    public static UpstreamRelease Load(string root, UpstreamDeclaration upstream)
    {
        var location = upstream.Manifest ?? upstream.Bundle!;
        var full = Path.GetFullPath(Path.Combine(root, location));
        if (upstream.Manifest is not null)
        {
            var bytes = ReadCapped(File.OpenRead(full), MaxManifestBytes);
            return Release(upstream.Name, location, bytes, []);
        }

        if (Directory.Exists(full))
        {
            var manifest = Path.Combine(full, "modelgo-manifest.json");
            if (!File.Exists(manifest))
            {
                throw new InvalidDataException($"the bundle folder '{location}' holds no modelgo-manifest.json.");
            }

            var notices = Directory.EnumerateFiles(full).Select(Path.GetFileName).OfType<string>()
                .Where(IsNotice).Order(StringComparer.Ordinal)
                .Select(n => (n, TextDecoder.DecodeLines(ReadCapped(File.OpenRead(Path.Combine(full, n)), MaxNoticeBytes))))
                .ToList();
            var manifestBytes = ReadCapped(File.OpenRead(manifest), MaxManifestBytes);
            return Release(upstream.Name, location, manifestBytes, notices);
        }

        using var archive = ZipFile.OpenRead(full);
        var entry = archive.GetEntry("modelgo-manifest.json") ?? throw new InvalidDataException($"the bundle '{location}' holds no modelgo-manifest.json.");
        var zipNotices = archive.Entries.Where(e => !e.FullName.Contains('/', StringComparison.Ordinal) && IsNotice(e.FullName))
            .OrderBy(e => e.FullName, StringComparer.Ordinal)
            .Select(e => (e.FullName, TextDecoder.DecodeLines(ReadCapped(e.Open(), MaxNoticeBytes))))
            .ToList();
        var zipManifest = ReadCapped(entry.Open(), MaxManifestBytes);
        return Release(upstream.Name, location, zipManifest, zipNotices);
    }

    private static UpstreamRelease Release(string upstream, string location, byte[] manifest, List<(string, string)> notices) =>
        new(upstream, location, ReadManifest(manifest), [.. notices, .. Copyright(manifest)]) { ReleaseDate = ReleaseDateOf(manifest) };

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

    private static bool IsNotice(string name) => NoticeNames.Any(n => name.StartsWith(n, StringComparison.OrdinalIgnoreCase));

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

    // Reads at most `limit` bytes, whatever the source declares (a zip entry can lie about its size).
    private static byte[] ReadCapped(Stream stream, long limit)
    {
        using (stream)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw new InvalidDataException($"a file is larger than {limit / (1024 * 1024)} MiB.");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }
}

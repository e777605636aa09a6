using System.Globalization;
using System.Text.Json;
using ModelGoPack.Config;
using ModelGoPack.Rules;

namespace ModelGoPack.Emit;

/// <summary>
/// Writes <c>modelgo-manifest.json</c> (manifestVersion 1): the project's identity, its upstreams and
/// modifications, and every other bundle file with its size and SHA-256, sorted by path (ordinal).
/// </summary>
internal static class ManifestWriter
{
    public const int ManifestVersion = 1;

    /// <summary>The manifest of these files, to be written where it goes (streamed) rather than held.</summary>
    public static ManifestContent Content(ModelGoConfig config, IReadOnlyList<AppliedWaiver> waivers, IReadOnlyCollection<ManifestFile> files) => new(config, waivers, files);

    /// <summary>Writes the manifest to <paramref name="stream"/>, as <see cref="Write(ModelGoConfig, IReadOnlyList{AppliedWaiver}, IReadOnlyCollection{ManifestFile})"/> gives its bytes.</summary>
    public static void Write(Stream stream, ModelGoConfig config, IReadOnlyList<AppliedWaiver> waivers, IReadOnlyCollection<ManifestFile> files) =>
        Write(stream, config, waivers, (IEnumerable<ManifestFile>)files);

    /// <summary>
    /// The manifest's bytes, in one array of its exact size: measured first (<see cref="Measure"/>), then written into it.
    /// A growing buffer would hold up to twice the manifest, and its copy a third time (for 100,000 files, a manifest of
    /// 14 MB held as 40).
    /// </summary>
    public static byte[] Write(ModelGoConfig config, IReadOnlyList<AppliedWaiver> waivers, IReadOnlyCollection<ManifestFile> files)
    {
        var bytes = new byte[Measure(config, waivers, files.Select(f => (f.Path, f.Size)))];
        using var buffer = new MemoryStream(bytes);
        Write(buffer, config, waivers, files);
        return buffer.Position == bytes.Length ? bytes : throw new InvalidOperationException($"the manifest measured {bytes.Length} bytes and is {buffer.Position}");
    }

    /// <summary>
    /// The size in bytes of the manifest <see cref="Write(ModelGoConfig, IReadOnlyList{Rules.AppliedWaiver}, IReadOnlyCollection{ManifestFile})"/>
    /// will write for files of these paths and sizes, before any is hashed: every digest has 64 hex digits, so
    /// the size is known exactly. Counted, not held: memory stays small whatever the count.
    /// </summary>
    public static long Measure(ModelGoConfig config, IReadOnlyList<AppliedWaiver> waivers, IEnumerable<(string Path, long Size)> files)
    {
        using var counter = new CountingStream();
        Write(counter, config, waivers, files.Select(f => new ManifestFile(f.Path, f.Size, default(Hashing.Sha256Digest))));
        return counter.Length;
    }

    private static void Write(Stream buffer, ModelGoConfig config, IReadOnlyList<AppliedWaiver> waivers, IEnumerable<ManifestFile> files)
    {
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("manifestVersion", ManifestVersion);
            json.WriteString("generator", $"{ToolInfo.Name} {ToolInfo.Version}");
            json.WriteString("name", config.Name);
            json.WriteString("version", config.Version.ToNormalizedString());
            json.WriteString("license", config.License);
            if (config.ReleaseDate is { } release)
            {
                json.WriteString("releaseDate", Date(release));
            }

            WriteStrings(json, "copyright", config.Copyright);

            json.WriteStartArray("upstream");
            foreach (var upstream in config.Upstream)
            {
                json.WriteStartObject();
                json.WriteString("name", upstream.Name);
                WriteOptional(json, "version", upstream.Version);
                WriteOptional(json, "url", upstream.Url);
                json.WriteString("license", upstream.License);
                WriteOptional(json, "licensor", upstream.Licensor);
                json.WriteString("relation", upstream.Relation == UpstreamRelation.Derivative ? "derivative" : "extracted");
                WriteOptional(json, "method", upstream.Method);

                // Provenance a recipient can use: the revision and the digest of the release's own manifest, never a
                // path of the packer's machine (the release's location is not written).
                WriteOptional(json, "revision", upstream.Revision);
                WriteOptional(json, "manifestSha256", upstream.ManifestSha256);
                if (upstream.ReleaseDate is { } upstreamRelease)
                {
                    json.WriteString("releaseDate", Date(upstreamRelease));
                }

                WriteStrings(json, "notices", upstream.Notices);
                WriteStrings(json, "datasets", upstream.Datasets);
                if (upstream.Removed.Count > 0)
                {
                    // What the derivative left out of the release: the paths its modifications may name that the bundle lacks.
                    WriteStrings(json, "removed", upstream.Removed);
                }

                if (upstream.ReleaseNotices.Count > 0)
                {
                    // The release's notice files kept in NOTICE by their name in it, so verify knows its notices were kept.
                    WriteStrings(json, "releaseNotices", upstream.ReleaseNotices);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();

            json.WriteStartArray("modifications");
            foreach (var modification in config.Modifications)
            {
                json.WriteStartObject();
                json.WriteString("date", Date(modification.Date));
                json.WriteString("description", modification.Description);
                WriteOptional(json, "upstream", modification.Upstream);
                WriteStrings(json, "paths", modification.Paths);
                json.WriteEndObject();
            }

            json.WriteEndArray();

            // Findings the publisher waived, with the justification a reviewer should read.
            json.WriteStartArray("waivers");
            foreach (var applied in waivers)
            {
                json.WriteStartObject();
                json.WriteString("code", applied.Waiver.Code);
                WriteOptional(json, "path", applied.Waiver.Path);
                json.WriteString("justification", applied.Waiver.Justification);
                WriteStrings(json, "findings", applied.Paths);
                json.WriteEndObject();
            }

            json.WriteEndArray();

            json.WriteStartArray("files");
            Span<char> hex = stackalloc char[64];
            foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
            {
                // Flushed as it goes, so that a counting stream sees the bytes and a big manifest is never held twice.
                if (json.BytesPending > 1 << 16)
                {
                    json.Flush();
                }

                json.WriteStartObject();
                json.WriteString("path", file.Path);
                json.WriteNumber("size", file.Size);
                file.Digest.Format(hex);
                json.WriteString("sha256", hex);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A stream that only counts what is written to it.</summary>
    private sealed class CountingStream : WriteOnlyStream
    {
        private long count;

        public override long Length => this.count;

        public override void Write(ReadOnlySpan<byte> buffer) => this.count += buffer.Length;
    }
}

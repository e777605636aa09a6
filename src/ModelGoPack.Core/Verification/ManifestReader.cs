using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Hashing;

namespace ModelGoPack.Verification;

/// <summary>
/// Reads a bundle's <c>modelgo-manifest.json</c> as data from anyone: at most 256 MiB (the limit pack keeps
/// too), its <c>files</c> list read by a forward-only JSON reader into compact entries (a million files are a
/// million small records, never a document of them), and what it declares read by the config reader from the
/// manifest without its files list, with the lines of the manifest itself. Its bytes are not kept: their SHA-256
/// and length stand for them.
/// </summary>
internal static class ManifestReader
{
    private const string ManifestName = Evaluation.ProjectLoader.ManifestFileName;

    /// <summary>
    /// The most a manifest may declare besides its files list (name, license, upstreams, modifications, waivers): read
    /// as a document, it is bounded on its own. ModelGoPack's own declarations are a few kilobytes; 16 MiB is room
    /// for any honest one.
    /// </summary>
    internal const long MaxDeclaredBytes = 16L * 1024 * 1024;

    /// <summary>The most line breaks a manifest's files list may have: 8 for each of the most files a bundle holds.</summary>
    private const long MaxFilesLineBreaks = 8L * Emit.BundleLimits.MaxFiles;

    /// <summary>
    /// The manifest in <paramref name="stream"/>, or null with the reason (MGP9006). Read as a stream, in blocks:
    /// the files list goes into compact entries as it comes, the rest (what the manifest declares) is kept, and the
    /// SHA-256 of the whole is computed on the way; the manifest itself is never held. Paths equal to a key of
    /// <paramref name="known"/> (the bundle's files, read before) share its string.
    /// </summary>
    public static BundleManifest? Read(Stream stream, DiagnosticBag diagnostics, string where, Dictionary<string, Discovery.ProjectFile>? known = null)
    {
        var parser = new Parser(known);
        string? problem;
        try
        {
            problem = parser.Run(stream);
        }
        catch (JsonException e)
        {
            problem = $"it is not valid JSON ({e.Message.Split(" LineNumber:")[0]})";
        }
        catch (InvalidOperationException)
        {
            // A string the reader cannot give as text: bytes that are not UTF-8.
            problem = "it is not valid UTF-8 text";
        }

        if (parser.TooLarge)
        {
            diagnostics.Add(DiagnosticCatalog.BundleManifestInvalid, $"{ManifestName} is larger than {Emit.BundleLimits.MaxManifestBytes / (1024 * 1024)} MiB, the most a bundle's manifest may be. {DiagnosticCatalog.BundleManifestInvalid.Help}", where);
            return null;
        }

        if (problem is not null)
        {
            diagnostics.Add(DiagnosticCatalog.BundleManifestInvalid, $"{ManifestName} cannot be used: {problem}. {DiagnosticCatalog.BundleManifestInvalid.Help}", where);
            return null;
        }

        // What it declares, read from the manifest without its files list, whose place keeps its line breaks: a finding
        // points at the manifest's own lines.
        var declaration = Declaration(parser.Declared.ToArray(), out var invalid);
        if (invalid is not null)
        {
            diagnostics.Add(DiagnosticCatalog.BundleManifestInvalid, $"{ManifestName} cannot be used: what it declares is not valid ({invalid}). {DiagnosticCatalog.BundleManifestInvalid.Help}", where);
            return null;
        }

        parser.Entries.TrimExcess();
        return new BundleManifest(parser.Entries, declaration, parser.Digest, parser.Length);
    }

    /// <summary>
    /// The manifest's tokens, one block at a time (a JSON reader that resumes where a block ended): the top-level
    /// object's <c>files</c> list as entries with a path, a size and a lower-case hex SHA-256 (other keys of an entry
    /// ignored), everything else copied to <see cref="Declared"/> as it is, the files list replaced by its line breaks.
    /// </summary>
    private sealed class Parser(Dictionary<string, Discovery.ProjectFile>? known)
    {
        private readonly Dictionary<string, Discovery.ProjectFile>.AlternateLookup<ReadOnlySpan<char>>? lookup = known?.GetAlternateLookup<ReadOnlySpan<char>>();
        private readonly HashSet<string> seen = new(StringComparer.Ordinal);
        private bool filesFound;
        private long filesStart = -1;
        private long filesEnd = -1;
        private string? property;
        private string? path;
        private long size = -1;
        private Sha256Digest? digest;
        private bool entryValid;
        private long lineBreaks;
        private bool pathTooLong;

        public List<ManifestEntry> Entries { get; } = [];

        public MemoryStream Declared { get; } = new();

        public Sha256Digest Digest { get; private set; }

        public long Length { get; private set; }

        public bool TooLarge { get; private set; }

        /// <summary>Reads the stream; null when it is a manifest's list, else what is wrong.</summary>
        public string? Run(Stream stream)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
            var state = new JsonReaderState(new JsonReaderOptions { MaxDepth = 16 });
            var held = 0; // bytes of the buffer not yet consumed by the reader
            var started = false;
            var ended = false;
            try
            {
                while (true)
                {
                    if (held == buffer.Length)
                    {
                        // One token longer than the buffer (a long string): a bigger buffer, up to what a declaration may be.
                        if (buffer.Length > MaxDeclaredBytes)
                        {
                            return $"it holds a value longer than {MaxDeclaredBytes / (1024 * 1024)} MiB";
                        }

                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, held).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    var read = stream.Read(buffer, held, buffer.Length - held);
                    if (read > 0)
                    {
                        hash.AppendData(buffer, held, read);
                        this.Length += read;
                        if (this.Length > Emit.BundleLimits.MaxManifestBytes)
                        {
                            this.TooLarge = true;
                            return "it is too large";
                        }
                    }

                    var final = read == 0;
                    var reader = new Utf8JsonReader(buffer.AsSpan(0, held + read), final, state);
                    var blockStart = this.Length - (held + read);
                    while (reader.Read())
                    {
                        if (!started)
                        {
                            if (reader.TokenType != JsonTokenType.StartObject)
                            {
                                return "it has no \"files\" list";
                            }

                            started = true;
                            continue;
                        }

                        if (ended)
                        {
                            return "it has more than one object";
                        }

                        if (this.Token(ref reader, blockStart) is { } problem)
                        {
                            return problem;
                        }

                        ended = reader.CurrentDepth == 0 && reader.TokenType == JsonTokenType.EndObject;
                    }

                    var consumed = (int)reader.BytesConsumed;
                    this.Keep(buffer.AsSpan(0, consumed), blockStart);

                    if (this.Declared.Length - this.lineBreaks > MaxDeclaredBytes)
                    {
                        // What it declares is read as a document (the config reader's): bounded apart from the files list.
                        // Pack measures the same (BundleLimits.Check).
                        return $"what it declares besides its files list is larger than {MaxDeclaredBytes / (1024 * 1024)} MiB";
                    }

                    if (this.lineBreaks > MaxFilesLineBreaks)
                    {
                        // The line breaks that stand in for the files list are held too: bounded by what a list of the
                        // most files a bundle holds has (ModelGoPack writes 5 for each).
                        return $"its \"files\" list has more than {MaxFilesLineBreaks:N0} line breaks";
                    }

                    state = reader.CurrentState;
                    held = held + read - consumed;
                    buffer.AsSpan(consumed, held).CopyTo(buffer);
                    if (final)
                    {
                        break;
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            Span<byte> digest = stackalloc byte[32];
            hash.GetHashAndReset(digest);
            this.Digest = Sha256Digest.From(digest);
            return !started || !ended ? "it is not a whole JSON object" : this.filesFound ? null : "it has no \"files\" list";
        }

        // The bytes consumed from a block go to the declaration, but for those of the files list, whose line breaks stand in for them.
        private void Keep(ReadOnlySpan<byte> block, long at)
        {
            var end = at + block.Length;
            var from = this.filesStart < 0 ? end : Math.Clamp(this.filesStart, at, end);
            var to = this.filesEnd < 0 ? end : Math.Clamp(this.filesEnd, at, end);
            this.Declared.Write(block[..(int)(from - at)]);
            var inFiles = block[(int)(from - at)..(int)(to - at)];
            if (this.filesStart >= at && this.filesStart < end)
            {
                this.Declared.WriteByte((byte)'[');
            }

            for (var i = inFiles.Count((byte)'\n'); i > 0; i--)
            {
                this.Declared.WriteByte((byte)'\n');
                this.lineBreaks++;
            }

            if (this.filesEnd > at && this.filesEnd <= end)
            {
                this.Declared.WriteByte((byte)']');
            }

            this.Declared.Write(block[(int)(to - at)..]);
        }

        private string? Token(ref Utf8JsonReader reader, long blockStart)
        {
            var depth = reader.CurrentDepth;
            var inFiles = this.filesStart >= 0 && this.filesEnd < 0;
            if (!inFiles)
            {
                if (depth == 1 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("files"u8))
                {
                    if (this.filesFound)
                    {
                        return "it gives \"files\" twice";
                    }

                    this.filesFound = true;
                    this.property = "files";
                }
                else if (depth == 1 && this.property == "files")
                {
                    this.property = null;
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        return "it has no \"files\" list";
                    }

                    this.filesStart = blockStart + reader.TokenStartIndex;
                }

                return null;
            }

            switch (depth, reader.TokenType)
            {
                case (1, JsonTokenType.EndArray):
                    this.filesEnd = blockStart + reader.BytesConsumed;
                    return null;
                case (2, JsonTokenType.StartObject):
                    (this.path, this.size, this.digest, this.entryValid, this.property, this.pathTooLong) = (null, -1, null, true, null, false);
                    return null;
                case (2, JsonTokenType.EndObject):
                    return this.Add();
                case (2, _):
                    return "a \"files\" entry is not an object";
                case (3, JsonTokenType.PropertyName):
                    this.property = reader.ValueTextEquals("path"u8) ? "path" : reader.ValueTextEquals("size"u8) ? "size" : reader.ValueTextEquals("sha256"u8) ? "sha256" : null;
                    return null;
                case (3, _) when this.property is not null:
                    this.Value(ref reader);
                    this.property = null;
                    return null;
                default:
                    return null;
            }
        }

        private void Value(ref Utf8JsonReader reader)
        {
            switch (this.property)
            {
                case "path" when reader.TokenType == JsonTokenType.String && (reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) > 6 * Emit.BundleLimits.MaxPathBytes:
                    // Longer than any path a bundle may list, even with every byte escaped (\u00XX): refused by the name rule
                    // without decoding it.
                    this.pathTooLong = true;
                    break;
                case "path" when reader.TokenType == JsonTokenType.String:
                    var path = reader.GetString()!;
                    this.path = this.lookup is { } files && files.TryGetValue(path.AsSpan(), out var file) ? file.RelativePath : path;
                    break;
                case "size" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var size) && size >= 0:
                    this.size = size;
                    break;
                case "sha256" when reader.TokenType == JsonTokenType.String && Sha256Digest.TryParse(reader.GetString(), out var digest):
                    this.digest = digest;
                    break;
                default:
                    this.entryValid = false;
                    break;
            }
        }

        private string? Add()
        {
            if (this.pathTooLong)
            {
                return $"it lists a path longer than {Emit.BundleLimits.MaxPathBytes:N0} bytes, the longest a bundle path may be";
            }

            if (!this.entryValid || this.path is not { } path || this.size < 0 || this.digest is not { } digest)
            {
                return "a \"files\" entry lacks a \"path\", a \"size\" or a lower-case hex \"sha256\"";
            }

            if (ProjectPath.UnsafeEntryName(path) is { } unsafeName)
            {
                return $"it lists the path '{ProjectPath.Shown(path)}': {unsafeName}";
            }

            if (path == ManifestName)
            {
                return "it lists itself";
            }

            if (!this.seen.Add(path))
            {
                return $"it lists '{ProjectPath.Printable(path)}' twice";
            }

            if (this.Entries.Count == Emit.BundleLimits.MaxFiles)
            {
                return $"it lists more than {Emit.BundleLimits.MaxFiles:N0} files, the most a bundle holds";
            }

            this.Entries.Add(new ManifestEntry(path, this.size, digest));
            return null;
        }
    }

    /// <summary>
    /// What the manifest declares (name, version, license, copyright, upstream, modifications, waivers), read
    /// by the config reader itself; its findings point at the manifest. A manifest that declares no lineage
    /// (no "upstream" or "modifications", as from another tool) gives null: the bundle is then evaluated
    /// without a declaration. One that declares a lineage the config reader rejects is <paramref name="invalid"/>.
    /// </summary>
    private static ConfigSource? Declaration(byte[] manifest, out string? invalid)
    {
        invalid = null;
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(manifest, documentOptions: new JsonDocumentOptions { MaxDepth = 16 }) as JsonObject;
            if (root is null || !(root.ContainsKey("upstream") || root.ContainsKey("modifications")))
            {
                return null;
            }

            foreach (var key in new[] { "manifestVersion", "generator", "files" })
            {
                root.Remove(key);
            }

            foreach (var waiver in (root["waivers"] as JsonArray ?? []).OfType<JsonObject>())
            {
                waiver.Remove("findings");
            }

            // ModelGoPack never writes where an upstream's release is; a manifest that says so would make its
            // modifications unjudgeable (no release to compare with), so those keys are not taken from it.
            foreach (var upstream in (root["upstream"] as JsonArray ?? []).OfType<JsonObject>())
            {
                foreach (var key in new[] { "git", "manifest", "bundle" })
                {
                    if (upstream.ContainsKey(key))
                    {
                        invalid = $"upstream \"{upstream["name"]}\" names a release ('{key}'), which a manifest does not declare";
                        return null;
                    }
                }
            }
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            // A key given twice ("name" and "name"), or a value of the wrong kind where an object or array belongs.
            invalid = e is ArgumentException ? "a key is given twice" : $"it is not a valid declaration ({e.Message})";
            return null;
        }

        var scratch = new DiagnosticBag();
        ConfigSource? source;
        try
        {
            source = ConfigReader.Parse(System.Text.Encoding.UTF8.GetBytes(root.ToJsonString()), null, scratch, fileExists: false);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            invalid = $"it is not a valid declaration ({e.Message})";
            return null;
        }

        if (source is null)
        {
            var first = scratch.Items.FirstOrDefault(d => d.Severity == Severity.Error)?.Message ?? "it cannot be read as a declaration";
            invalid = first.Replace(ModelGoConfig.FileName, ManifestName, StringComparison.Ordinal);
            return null;
        }

        // The manifest's keys stand where the config's would: findings get the manifest's own lines.
        var locations = JsonLocationMap.TryBuild(manifest, new JsonReaderOptions { MaxDepth = 16 });
        return source with { Locations = locations, FileName = ManifestName };
    }
}

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
    /// <paramref name="known"/> (the bundle's files, read before) share its string. <paramref name="expected"/>: how many
    /// files the bundle holds, when known (an archive's entries), so that the lists are made at their size once, not
    /// grown by copies that stay in memory until the next full collection.
    /// </summary>
    public static BundleManifest? Read(Stream stream, DiagnosticBag diagnostics, string where, Dictionary<string, Discovery.ProjectFile>? known = null, int expected = 0)
    {
        var parser = new Parser(known, Math.Clamp(expected, 0, Emit.BundleLimits.MaxFiles));
        string? problem;
        try
        {
            problem = parser.Run(stream);
        }
        catch (JsonException e)
        {
            problem = $"it is not valid JSON ({e.Message.Split(" LineNumber:")[0]})";
        }
        catch (Exception e) when (e is InvalidOperationException or DecoderFallbackException)
        {
            // Bytes that are not UTF-8.
            problem = "it is not valid UTF-8 text";
        }

        if (parser.TooLarge)
        {
            diagnostics.Add(Messages.ReceivedManifestTooLarge.With(Emit.BundleLimits.MaxManifestBytes / (1024 * 1024)), where);
            return null;
        }

        if (problem is not null)
        {
            diagnostics.Add(Messages.ReceivedManifestUnusable.With(problem), where);
            return null;
        }

        // What it declares, read from the manifest without its files list, whose place keeps a count of its line breaks: a
        // finding points at the manifest's own lines.
        var declaration = Declaration(parser.Declared.ToArray(), (parser.CollapsedAt, (int)Math.Max(0, parser.LineBreaks - 1)), out var invalid);
        if (invalid is not null)
        {
            diagnostics.Add(Messages.ReceivedManifestDeclarationInvalid.With(invalid), where);

            return null;
        }

        parser.Entries.TrimExcess();
        return new BundleManifest(parser.Entries, declaration, parser.Digest, parser.Length);
    }

    /// <summary>
    /// The manifest's tokens, one block at a time (a JSON reader that resumes where a block ended): the top-level
    /// object's <c>files</c> list as entries with a path, a size and a lower-case hex SHA-256 (other keys of an entry
    /// ignored), everything else copied to <see cref="Declared"/> as it is, the files list replaced by <c>[]</c> with one line
    /// break inside that stands for all of its own.
    /// </summary>
    private sealed class Parser(Dictionary<string, Discovery.ProjectFile>? known, int expected)
    {
        private readonly Dictionary<string, Discovery.ProjectFile>.AlternateLookup<ReadOnlySpan<char>>? lookup = known?.GetAlternateLookup<ReadOnlySpan<char>>();
        private readonly HashSet<string> seen = new(expected, StringComparer.Ordinal);
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
        private int given;
        private readonly Decoder utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
        private readonly char[] decoded = new char[4096];

        // Throws DecoderFallbackException at the first byte that is not UTF-8; a sequence cut at the end waits for the next block.
        private void CheckUtf8(ReadOnlySpan<byte> bytes, bool flush)
        {
            do
            {
                this.utf8.Convert(bytes, this.decoded, flush, out var used, out _, out _);
                bytes = bytes[used..];
            }
            while (!bytes.IsEmpty);
        }

        public List<ManifestEntry> Entries { get; } = new(expected);

        public MemoryStream Declared { get; } = new();

        /// <summary>Where, in <see cref="Declared"/>, the one line break that stands for the files list's is; -1 if none.</summary>
        public int CollapsedAt { get; private set; } = -1;

        /// <summary>How many line breaks of the files list the one at <see cref="CollapsedAt"/> stands for.</summary>
        public long LineBreaks => this.lineBreaks;

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
                        if (buffer.Length >= MaxDeclaredBytes)
                        {
                            return $"it holds a value longer than {MaxDeclaredBytes / (1024 * 1024)} MiB";
                        }

                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, held).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    var read = stream.Read(buffer, held, buffer.Length - held);
                    // Every byte must be UTF-8 (RFC 8259), not only those of the strings that are decoded: checked as it comes,
                    // by a decoder that keeps a character split between two reads.
                    this.CheckUtf8(buffer.AsSpan(held, read), flush: read == 0);
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

                    if (this.Declared.Length - (this.CollapsedAt >= 0 ? 1 : 0) > MaxDeclaredBytes)
                    {
                        // What it declares is read as a document (the config reader's): bounded apart from the files list.
                        // Pack measures the same (BundleLimits.Check).
                        return $"what it declares besides its files list is larger than {MaxDeclaredBytes / (1024 * 1024)} MiB";
                    }

                    if (this.lineBreaks > MaxFilesLineBreaks)
                    {
                        // Bounded by what a list of the most files a bundle holds has (ModelGoPack writes 5 for each): line
                        // numbers stay far from overflowing.
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

            this.lineBreaks += inFiles.Count((byte)'\n');
            if (this.filesEnd > at && this.filesEnd <= end)
            {
                if (this.lineBreaks > 0)
                {
                    // One line break stands for all of them (a list of a million files has millions): the location map
                    // counts the others (CollapsedLines).
                    this.CollapsedAt = (int)this.Declared.Length;
                    this.Declared.WriteByte((byte)'\n');
                }

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
                    (this.path, this.size, this.digest, this.entryValid, this.property, this.pathTooLong, this.given) = (null, -1, null, true, null, false, 0);
                    return null;
                case (2, JsonTokenType.EndObject):
                    return this.Add();
                case (2, _):
                    return "a \"files\" entry is not an object";
                case (3, JsonTokenType.PropertyName):
                    this.property = reader.ValueTextEquals("path"u8) ? "path" : reader.ValueTextEquals("size"u8) ? "size" : reader.ValueTextEquals("sha256"u8) ? "sha256" : null;
                    var bit = this.property switch { "path" => 1, "size" => 2, "sha256" => 4, _ => 0 };
                    if ((this.given & bit) != 0)
                    {
                        // Readers differ on which of two values counts (the first, the last): neither is taken.
                        return $"a \"files\" entry gives \"{this.property}\" twice";
                    }

                    this.given |= bit;
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
    /// The most values (JSON tokens) a manifest may declare besides its files list: 1,000,000. What it declares is read
    /// as a document, with the place of every value (findings point at the manifest's lines), so its cost grows with
    /// the count, not only the bytes; pack counts the same (BundleLimits.Check).
    /// </summary>
    internal const int MaxDeclaredValues = 1_000_000;

    /// <summary>
    /// What the manifest declares (name, version, license, copyright, upstream, modifications, waivers), read
    /// by the config reader itself; its findings point at the manifest. A manifest that declares no lineage
    /// (no "upstream" or "modifications", as from another tool) gives null: the bundle is then evaluated
    /// without a declaration. One that declares a lineage the config reader rejects is <paramref name="invalid"/>.
    /// </summary>
    private static ConfigSource? Declaration(byte[] manifest, (int At, int Lines) collapsed, out string? invalid)
    {
        var filtered = Filter(manifest, out var declares, out _, out invalid);
        if (invalid is not null || !declares)
        {
            return null;
        }

        var scratch = new DiagnosticBag();
        ConfigSource? source;
        try
        {
            source = ConfigReader.Parse(filtered, null, scratch, fileExists: false, manifest: true);
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
        var locations = JsonLocationMap.TryBuild(manifest, new JsonReaderOptions { MaxDepth = 16 }, collapsed);
        return source with { Locations = locations, FileName = ManifestName };
    }

    /// <summary>
    /// How many values <paramref name="declaration"/> (a manifest without its files list, as pack writes it) holds, and
    /// whether that is more than a manifest may declare: pack's side of <see cref="MaxDeclaredValues"/>.
    /// </summary>
    internal static int DeclaredValues(byte[] declaration)
    {
        Filter(declaration, out _, out var values, out _);
        return values;
    }

    /// <summary>
    /// The manifest's declaration as the config reader reads it, copied value by value (never a document of it): without
    /// what a manifest records but does not declare (manifestVersion, generator, files; a waiver's findings). Refuses a
    /// key given twice in any object (readers differ on which counts), an upstream that names a release location, and
    /// more than <see cref="MaxDeclaredValues"/> values. <paramref name="declares"/>: whether it declares a lineage
    /// ("upstream" or "modifications").
    /// </summary>
    private static byte[] Filter(byte[] manifest, out bool declares, out int values, out string? invalid)
    {
        (declares, values, invalid) = (false, 0, null);
        try
        {
            var reader = new Utf8JsonReader(manifest, new JsonReaderOptions { MaxDepth = 16 });
            using var output = new MemoryStream();
            using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = 16 }))
            {
                var keys = new Stack<HashSet<string>?>();
                string? top = null;
                var skipTo = -1;
                while (reader.Read())
                {
                    if (++values > MaxDeclaredValues)
                    {
                        invalid = $"it declares more than {MaxDeclaredValues:N0} values besides its files list";
                        return [];
                    }

                    var depth = reader.CurrentDepth;
                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        keys.Push(reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null);
                    }
                    else if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                    {
                        keys.Pop();
                    }

                    if (skipTo >= 0)
                    {
                        // Inside a value left out, until its end (a primitive ends where it starts).
                        if (depth == skipTo && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
                        {
                            skipTo = -1;
                        }

                        continue;
                    }

                    switch (reader.TokenType)
                    {
                        case JsonTokenType.StartObject:
                            writer.WriteStartObject();
                            break;
                        case JsonTokenType.StartArray:
                            writer.WriteStartArray();
                            break;
                        case JsonTokenType.EndObject:
                            writer.WriteEndObject();
                            break;
                        case JsonTokenType.EndArray:
                            writer.WriteEndArray();
                            break;
                        case JsonTokenType.PropertyName:
                            var name = reader.GetString()!;
                            if (keys.Peek() is { } seen && !seen.Add(name))
                            {
                                invalid = $"the key \"{ProjectPath.Shown(name)}\" is given twice in one object";
                                return [];
                            }

                            if (depth == 1)
                            {
                                top = name;
                                declares |= name is "upstream" or "modifications";
                            }

                            if ((depth == 1 && name is "manifestVersion" or "generator" or "files") || (depth == 3 && top == "waivers" && name == "findings"))
                            {
                                // The value that follows is left out: its tokens start at its key's depth.
                                skipTo = depth;
                                continue;
                            }

                            if (depth == 3 && top == "upstream" && name is "git" or "manifest" or "bundle" or "repository")
                            {
                                // ModelGoPack never writes where an upstream's release is; a manifest that says so would make
                                // its modifications unjudgeable (no release to compare with).
                                invalid = $"an upstream names a release ('{name}'), which a manifest does not declare";
                                return [];
                            }

                            writer.WritePropertyName(name);
                            break;
                        case JsonTokenType.String:
                            writer.WriteStringValue(reader.GetString());
                            break;
                        case JsonTokenType.Number:
                            writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                            break;
                        case JsonTokenType.True or JsonTokenType.False:
                            writer.WriteBooleanValue(reader.GetBoolean());
                            break;
                        case JsonTokenType.Null:
                            writer.WriteNullValue();
                            break;
                    }
                }
            }

            return output.ToArray();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            invalid = $"it is not a valid declaration ({e.Message})";
            return [];
        }
    }
}

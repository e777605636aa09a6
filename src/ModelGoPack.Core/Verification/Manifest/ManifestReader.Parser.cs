using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ModelGoPack.Hashing;
using ModelGoPack.Discovery;
using ModelGoPack.Emit;

namespace ModelGoPack.Verification;

internal static partial class ManifestReader
{
    /// <summary>
    /// The manifest's tokens, one block at a time (a JSON reader that resumes where a block ended): the top-level
    /// object's <c>files</c> list as entries with a path, a size and a lower-case hex SHA-256 (other keys of an entry
    /// ignored), everything else copied to <see cref="Declared"/> as it is, the files list replaced by <c>[]</c> with one line
    /// break inside that stands for all of its own.
    /// </summary>
    private sealed class Parser(Dictionary<string, ProjectFile>? known, int expected)
    {
        private readonly Dictionary<string, ProjectFile>.AlternateLookup<ReadOnlySpan<char>>? lookup = known?.GetAlternateLookup<ReadOnlySpan<char>>();
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
                        if (this.Length > BundleLimits.MaxManifestBytes)
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
                case "path" when reader.TokenType == JsonTokenType.String && (reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) > 6 * BundleLimits.MaxPathBytes:
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

            if (this.Entries.Count == BundleLimits.MaxFiles)
            {
                return $"it lists more than {Emit.BundleLimits.MaxFiles:N0} files, the most a bundle holds";
            }

            this.Entries.Add(new ManifestEntry(path, this.size, digest));
            return null;
        }
    }
}

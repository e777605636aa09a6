using System.Formats.Tar;
using System.IO.Compression;

namespace ModelGoPack.Verification;

/// <summary>
/// The one reader of a tar.gz, for verify, for an upstream's release and for pack's look at an earlier bundle at its
/// output path: one rule for damaged archives and one set of limits. Reads the gzip stream through a guard against
/// gzip bombs, refuses every entry other readers (GNU tar, libarchive, Python) would read otherwise than .NET (by its
/// header bytes, before anything of it is taken), drops the <c>./</c> of <c>tar -C dir .</c> names, and skips what is
/// no file: the root folder entry, empty V7 folders (names ending in '/') and <c>git archive</c>'s global header. A
/// damaged archive is <see cref="InvalidDataException"/> with what is wrong.
/// </summary>
internal sealed class TarGzReader : IDisposable
{
    private readonly FileStream file;
    private readonly GZipStream gzip;
    private readonly BombGuard guarded;
    private readonly TarReader reader;

    public TarGzReader(string path)
    {
        this.file = File.OpenRead(path);
        this.gzip = new GZipStream(this.file, CompressionMode.Decompress);
        this.guarded = new BombGuard(this.gzip, this.file);
        this.reader = new TarReader(this.guarded);
    }

    /// <summary>How much a tar.gz may expand before its ratio is judged (16 GiB; tests lower it).</summary>
    internal static long GzipAllowance { get; set; } = 16L << 30;

    /// <summary>The next entry (its data unread, as a stream) with its name as the bundle has it; null at the end.</summary>
    public (string Name, TarEntry Entry)? Next(CancellationToken cancellationToken)
    {
        while (true)
        {
            this.guarded.BeginHeaders();
            if (this.reader.GetNextEntry(copyData: false) is not { } entry)
            {
                return null;
            }

            cancellationToken.ThrowIfCancellationRequested();

            // Readers must read the entry as .NET does; what some honour and others ignore is refused, before
            // anything of the entry is taken (its name included).
            if (TarHeaderProblem(entry, this.guarded.LastBlock, this.guarded.HeaderTypes()) is { } problem)
            {
                throw new InvalidDataException(problem);
            }

            // Archives made with `tar -C dir .` name their entries ./x; the folder ./ itself is skipped, and nothing
            // else may have an empty name.
            var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
            var folderLike = entry.EntryType is TarEntryType.Directory
                || (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.Name.EndsWith('/') && entry.Length == 0);
            if (entry.EntryType is not TarEntryType.GlobalExtendedAttributes && (name.Length == 0 || name is "." or "./"))
            {
                if (!folderLike || entry.Length != 0)
                {
                    throw new InvalidDataException($"its entry '{ProjectPath.Shown(entry.Name)}' is a {entry.EntryType} with no name: other readers read it as a folder, and what it holds as more entries");
                }

                continue;
            }

            // A V7 folder is a regular entry whose name ends in '/' (bsdtar writes them): a folder to every other
            // reader, so it must be empty.
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.Name.EndsWith('/'))
            {
                if (entry.Length != 0)
                {
                    throw new InvalidDataException($"its entry '{ProjectPath.Shown(entry.Name)}' is a file whose name ends in '/', with data: other readers read it as a folder, and its data as more entries");
                }

                continue;
            }

            // The global header `git archive` writes (pax_global_header, a comment) is no file, whatever its name.
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
            {
                continue;
            }

            return (name, entry);
        }
    }

    /// <summary>Reads to the end of the gzip stream: its last CRC-32 is checked only there (tar stops at its end blocks).</summary>
    public void ReadToEnd() => this.guarded.CopyTo(Stream.Null);

    public void Dispose()
    {
        this.reader.Dispose();
        this.guarded.Dispose();
        this.gzip.Dispose();
        this.file.Dispose();
    }

    /// <summary>
    /// Why a tar entry would be read otherwise by another reader, or null. <paramref name="header"/> is the last 512 bytes
    /// read before the entry was returned: its own header block (after any pax or GNU long-name blocks before it).
    /// GNU tar, libarchive and Python honour a pax global header's keys and GNU.sparse.* names, which .NET ignores; they
    /// read a header with other magic bytes than ustar's or GNU's as V7 (no prefix), while .NET and Python join its prefix;
    /// and they write names that are not UTF-8 byte for byte, where .NET reads U+FFFD.
    /// </summary>
    private static string? TarHeaderProblem(TarEntry entry, ReadOnlySpan<byte> header, List<byte> headerTypes)
    {
        // A pax header ('x') applies to the next entry for every reader; .NET gives it only to an entry of ustar magic
        // (a PaxTarEntry), whose keys are checked below, and applies some of it silently to others.
        if (entry is not PaxTarEntry && headerTypes.Take(headerTypes.Count - 1).Contains((byte)'x'))
        {
            return $"a pax header comes before '{ProjectPath.Shown(entry.Name)}', whose own header is not a pax one: readers apply its keys differently";
        }

        // The pax header block itself must pass its checksum too (only blocks that do are recorded): GNU tar and
        // libarchive skip one that does not, and read its data as more entries.
        var paxType = entry switch
        {
            PaxGlobalExtendedAttributesTarEntry => (byte)'g',
            PaxTarEntry withKeys when withKeys.ExtendedAttributes.Count > 0 => (byte)'x',
            _ => (byte)0,
        };
        if (paxType != 0 && !headerTypes.Contains(paxType))
        {
            return $"the pax header of '{ProjectPath.Shown(entry.Name)}' fails its checksum: GNU tar and libarchive skip it and read what follows as more entries, Python stops there";
        }

        if (entry is PaxGlobalExtendedAttributesTarEntry global && global.GlobalExtendedAttributes.Keys.FirstOrDefault(k => k != "comment") is { } globalKey)
        {
            return $"its pax global header sets '{ProjectPath.Shown(globalKey)}' for the entries after it, which .NET ignores and GNU tar, libarchive and Python apply";
        }

        if (entry is PaxTarEntry pax)
        {
            foreach (var (key, value) in pax.ExtendedAttributes)
            {
                // GNU.sparse.* rename or reshape an entry for GNU tar, libarchive and Python; SCHILY.realsize resizes it for
                // libarchive; a key with other characters (" path") is one .NET ignores and GNU tar trims; a size that is
                // not plain digits ("+1024") is one GNU tar refuses and .NET and Python take.
                if (key.StartsWith("GNU.", StringComparison.Ordinal) || key == "SCHILY.realsize" || key.Length == 0
                    || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':'))
                    || (key == "size" && (value.Length == 0 || !value.All(char.IsAsciiDigit))))
                {
                    return $"the pax header of '{ProjectPath.Shown(entry.Name)}' sets '{ProjectPath.Shown(key)}' to '{ProjectPath.Shown(value)}', which GNU tar, libarchive or Python read otherwise than .NET";
                }
            }
        }

        // A global header's data is read with it, so the last block is that data, not the header (checked as it came).
        if (header.Length == 512 && entry.EntryType is not TarEntryType.GlobalExtendedAttributes)
        {
            var magic = header.Slice(257, 8);
            var ustar = magic.SequenceEqual("ustar\000"u8);
            var gnuMagic = magic.SequenceEqual("ustar  \0"u8);
            var v7 = magic.IndexOfAnyExcept((byte)0) < 0;
            if (!ustar && !gnuMagic && !v7)
            {
                return $"the header of '{ProjectPath.Shown(entry.Name)}' has the magic bytes '{ProjectPath.Shown(System.Text.Encoding.Latin1.GetString(magic))}', neither ustar's nor GNU's: readers read it as different formats, with different names";
            }

            if ((v7 || gnuMagic) && header.Slice(345, 155).IndexOfAnyExcept((byte)0) >= 0)
            {
                return $"the {(v7 ? "V7" : "GNU")} header of '{ProjectPath.Shown(entry.Name)}' has bytes in its prefix field, which Python joins to the name and other readers ignore";
            }

            // .NET does not check a header's checksum; GNU tar and libarchive skip a header that fails it and read on
            // into its data (where another header may wait), Python stops.
            if (!ChecksumHolds(header))
            {
                return $"the header of '{ProjectPath.Shown(entry.Name)}' fails its checksum: GNU tar and libarchive skip it and read what follows as more entries, Python stops there";
            }
        }

        return entry.Name.Contains('\uFFFD', StringComparison.Ordinal)
            ? $"the name '{ProjectPath.Shown(entry.Name)}' is not valid UTF-8 (or holds U+FFFD): other readers write its bytes as they are, a name no one verified"
            : null;
    }

    /// <summary>Whether a tar header block's checksum holds: the unsigned sum of its bytes, the checksum field as spaces, or the signed sum old tars wrote.</summary>
    private static bool ChecksumHolds(ReadOnlySpan<byte> header)
    {
        var stored = header.Slice(148, 8).Trim((byte)0).Trim((byte)' ').Trim((byte)0);
        var (unsigned, signed) = (8 * ' ', 8 * ' ');
        for (var i = 0; i < 512; i++)
        {
            if (i is < 148 or >= 156)
            {
                unsigned += header[i];
                signed += (sbyte)header[i];
            }
        }

        var given = 0L;
        foreach (var digit in stored)
        {
            if (digit is < (byte)'0' or > (byte)'7' || given > int.MaxValue)
            {
                return false;
            }

            given = (given * 8) + (digit - '0');
        }

        return stored.Length > 0 && (given == unsigned || given == signed);
    }

    /// <summary>
    /// Stops a gzip stream that expands like no real bundle: past 16 GiB of output, more than 200 bytes out for
    /// every byte in (text compresses 3 to 20 times, ModelGoPack stores weights at about 1, and only long runs
    /// of one byte reach deflate's limit of 1,032). Without a manifest, or before it comes (it is last), nothing
    /// else bounds what a tar.gz entry claims to hold; so a bomb costs at most the time to hash 16 GiB.
    /// </summary>
    private sealed class BombGuard(Stream inner, FileStream compressed) : ReadOnlyStream
    {
        private const long MaxRatio = 200;
        private readonly byte[] recent = new byte[512];
        private long produced;

        private readonly List<byte> headerTypes = [];
        private readonly byte[] block = new byte[512];
        private bool recording;

        /// <summary>
        /// From now until <see cref="HeaderTypes"/>, every whole 512-byte block of the tar stream that is a header (its
        /// checksum holds) has its type flag recorded, however the reads split it.
        /// </summary>
        public void BeginHeaders()
        {
            this.headerTypes.Clear();
            this.recording = true;
        }

        /// <summary>The type flags of the header blocks read since <see cref="BeginHeaders"/>, the entry's own last.</summary>
        public List<byte> HeaderTypes()
        {
            this.recording = false;
            return this.headerTypes;
        }

        private void RecordBlocks(ReadOnlySpan<byte> read, long start)
        {
            for (var i = 0; i < read.Length; i++)
            {
                var at = (int)((start + i) % 512);
                this.block[at] = read[i];
                if (at == 511 && ChecksumHolds(this.block))
                {
                    this.headerTypes.Add(this.block[156]);
                }
            }
        }

        /// <summary>The last 512 bytes read (fewer at the start).</summary>
        public ReadOnlySpan<byte> LastBlock => this.produced >= 512 ? this.Ordered() : [];

        private int recentAt;

        private byte[] Ordered()
        {
            var ordered = new byte[512];
            this.recent.AsSpan(this.recentAt).CopyTo(ordered);
            this.recent.AsSpan(0, this.recentAt).CopyTo(ordered.AsSpan(512 - this.recentAt));
            return ordered;
        }

        private void Remember(ReadOnlySpan<byte> read)
        {
            if (read.Length >= 512)
            {
                read[^512..].CopyTo(this.recent);
                this.recentAt = 0;
                return;
            }

            foreach (var b in read)
            {
                this.recent[this.recentAt] = b;
                this.recentAt = (this.recentAt + 1) % 512;
            }
        }

        public override int Read(Span<byte> buffer)
        {
            int read;
            try
            {
                read = inner.Read(buffer);
            }
            catch (InvalidDataException e)
            {
                // .NET says "unsupported compression method" for a gzip member whose CRC-32 or deflate data is wrong.
                throw new InvalidDataException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"its gzip data is damaged (CRC or compressed data) near byte {compressed.Position:N0}; .NET reports: {e.Message}"), e);
            }

            this.produced += read;
            this.Remember(buffer[..read]);
            if (this.recording)
            {
                this.RecordBlocks(buffer[..read], this.produced - read);
            }

            if (this.produced > GzipAllowance && this.produced / Math.Max(compressed.Position, 1) > MaxRatio)
            {
                throw new InvalidDataException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"it expands {this.produced / Math.Max(compressed.Position, 1):N0} times ({this.produced:N0} bytes from {compressed.Position:N0}): a gzip bomb, not a bundle."));
            }

            return read;
        }
    }
}

using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ModelGoPack.Emit;

/// <summary>
/// Writes a .zip (APPNOTE 6.3.x, with Zip64 where needed) so that stored entries can be written in
/// parallel. Every stored entry's place is reserved first (its size is the file's size), and the stored
/// entries are written concurrently at their offsets, while deflated entries are streamed one after the
/// other behind them, each local header patched with its CRC-32 and sizes once the entry is written; the
/// central directory follows, in the order of the data. Everything that could vary is fixed: one timestamp,
/// mode 0644, made by Unix, no extra fields but Zip64's, so the bytes depend only on the entries.
/// </summary>
internal sealed class ZipWriter : IDisposable
{
    private const ushort MadeByUnix = (3 << 8) | 45;
    private const ushort VersionZip64 = 45;
    private const ushort VersionDeflate = 20;
    private const ushort VersionStore = 10;
    private const uint RegularFileAttributes = 0b1000_000_110_100_100u << 16;

    private readonly SafeFileHandle handle;
    private readonly ushort dosTime;
    private readonly ushort dosDate;
    // In the order of the data (deflated entries are added behind every reserved one, so by offset once sorted). A record
    // holds the entry's name as the caller's string, encoded when a header is written: an archive of a million entries
    // keeps a million records until its central directory is written.
    private readonly List<Record> records = [];
    private long position;

    /// <summary>Creates the file; <paramref name="preallocate"/> bytes are allocated up front (the stored entries' size), so that parallel writers do not allocate block by block.</summary>
    public ZipWriter(string path, DateTimeOffset timestamp, long preallocate = 0)
    {
        this.handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None, preallocate);
        var time = timestamp.UtcDateTime;
        if (time.Year < 1980)
        {
            time = new DateTime(1980, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        }
        else if (time.Year > 2107)
        {
            time = new DateTime(2107, 12, 31, 23, 59, 58, DateTimeKind.Utc);
        }

        this.dosTime = (ushort)((time.Hour << 11) | (time.Minute << 5) | (time.Second / 2));
        this.dosDate = (ushort)(((time.Year - 1980) << 9) | (time.Month << 5) | time.Day);
    }

    /// <summary>Streams one deflated entry after what is written or reserved so far. Not concurrent with itself or <see cref="Reserve"/>.</summary>
    public void AddDeflated(string name, long expectedLength, Stream content) => this.AddDeflated(name, expectedLength, (Action<Stream>)content.CopyTo);

    /// <summary>Streams one deflated entry whose bytes <paramref name="write"/> writes, as <see cref="AddDeflated(string, long, Stream)"/> does.</summary>
    public void AddDeflated(string name, long expectedLength, Action<Stream> write)
    {
        var record = new Record(name, Deflated: true, Zip64: DeflateBound(expectedLength) >= uint.MaxValue) { Offset = this.position };
        var headerLength = LocalHeaderLength(record);
        var output = new PositionedStream(this.handle, record.Offset + headerLength);
        var crc = new Crc32();
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true))
        using (var tee = new CrcStream(deflate, crc))
        {
            write(tee);
            record.Length = tee.Length;
        }

        if (output.Written == 0)
        {
            // Deflate writes nothing for no input; a valid deflate stream needs at least its empty final block.
            output.Write([0x03, 0x00]);
        }

        record.CompressedLength = output.Written;
        record.Crc = crc.GetCurrentHashAsUInt32();
        if (!record.Zip64 && (record.Length >= uint.MaxValue || record.CompressedLength >= uint.MaxValue))
        {
            // Unreachable while sources are read no further than their size at discovery; kept as a guard.
            throw new InvalidDataException($"'{name}' grew past 4 GiB while it was written; it was {expectedLength} bytes when discovered.");
        }

        this.WriteLocalHeader(record);
        this.records.Add(record);
        this.position = record.Offset + headerLength + record.CompressedLength;
    }

    /// <summary>Reserves the place of each stored entry, in order, after what is written so far; returns a slot per entry.</summary>
    public IReadOnlyList<Slot> Reserve(IEnumerable<(string Name, long Length)> entries)
    {
        var slots = new List<Slot>();
        foreach (var (name, length) in entries)
        {
            var record = new Record(name, Deflated: false, Zip64: length >= uint.MaxValue)
            {
                Offset = this.position,
                Length = length,
                CompressedLength = length,
            };
            this.records.Add(record);
            slots.Add(new Slot(this, record));
            this.position = record.Offset + LocalHeaderLength(record) + length;
        }

        return slots;
    }

    /// <summary>
    /// Writes the central directory, in the order of the entries in the file (tools that update a zip in
    /// place, .NET's among them, assume that order), and the end records.
    /// </summary>
    public void Complete()
    {
        var records = this.records;
        records.Sort((a, b) => a.Offset.CompareTo(b.Offset));

        // Streamed to the file behind the entries, never built whole in memory (75 bytes and more per entry).
        var directoryOffset = this.position;
        var written = new PositionedStream(this.handle, directoryOffset);
        using var directory = new BufferedStream(written, 1 << 16);
        foreach (var record in records)
        {
            WriteCentralHeader(directory, record, this.dosTime, this.dosDate);
        }

        directory.Flush();
        var directoryLength = written.Written;
        var zip64 = records.Count >= ushort.MaxValue || directoryOffset >= uint.MaxValue || directoryLength >= uint.MaxValue || records.Any(r => r.Zip64 || r.Offset >= uint.MaxValue);
        if (zip64)
        {
            var end64Offset = directoryOffset + directoryLength;
            Span<byte> end64 = stackalloc byte[56];
            BinaryPrimitives.WriteUInt32LittleEndian(end64, ZipFormat.Zip64EndSignature);
            BinaryPrimitives.WriteUInt64LittleEndian(end64[4..], 44);
            BinaryPrimitives.WriteUInt16LittleEndian(end64[12..], MadeByUnix);
            BinaryPrimitives.WriteUInt16LittleEndian(end64[14..], VersionZip64);
            BinaryPrimitives.WriteUInt64LittleEndian(end64[24..], (ulong)records.Count);
            BinaryPrimitives.WriteUInt64LittleEndian(end64[32..], (ulong)records.Count);
            BinaryPrimitives.WriteUInt64LittleEndian(end64[40..], (ulong)directoryLength);
            BinaryPrimitives.WriteUInt64LittleEndian(end64[48..], (ulong)directoryOffset);
            directory.Write(end64);

            Span<byte> locator = stackalloc byte[20];
            BinaryPrimitives.WriteUInt32LittleEndian(locator, ZipFormat.Zip64LocatorSignature);
            BinaryPrimitives.WriteUInt64LittleEndian(locator[8..], (ulong)end64Offset);
            BinaryPrimitives.WriteUInt32LittleEndian(locator[16..], 1);
            directory.Write(locator);
        }

        Span<byte> end = stackalloc byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, ZipFormat.EndSignature);
        var count = (ushort)Math.Min(records.Count, ushort.MaxValue);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], count);
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], count);
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], (uint)Math.Min(directoryLength, uint.MaxValue));
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], (uint)Math.Min(directoryOffset, uint.MaxValue));
        directory.Write(end);

        directory.Flush();
        this.position = directoryOffset + written.Written;
        try
        {
            RandomAccess.SetLength(this.handle, this.position);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw WriteOnlyStream.TooLarge(e);
        }
    }

    public void Dispose() => this.handle.Dispose();

    /// <summary>The most deflate can make of <paramref name="length"/> bytes (zlib's deflateBound), to decide Zip64 before writing.</summary>
    private static long DeflateBound(long length) => length + (length >> 12) + (length >> 14) + (length >> 25) + 13 + 6;

    /// <summary>Writes at an offset; a file the file system cannot hold (EFBIG) is an IOException like a full disk.</summary>
    private static void WriteAt(SafeFileHandle handle, ReadOnlySpan<byte> buffer, long offset)
    {
        try
        {
            RandomAccess.Write(handle, buffer, offset);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw WriteOnlyStream.TooLarge(e);
        }
    }

    private static int LocalHeaderLength(Record record) => 30 + Encoding.UTF8.GetByteCount(record.Name) + (record.Zip64 ? 20 : 0);

    private static ushort Flags(Record record) => Ascii.IsValid(record.Name) ? (ushort)0 : ZipFormat.Utf8Flag;

    private static ushort Version(Record record) => record.Zip64 ? VersionZip64 : record.Deflated ? VersionDeflate : VersionStore;

    private void WriteLocalHeader(Record record)
    {
        var name = Encoding.UTF8.GetBytes(record.Name);
        var header = new byte[LocalHeaderLength(record)];
        var span = header.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, ZipFormat.LocalSignature);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], Version(record));
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], Flags(record));
        BinaryPrimitives.WriteUInt16LittleEndian(span[8..], record.Deflated ? (ushort)8 : (ushort)0);
        BinaryPrimitives.WriteUInt16LittleEndian(span[10..], this.dosTime);
        BinaryPrimitives.WriteUInt16LittleEndian(span[12..], this.dosDate);
        BinaryPrimitives.WriteUInt32LittleEndian(span[14..], record.Crc);
        BinaryPrimitives.WriteUInt32LittleEndian(span[18..], record.Zip64 ? uint.MaxValue : (uint)record.CompressedLength);
        BinaryPrimitives.WriteUInt32LittleEndian(span[22..], record.Zip64 ? uint.MaxValue : (uint)record.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[26..], (ushort)name.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[28..], record.Zip64 ? (ushort)20 : (ushort)0);
        name.CopyTo(span[30..]);
        if (record.Zip64)
        {
            var extra = span[(30 + name.Length)..];
            BinaryPrimitives.WriteUInt16LittleEndian(extra, ZipFormat.Zip64ExtraId);
            BinaryPrimitives.WriteUInt16LittleEndian(extra[2..], 16);
            BinaryPrimitives.WriteUInt64LittleEndian(extra[4..], (ulong)record.Length);
            BinaryPrimitives.WriteUInt64LittleEndian(extra[12..], (ulong)record.CompressedLength);
        }

        WriteAt(this.handle, header, record.Offset);
    }

    private static void WriteCentralHeader(Stream directory, Record record, ushort time, ushort date)
    {
        var name = Encoding.UTF8.GetBytes(record.Name);
        // Zip64 extra: only the fields whose 32-bit slots overflow, in the order APPNOTE 4.5.3 gives.
        var sizes = record.Zip64;
        var offset = record.Offset >= uint.MaxValue;
        var extraLength = (sizes ? 16 : 0) + (offset ? 8 : 0);
        var header = new byte[46 + name.Length + (extraLength > 0 ? 4 + extraLength : 0)];
        var span = header.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, ZipFormat.CentralSignature);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], MadeByUnix);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], sizes || offset ? VersionZip64 : Version(record));
        BinaryPrimitives.WriteUInt16LittleEndian(span[8..], Flags(record));
        BinaryPrimitives.WriteUInt16LittleEndian(span[10..], record.Deflated ? (ushort)8 : (ushort)0);
        BinaryPrimitives.WriteUInt16LittleEndian(span[12..], time);
        BinaryPrimitives.WriteUInt16LittleEndian(span[14..], date);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], record.Crc);
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], sizes ? uint.MaxValue : (uint)record.CompressedLength);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], sizes ? uint.MaxValue : (uint)record.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[28..], (ushort)name.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[30..], (ushort)(extraLength > 0 ? 4 + extraLength : 0));
        BinaryPrimitives.WriteUInt32LittleEndian(span[38..], RegularFileAttributes);
        BinaryPrimitives.WriteUInt32LittleEndian(span[42..], offset ? uint.MaxValue : (uint)record.Offset);
        name.CopyTo(span[46..]);
        if (extraLength > 0)
        {
            var extra = span[(46 + name.Length)..];
            BinaryPrimitives.WriteUInt16LittleEndian(extra, ZipFormat.Zip64ExtraId);
            BinaryPrimitives.WriteUInt16LittleEndian(extra[2..], (ushort)extraLength);
            var field = extra[4..];
            if (sizes)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(field, (ulong)record.Length);
                BinaryPrimitives.WriteUInt64LittleEndian(field[8..], (ulong)record.CompressedLength);
                field = field[16..];
            }

            if (offset)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(field, (ulong)record.Offset);
            }
        }

        directory.Write(header);
    }

    /// <summary>A stored entry's reserved place; <see cref="Write"/> may run concurrently with other slots'.</summary>
    public sealed class Slot
    {
        private readonly ZipWriter writer;
        private readonly Record record;

        internal Slot(ZipWriter writer, Record record)
        {
            this.writer = writer;
            this.record = record;
        }

        /// <summary>
        /// Copies <paramref name="content"/>, which must hold exactly the reserved length (a source that
        /// yields more or less makes the caller discard the archive), then writes the local header with its CRC-32.
        /// </summary>
        public void Write(Stream content)
        {
            var output = new PositionedStream(this.writer.handle, this.record.Offset + LocalHeaderLength(this.record), this.record.Length);
            var crc = new Crc32();
            using (var tee = new CrcStream(output, crc))
            {
                content.CopyTo(tee);
            }

            this.record.Crc = crc.GetCurrentHashAsUInt32();
            this.writer.WriteLocalHeader(this.record);
        }
    }

    internal sealed record Record(string Name, bool Deflated, bool Zip64)
    {
        public long Offset { get; set; }

        public long Length { get; set; }

        public long CompressedLength { get; set; }

        public uint Crc { get; set; }
    }

    /// <summary>
    /// Writes at increasing offsets of a file handle, never more than <paramref name="limit"/> bytes (a
    /// reserved slot); several may write to one handle at once.
    /// </summary>
    private sealed class PositionedStream(SafeFileHandle handle, long offset, long limit = long.MaxValue) : WriteOnlyStream
    {
        public long Written { get; private set; }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (buffer.Length > limit - this.Written)
            {
                throw new InvalidDataException("An entry grew past the place reserved for it.");
            }

            WriteAt(handle, buffer, offset + this.Written);
            this.Written += buffer.Length;
        }

    }

    /// <summary>Passes writes through, adding them to a CRC-32 and counting them.</summary>
    private sealed class CrcStream(Stream inner, Crc32 crc) : WriteOnlyStream
    {
        private long length;

        public override long Length => this.length;

        public override long Position
        {
            get => this.length;
            set => throw new NotSupportedException();
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            crc.Append(buffer);
            inner.Write(buffer);
            this.length += buffer.Length;
        }

        public override void Flush() => inner.Flush();
    }
}

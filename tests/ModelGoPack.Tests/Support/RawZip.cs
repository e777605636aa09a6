using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace ModelGoPack.Tests.Support;

/// <summary>
/// Writes a zip record by record, as an attacker would: each entry's local header, its data as given (which may hide
/// more records), a data descriptor, central records and end records of one's choosing. For archives that no honest
/// writer makes and that readers read differently.
/// </summary>
public static class RawZip
{
    /// <summary>One entry: what its records say, and the bytes that follow its local header.</summary>
    public sealed record Entry(string Name, byte[] Data)
    {
        /// <summary>0 stored, 8 deflated.</summary>
        public ushort Method { get; init; } = 8;

        /// <summary>General purpose flags (bit 3: sizes in a data descriptor after the data).</summary>
        public ushort Flags { get; init; }

        /// <summary>Whether bit 11 (the name is UTF-8) is set in both records.</summary>
        public bool Utf8 { get; init; } = true;

        /// <summary>The name's bytes in both records, when they are not <see cref="Name"/> in UTF-8.</summary>
        public byte[]? RawName { get; init; }

        /// <summary>The local header's 32-bit compressed size, when it is not the data's (LocalSizes must be set).</summary>
        public uint? LocalCompressedSize { get; init; }

        /// <summary>The local header's 32-bit size, when it is not the data's (LocalSizes must be set).</summary>
        public uint? LocalUncompressedSize { get; init; }

        /// <summary>The version needed to extract, in both records (20 is 2.0).</summary>
        public ushort VersionNeeded { get; init; } = 20;

        /// <summary>The central record's extra field.</summary>
        public byte[] CentralExtra { get; init; } = [];

        /// <summary>The bytes after the local header; by default, <see cref="Data"/> stored or deflated.</summary>
        public byte[]? Raw { get; init; }

        /// <summary>Whether the local header gives the CRC-32 and sizes (else zeros, as with a data descriptor).</summary>
        public bool LocalSizes { get; init; } = true;

        /// <summary>The central record's version made by: host in the high byte (3 Unix, 5 Atari ST), version in the low.</summary>
        public ushort MadeBy { get; init; } = 0x031e;

        /// <summary>The central record's external attributes (a Unix mode in the high 16 bits).</summary>
        public uint ExternalAttributes { get; init; } = 0x81A4u << 16;

        /// <summary>The local header's extra field.</summary>
        public byte[] LocalExtra { get; init; } = [];

        /// <summary>Bytes written after the data (a data descriptor).</summary>
        public byte[] Descriptor { get; init; } = [];

        public byte[] Compressed => this.Raw ?? (this.Method == 8 ? Deflate(this.Data) : this.Data);

        public uint Crc => Crc32.HashToUInt32(this.Data);
    }

    /// <summary>The entries of an honest zip, with their names, contents and methods.</summary>
    public static List<Entry> EntriesOf(string zip)
    {
        using var archive = ZipFile.OpenRead(zip);
        return [.. archive.Entries.Select(e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return new Entry(e.FullName, copy.ToArray()) { Method = e.CompressedLength == e.Length && e.Length > 0 ? (ushort)0 : (ushort)8 };
        })];
    }

    public static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>A data descriptor with its signature: CRC-32, then both sizes in 4 bytes each (or 8, <paramref name="wide"/>).</summary>
    public static byte[] Descriptor(uint crc, long compressed, long size, bool wide = false)
    {
        var bytes = new byte[wide ? 24 : 16];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, 0x08074b50);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), crc);
        if (wide)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), compressed);
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16), size);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)compressed);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), (uint)size);
        }

        return bytes;
    }

    /// <summary>An entry's local header.</summary>
    public static byte[] Local(Entry entry)
    {
        var name = entry.RawName ?? Encoding.UTF8.GetBytes(entry.Name);
        var header = new byte[30 + name.Length + entry.LocalExtra.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), entry.VersionNeeded);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), (ushort)(entry.Flags | (entry.Utf8 ? 0x800 : 0)));
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), entry.Method);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(12), 0x21);
        if (entry.LocalSizes)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(14), entry.Crc);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(18), entry.LocalCompressedSize ?? (uint)entry.Compressed.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(22), entry.LocalUncompressedSize ?? (uint)entry.Data.Length);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(26), (ushort)name.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(28), (ushort)entry.LocalExtra.Length);
        name.CopyTo(header, 30);
        entry.LocalExtra.CopyTo(header, 30 + name.Length);
        return header;
    }

    /// <summary>Info-ZIP's Unicode Path extra field (0x7075) naming an entry <paramref name="name"/>, for a header whose own name is <paramref name="headerName"/>.</summary>
    public static byte[] UnicodePath(string headerName, string name)
    {
        var utf8 = Encoding.UTF8.GetBytes(name);
        var field = new byte[9 + utf8.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(field, 0x7075);
        BinaryPrimitives.WriteUInt16LittleEndian(field.AsSpan(2), (ushort)(5 + utf8.Length));
        field[4] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(field.AsSpan(5), Crc32.HashToUInt32(Encoding.UTF8.GetBytes(headerName)));
        utf8.CopyTo(field, 9);
        return field;
    }

    /// <summary>
    /// Deflate data of only non-final stored blocks: a stream that never ends, which .NET's inflater reads to its last
    /// byte without complaint and a streaming reader inflates past.
    /// </summary>
    public static byte[] EndlessDeflate(byte[] data)
    {
        using var output = new MemoryStream();
        foreach (var chunk in data.Chunk(ushort.MaxValue))
        {
            output.WriteByte(0);
            var length = new byte[4];
            BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)chunk.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(length.AsSpan(2), (ushort)~chunk.Length);
            output.Write(length);
            output.Write(chunk);
        }

        return output.ToArray();
    }

    /// <summary>An entry's local header and what follows it: a stored entry to hide inside another's data.</summary>
    public static byte[] LocalRecord(Entry entry) => [.. Local(entry), .. entry.Compressed, .. entry.Descriptor];

    /// <summary>An entry's central record, for its local header at <paramref name="offset"/>.</summary>
    public static byte[] Central(Entry entry, long offset)
    {
        var name = entry.RawName ?? Encoding.UTF8.GetBytes(entry.Name);
        var record = new byte[46 + name.Length + entry.CentralExtra.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(record, 0x02014b50);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(4), entry.MadeBy);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(6), entry.VersionNeeded);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(8), (ushort)(entry.Flags | (entry.Utf8 ? 0x800 : 0)));
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(10), entry.Method);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(14), 0x21);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(16), entry.Crc);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(20), (uint)entry.Compressed.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(24), (uint)entry.Data.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(28), (ushort)name.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(30), (ushort)entry.CentralExtra.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(38), entry.ExternalAttributes);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(42), (uint)offset);
        name.CopyTo(record, 46);
        entry.CentralExtra.CopyTo(record, 46 + name.Length);
        return record;
    }

    /// <summary>
    /// Writes the entries, their central directory and a classic end record; with <paramref name="zip64"/>, a Zip64 end
    /// record and its locator before it as well, whose directory is the one written, while the classic end record points
    /// at <paramref name="zip64"/>'s other directory (written, with its own local entries, inside the Zip64 record's
    /// extensible data): readers that take the Zip64 record and those that take the classic one read different entries.
    /// </summary>
    public static void Write(string path, IReadOnlyList<Entry> entries, IReadOnlyList<Entry>? zip64 = null)
    {
        using var output = new MemoryStream();
        var offsets = new List<long>();
        foreach (var entry in entries)
        {
            offsets.Add(output.Position);
            output.Write(LocalRecord(entry));
        }

        var directoryAt = output.Position;
        for (var i = 0; i < entries.Count; i++)
        {
            output.Write(Central(entries[i], offsets[i]));
        }

        var directorySize = output.Position - directoryAt;
        if (zip64 is null)
        {
            output.Write(End(entries.Count, directorySize, directoryAt));
            File.WriteAllBytes(path, output.ToArray());
            return;
        }

        // The Zip64 end record, whose extensible data holds the other entries and then their central directory.
        var recordAt = output.Position;
        using var extensible = new MemoryStream();
        var otherOffsets = new List<long>();
        foreach (var entry in zip64)
        {
            otherOffsets.Add(recordAt + 56 + extensible.Position);
            extensible.Write(LocalRecord(entry));
        }

        var otherAt = recordAt + 56 + extensible.Position;
        for (var i = 0; i < zip64.Count; i++)
        {
            extensible.Write(Central(zip64[i], otherOffsets[i]));
        }

        var otherSize = recordAt + 56 + extensible.Position - otherAt;
        var record = new byte[56];
        BinaryPrimitives.WriteUInt32LittleEndian(record, 0x06064b50);
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(4), 44 + extensible.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(12), 45);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(14), 45);
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(24), entries.Count);
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(32), entries.Count);
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(40), directorySize);
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(48), directoryAt);
        output.Write(record);
        output.Write(extensible.ToArray());

        var locator = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(locator, 0x07064b50);
        BinaryPrimitives.WriteInt64LittleEndian(locator.AsSpan(8), recordAt);
        BinaryPrimitives.WriteUInt32LittleEndian(locator.AsSpan(16), 1);
        output.Write(locator);

        // The classic end record's directory is the other one; the locator between them is taken as the comment of
        // its last central record (a record's comment length of 20), so that a reader of the classic record sees no gap.
        var bytes = output.ToArray();
        var last = (int)(otherAt + otherSize) - Central(zip64[^1], 0).Length;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(last + 32), 20);
        File.WriteAllBytes(path, [.. bytes, .. End(zip64.Count, otherSize + 20, otherAt)]);
    }

    /// <summary>
    /// Rewrites <paramref name="zip"/> with <paramref name="carrier"/> deflated and flagged for a data descriptor, its
    /// compressed data followed, within its compressed size, by a descriptor and then <paramref name="hidden"/>'s whole
    /// local record: a streaming reader, which has no sizes in the local header to skip by, inflates the carrier, ends it
    /// early and reads the hidden entry on.
    /// </summary>
    public static void HideAfterDeflate(string zip, string carrier, Entry hidden) => Write(zip, EntriesOf(zip).Select(e =>
    {
        if (e.Name != carrier)
        {
            return e;
        }

        var deflated = Deflate(e.Data);
        byte[] raw = [.. deflated, .. Descriptor(e.Crc, deflated.Length, e.Data.Length), .. LocalRecord(hidden)];
        return e with { Method = 8, Flags = 8, LocalSizes = false, Raw = raw, Descriptor = Descriptor(e.Crc, raw.Length, e.Data.Length) };
    }).ToList());

    /// <summary>
    /// Rewrites <paramref name="zip"/> so that <paramref name="name"/>'s sizes follow its data in a 4-byte-wide descriptor
    /// although its local header has a Zip64 field (which makes them 8 bytes wide), and <paramref name="carrier"/>'s
    /// local extra field holds <paramref name="hidden"/>'s whole local record: readers of either width part ways.
    /// </summary>
    public static void NarrowDescriptor(string zip, string name, string carrier, Entry hidden)
    {
        var record = LocalRecord(hidden);
        var zip64 = new byte[20];
        BinaryPrimitives.WriteUInt16LittleEndian(zip64, 1);
        BinaryPrimitives.WriteUInt16LittleEndian(zip64.AsSpan(2), 16);
        Write(zip, EntriesOf(zip).Select(e => e.Name == name
            ? e with { Method = 8, Flags = 8, LocalSizes = false, LocalExtra = zip64, Descriptor = Descriptor(e.Crc, Deflate(e.Data).Length, e.Data.Length) }
            : e.Name == carrier ? e with { LocalExtra = [0xFE, 0xCA, (byte)record.Length, (byte)(record.Length >> 8), .. record] }
            : e).ToList());
    }

    /// <summary>
    /// Rewrites <paramref name="zip"/> with a Zip64 end record for its honest directory and a classic end record for
    /// another, in which <paramref name="name"/> holds <paramref name="other"/> (see <see cref="Write"/>).
    /// </summary>
    public static void SplitEndRecords(string zip, string name, byte[] other)
    {
        var honest = EntriesOf(zip);
        Write(zip, honest, zip64: [.. honest.Select(e => e.Name == name ? new Entry(e.Name, other) { Method = 0 } : e)]);
    }

    /// <summary>
    /// Rewrites <paramref name="zip"/> with a folder entry first whose deflated data is an empty final block, a descriptor
    /// that fits it, and then <paramref name="hidden"/>'s whole local record: a streaming reader unpacks the hidden entry.
    /// </summary>
    public static void HideInFolderEntry(string zip, string folder, Entry hidden)
    {
        byte[] raw = [0x03, 0x00, .. Descriptor(0, 2, 0), .. LocalRecord(hidden)];
        var entry = new Entry(folder, []) { ExternalAttributes = (0x41EDu << 16) | 0x10, Flags = 8, LocalSizes = false, Raw = raw, Descriptor = Descriptor(0, raw.Length, 0) };
        Write(zip, [entry, .. EntriesOf(zip)]);
    }

    /// <summary>
    /// Gives <paramref name="zip"/>'s end record a comment length of 0x4b50 ("PK") and a comment that starts 05 06: an end
    /// record signature that begins two bytes before the comment, for readers that take the last one.
    /// </summary>
    public static void OverlapEndRecord(string zip)
    {
        var bytes = File.ReadAllBytes(zip);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(bytes.Length - 2), 0x4b50);
        var comment = Enumerable.Repeat((byte)' ', 0x4b50).ToArray();
        comment[0] = 5;
        comment[1] = 6;
        File.WriteAllBytes(zip, [.. bytes, .. comment]);
    }

    private static byte[] End(int count, long size, long at)
    {
        var end = new byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(8), (ushort)count);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(10), (ushort)count);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(12), (uint)size);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(16), (uint)at);
        return end;
    }
}

using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Win32.SafeHandles;
using static ModelGoPack.Emit.ZipFormat;

namespace ModelGoPack.Verification;

/// <summary>
/// The entries' records: each central record with the local header it points at, agreeing with it, and every byte
/// before the central directory accounted for by exactly one entry (header, data, data descriptor), in order.
/// </summary>
internal sealed partial class ZipDirectory
{
    private static List<Entry> ReadCentral(SafeFileHandle handle, long at, long size, int count)
    {
        var entries = new List<Entry>(count);
        using var stream = new BufferedStream(new Slice(handle, at, size), 1 << 16);
        var fixedPart = new byte[CentralFixed];
        var variable = new byte[3 * ushort.MaxValue];
        var local = new Local();
        var read = 0L;
        for (var i = 0; i < count; i++)
        {
            if (stream.ReadAtLeast(fixedPart, CentralFixed, throwOnEndOfStream: false) != CentralFixed || BinaryPrimitives.ReadUInt32LittleEndian(fixedPart) != CentralSignature)
            {
                throw new ZipStructureException(string.Create(CultureInfo.InvariantCulture, $"its central directory holds fewer records than its end record says ({i:N0} of {count:N0})"));
            }

            var f = fixedPart.AsSpan();
            var madeBy = BinaryPrimitives.ReadUInt16LittleEndian(f[4..]);
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(f[8..]);
            var method = BinaryPrimitives.ReadUInt16LittleEndian(f[10..]);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(f[16..]);
            long compressed = BinaryPrimitives.ReadUInt32LittleEndian(f[20..]);
            long uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(f[24..]);
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(f[28..]);
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(f[30..]);
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(f[32..]);
            var diskStart = BinaryPrimitives.ReadUInt16LittleEndian(f[34..]);
            var external = BinaryPrimitives.ReadUInt32LittleEndian(f[38..]);
            long localAt = BinaryPrimitives.ReadUInt32LittleEndian(f[42..]);
            var length = nameLength + extraLength + commentLength;
            if (stream.ReadAtLeast(variable.AsSpan(0, length), length, throwOnEndOfStream: false) != length)
            {
                throw new ZipStructureException("its central directory ends inside a record");
            }

            var nameBytes = variable.AsSpan(0, nameLength);
            var name = Decode(nameBytes);
            CheckName(nameBytes, flags, variable.AsSpan(nameLength, extraLength), name);
            Zip64(variable.AsSpan(nameLength, extraLength), ref uncompressed, ref compressed, ref localAt, name);
            read += CentralFixed + length;
            if (diskStart != 0 && diskStart != ushort.MaxValue)
            {
                throw new ZipStructureException($"its entry '{ProjectPath.Printable(name)}' is on another disk");
            }

            if ((flags & (EncryptedFlag | StrongEncryptionFlag | MaskedHeaderFlag)) != 0)
            {
                throw new ZipStructureException($"its entry '{ProjectPath.Printable(name)}' is encrypted, and a bundle is read by anyone");
            }

            // Patched data (bit 5) and versions past 6.3 are refused by some readers (Python) and read by others.
            var versionNeeded = BinaryPrimitives.ReadUInt16LittleEndian(f[6..]) & 0xFF;
            if ((flags & PatchedDataFlag) != 0 || versionNeeded > 63)
            {
                throw new ZipStructureException($"its entry '{ProjectPath.Printable(name)}' needs version {versionNeeded / 10}.{versionNeeded % 10} or patched-data support, which some readers refuse and others ignore");
            }

            CheckType(name, external);

            if (method is not (0 or 8))
            {
                throw new ZipStructureException($"its entry '{ProjectPath.Printable(name)}' uses compression method {method}; a bundle's entries are stored or deflated, as every zip reader reads them");
            }

            if (method == 0 && compressed != uncompressed)
            {
                throw new ZipStructureException($"its stored entry '{ProjectPath.Printable(name)}' has a compressed size other than its size");
            }

            var entry = new Entry(name, localAt, compressed, uncompressed, crc, method, flags, external, madeBy);
            var (dataAt, end) = CheckLocal(handle, entry, nameBytes, at, local);
            entries.Add(entry with { DataOffset = dataAt, End = end });
        }

        if (read != size)
        {
            throw new ZipStructureException(string.Create(CultureInfo.InvariantCulture, $"its central directory is {size:N0} bytes, and its {count:N0} records take {read:N0}"));
        }

        Account(entries, at);
        return entries;
    }

    /// <summary>Buffers for reading local headers, used again for every entry.</summary>
    private sealed class Local
    {
        public byte[] Header { get; } = new byte[LocalFixed];

        public byte[] Variable { get; } = new byte[2 * ushort.MaxValue];

        public byte[] Descriptor { get; } = new byte[24];
    }

    /// <summary>
    /// The local header of <paramref name="entry"/>, where the central directory puts it, agreeing with it: its name's
    /// very bytes, its flags and method, and its CRC-32 and sizes (or those of the data descriptor after its data).
    /// Returns where its data begins and where its record ends.
    /// </summary>
    private static (long DataAt, long End) CheckLocal(SafeFileHandle handle, Entry entry, ReadOnlySpan<byte> centralName, long directoryAt, Local buffers)
    {
        var shown = ProjectPath.Printable(entry.Name);
        var position = entry.LocalOffset;
        if (position + LocalFixed > directoryAt)
        {
            throw new ZipStructureException($"the local header of '{shown}' runs into the central directory");
        }

        ReadExactly(handle, buffers.Header, position);
        var h = buffers.Header.AsSpan();
        if (BinaryPrimitives.ReadUInt32LittleEndian(h) != LocalSignature)
        {
            throw new ZipStructureException(string.Create(CultureInfo.InvariantCulture, $"there is no local header at offset {position:N0}, where the central directory puts '{shown}'"));
        }

        var flags = BinaryPrimitives.ReadUInt16LittleEndian(h[6..]);
        var method = BinaryPrimitives.ReadUInt16LittleEndian(h[8..]);
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(h[14..]);
        long compressed = BinaryPrimitives.ReadUInt32LittleEndian(h[18..]);
        long uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(h[22..]);
        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(h[26..]);
        var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(h[28..]);
        if (position + LocalFixed + nameLength + extraLength > directoryAt)
        {
            throw new ZipStructureException($"the local header of '{shown}' runs into the central directory");
        }

        var variable = buffers.Variable.AsSpan(0, nameLength + extraLength);
        ReadExactly(handle, variable, position + LocalFixed);
        if (!variable[..nameLength].SequenceEqual(centralName))
        {
            throw new ZipStructureException($"the local header of '{shown}' names it '{ProjectPath.Printable(Decode(variable[..nameLength]))}': a streaming reader would write that name", nameProblem: true);
        }

        if (flags != entry.Flags || method != entry.Method)
        {
            throw new ZipStructureException($"the local header of '{shown}' gives other flags or another method than its central record");
        }

        CheckName(variable[..nameLength], flags, variable[nameLength..], entry.Name);

        // A streaming reader reads a 64-bit data descriptor when the local header has a Zip64 field, else a 32-bit one.
        var zip64 = HasZip64Field(variable[nameLength..]);
        // A local Zip64 field holds both sizes; a reader takes a Zip64 value only for a field that is all ones, and the
        // 32-bit value otherwise (libarchive, unzip): so must this, or a local size of 5 with a Zip64 field of 81 would be
        // 81 bytes here and 5 to them.
        var (rawUncompressed, rawCompressed, ignored) = (uncompressed, compressed, 0L);
        Zip64(variable[nameLength..], ref uncompressed, ref compressed, ref ignored, entry.Name, local: true);
        uncompressed = rawUncompressed == uint.MaxValue ? uncompressed : rawUncompressed;
        compressed = rawCompressed == uint.MaxValue ? compressed : rawCompressed;
        CheckLocalAttributes(variable[nameLength..], entry);

        // With a data descriptor, the local values may be zero (the format says they are; Info-ZIP writing to a pipe
        // fills in the size it knows and zeros the rest); any value given must be the central one.
        var descriptorFollows = (flags & DescriptorFlag) != 0;
        bool Agrees(long local, long central) => local == central || (descriptorFollows && local == 0);
        if (!Agrees(crc, entry.Crc) || !Agrees(compressed, entry.CompressedSize) || !Agrees(uncompressed, entry.Size))
        {
            throw new ZipStructureException($"the local header of '{shown}' gives another CRC-32 or size than its central record");
        }

        var dataAt = position + LocalFixed + variable.Length;
        var end = dataAt + entry.CompressedSize;
        if (end > directoryAt)
        {
            throw new ZipStructureException($"the data of '{shown}' runs into the central directory");
        }

        if (descriptorFollows)
        {
            // A stored entry with a descriptor ends, for a streaming reader, wherever its bytes look like a descriptor.
            if (entry.Method == 0)
            {
                throw new ZipStructureException($"its stored entry '{shown}' has its sizes only after its data (a data descriptor): a streaming reader cannot tell where it ends");
            }

            end += DescriptorLength(handle, buffers.Descriptor, end, directoryAt, entry, zip64);
        }

        return (dataAt, end);
    }

    /// <summary>Every byte before the central directory belongs to exactly one entry's record, in order: no gap, no overlap.</summary>
    private static void Account(List<Entry> entries, long directoryAt)
    {
        var order = Enumerable.Range(0, entries.Count).ToArray();
        Array.Sort(order, (x, y) => entries[x].LocalOffset.CompareTo(entries[y].LocalOffset));
        var position = 0L;
        foreach (var index in order)
        {
            var entry = entries[index];
            if (entry.LocalOffset != position)
            {
                throw new ZipStructureException(entry.LocalOffset > position
                    ? string.Create(CultureInfo.InvariantCulture, $"bytes {position:N0} to {entry.LocalOffset:N0} belong to no entry the central directory lists (a hidden entry a streaming reader would unpack, or a prefix)")
                    : string.Create(CultureInfo.InvariantCulture, $"its entry '{ProjectPath.Printable(entry.Name)}' overlaps the entry before it (offset {entry.LocalOffset:N0})"));
            }

            position = entry.End;
        }

        if (position != directoryAt)
        {
            throw new ZipStructureException(string.Create(CultureInfo.InvariantCulture, $"bytes {position:N0} to {directoryAt:N0}, between the last entry and the central directory, belong to no entry it lists (a hidden entry a streaming reader would unpack)"));
        }
    }

    /// <summary>The length of the data descriptor at <paramref name="at"/> that agrees with the central record: with or without its signature, 32- or 64-bit sizes.</summary>
    private static int DescriptorLength(SafeFileHandle handle, byte[] buffer, long at, long limit, Entry entry, bool zip64)
    {
        var available = (int)Math.Min(buffer.Length, limit - at);
        ReadExactly(handle, buffer.AsSpan(0, available), at);
        var d = buffer.AsSpan(0, available);
        var signed = available >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(d) == DescriptorSignature ? 4 : 0;
        foreach (var wide in new[] { zip64 })
        {
            var length = signed + 4 + (wide ? 16 : 8);
            if (length > available)
            {
                continue;
            }

            var fields = d[signed..];
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(fields);
            var compressed = wide ? (long)BinaryPrimitives.ReadUInt64LittleEndian(fields[4..]) : BinaryPrimitives.ReadUInt32LittleEndian(fields[4..]);
            var size = wide ? (long)BinaryPrimitives.ReadUInt64LittleEndian(fields[12..]) : BinaryPrimitives.ReadUInt32LittleEndian(fields[8..]);
            if (crc == entry.Crc && compressed == entry.CompressedSize && size == entry.Size)
            {
                return length;
            }
        }

        throw new ZipStructureException($"the data descriptor of '{ProjectPath.Printable(entry.Name)}' is missing or gives another CRC-32 or size than its central record");
    }
}

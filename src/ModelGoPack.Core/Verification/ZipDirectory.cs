using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using Microsoft.Win32.SafeHandles;
using static ModelGoPack.Emit.ZipFormat;

namespace ModelGoPack.Verification;

/// <summary>
/// A zip read the way every reader reads it, or refused. Readers disagree on a zip in two ways: most (.NET's
/// ZipArchive, unzip, Python) trust the central directory at the end; streaming readers (Java's ZipInputStream,
/// bsdtar from a pipe, many unzippers on the web) walk the local headers from the front. An archive that shows one
/// set of files to one and another set to the other (a local entry the directory does not list, a local name that
/// is not the central one) would verify as one thing and unpack as another. So this reads both and requires that
/// every byte of the archive is accounted for, in order: local header, name and extra, data, data descriptor (with
/// or without its signature, 32- or 64-bit sizes) for each entry, then the central directory, the Zip64 end record
/// and locator, the end record and its comment, to the last byte. Names, sizes, CRC-32, method and flags must agree
/// between each local header and its central record (extra fields may differ: Info-ZIP writes other ones in each).
/// Encrypted entries, methods other than stored and deflated, several disks, prefix and trailing bytes are refused.
/// The directory is parsed once, in one pass, and kept compactly; entries are read through one shared handle with
/// positioned reads, so that any number of workers costs nothing more.
/// </summary>
internal sealed class ZipDirectory : IDisposable
{

    private readonly SafeFileHandle handle;

    private ZipDirectory(string path, SafeFileHandle handle, List<Entry> entries)
    {
        this.Path = path;
        this.handle = handle;
        this.Entries = entries;
    }

    /// <summary>The archive's path.</summary>
    public string Path { get; }

    /// <summary>The entries, in the central directory's order.</summary>
    public IReadOnlyList<Entry> Entries { get; }

    /// <summary>
    /// Reads and checks the structure of the zip at <paramref name="path"/>. Throws <see cref="ZipStructureException"/>
    /// when it is no zip every reader reads alike, and the I/O exceptions of reading it.
    /// </summary>
    public static ZipDirectory Read(string path, int maxEntries = Emit.BundleLimits.MaxFiles + 16)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            return new ZipDirectory(path, handle, Parse(handle, maxEntries));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The data of <paramref name="entry"/>, inflated if it is deflated, checked as it is read: a CRC-32 or a size
    /// other than the central directory's throws <see cref="InvalidDataException"/> at the end of the data.
    /// Safe to call from several threads at once.
    /// </summary>
    public Stream Open(Entry entry)
    {
        var slice = new Slice(this.handle, entry.DataOffset, entry.CompressedSize, entry.Method == 8 ? TrickleTail : 0);
        return new Checked(entry.Method == 8 ? new DeflateStream(slice, CompressionMode.Decompress) : slice, entry, slice);
    }

    /// <summary>
    /// How many last bytes of deflated data are given to the inflater one at a time, so that where the deflate stream
    /// ends is known to the byte: a streaming reader takes what follows that end for the next record, so the end must
    /// be the end of the compressed size (a hidden local header fits in no fewer than 46 bytes).
    /// </summary>
    private const int TrickleTail = 64;

    /// <summary>The entries by name; of an entry given twice (which verify reports), the first.</summary>
    public Dictionary<string, Entry> ByName()
    {
        var byName = new Dictionary<string, Entry>(this.Entries.Count, StringComparer.Ordinal);
        foreach (var entry in this.Entries)
        {
            byName.TryAdd(entry.Name, entry);
        }

        return byName;
    }

    public void Dispose() => this.handle.Dispose();

    /// <summary>The most zero bytes that may follow the end record: a 10,240-byte block's padding (bsdtar's).</summary>
    private const int MaxPadding = 10_240;

    private static List<Entry> Parse(SafeFileHandle handle, int maxEntries)
    {
        var length = RandomAccess.GetLength(handle);

        // The end record: the last signature whose comment reaches to the end of the file, or to zero bytes that pad it
        // to a block (bsdtar writing a zip to a pipe pads it to 10,240 bytes; no reader reads them).
        var tailSize = (int)Math.Min(length, EndSize + ushort.MaxValue + MaxPadding);
        var tail = new byte[tailSize];
        ReadExactly(handle, tail, length - tailSize);
        var padding = tailSize - 1 - tail.AsSpan().LastIndexOfAnyExcept((byte)0);
        var endAt = -1L;
        for (var i = tailSize - EndSize; i >= 0; i--)
        {
            var reach = i + EndSize + BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(i + 20));
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) == EndSignature && (reach == tailSize || (reach >= tailSize - padding && tailSize - reach < MaxPadding)))
            {
                endAt = length - tailSize + i;
                break;
            }
        }

        if (endAt < 0)
        {
            throw new ZipStructureException("it has no end of central directory record at its end (a damaged or truncated zip, or bytes after it)");
        }

        // Readers that take the last end record signature in the file (Python, .NET, unzip, libarchive) must find this
        // one: no other may start after its first byte, not even across its own last fields and its comment (a comment
        // length of 0x4b50 is "PK"), and its comment holds no other record (with a directory of its own, it would show
        // them other entries).
        var after = tail.AsSpan((int)(endAt - (length - tailSize)) + 1);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var signature in new[] { EndSignature, Zip64EndSignature, Zip64LocatorSignature, CentralSignature, LocalSignature })
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, signature);
            if (after.IndexOf(bytes) >= 0)
            {
                throw new ZipStructureException("its end record's comment holds zip records (another end record or directory), which other readers would take for the archive's own");
            }
        }

        var end = tail.AsSpan((int)(endAt - (length - tailSize)), EndSize);
        var disk = BinaryPrimitives.ReadUInt16LittleEndian(end[4..]);
        var directoryDisk = BinaryPrimitives.ReadUInt16LittleEndian(end[6..]);
        long count = BinaryPrimitives.ReadUInt16LittleEndian(end[10..]);
        long onDisk = BinaryPrimitives.ReadUInt16LittleEndian(end[8..]);
        long directorySize = BinaryPrimitives.ReadUInt32LittleEndian(end[12..]);
        long directoryAt = BinaryPrimitives.ReadUInt32LittleEndian(end[16..]);

        // A Zip64 locator right before the end record points at the Zip64 end record right before it.
        var directoryEnd = endAt;
        if (endAt >= LocatorSize && ReadUInt32(handle, endAt - LocatorSize) == Zip64LocatorSignature)
        {
            var locator = new byte[LocatorSize];
            ReadExactly(handle, locator, endAt - LocatorSize);
            var zip64At = (long)BinaryPrimitives.ReadUInt64LittleEndian(locator.AsSpan(8));
            if (BinaryPrimitives.ReadUInt32LittleEndian(locator.AsSpan(4)) != 0 || BinaryPrimitives.ReadUInt32LittleEndian(locator.AsSpan(16)) != 1 || zip64At < 0 || zip64At > endAt - LocatorSize - 56)
            {
                throw new ZipStructureException("its Zip64 end locator spans several disks or points outside the archive");
            }

            var zip64 = new byte[56];
            ReadExactly(handle, zip64, zip64At);
            var recordSize = BinaryPrimitives.ReadUInt64LittleEndian(zip64.AsSpan(4));
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip64) != Zip64EndSignature || (ulong)zip64At + 12 + recordSize != (ulong)(endAt - LocatorSize))
            {
                throw new ZipStructureException(string.Create(CultureInfo.InvariantCulture, $"its Zip64 end record at offset {zip64At} is not where its locator says, or does not end where the locator begins"));
            }

            // Readers that trust the classic record and readers that trust the Zip64 one must find one directory: each
            // classic field is either "see Zip64" (all ones) or the Zip64 value, and the Zip64 record holds nothing more
            // (its extensible data could hide records no reader accounts for).
            var zipDisk = BinaryPrimitives.ReadUInt32LittleEndian(zip64.AsSpan(16));
            var zipDirectoryDisk = BinaryPrimitives.ReadUInt32LittleEndian(zip64.AsSpan(20));
            var zipOnDisk = Checked64(zip64.AsSpan(24));
            var zipCount = Checked64(zip64.AsSpan(32));
            var zipSize = Checked64(zip64.AsSpan(40));
            var zipAt = Checked64(zip64.AsSpan(48));
            static bool Agrees(long classic, long all, long value) => classic == all || classic == value;
            if (recordSize != 44 || !Agrees(disk, ushort.MaxValue, zipDisk) || !Agrees(directoryDisk, ushort.MaxValue, zipDirectoryDisk)
                || !Agrees(onDisk, ushort.MaxValue, zipOnDisk) || !Agrees(count, ushort.MaxValue, zipCount)
                || !Agrees(directorySize, uint.MaxValue, zipSize) || !Agrees(directoryAt, uint.MaxValue, zipAt))
            {
                throw new ZipStructureException("its classic end record and its Zip64 end record describe different central directories, or the Zip64 record carries extra data: readers would disagree on what it holds");
            }

            disk = (ushort)Math.Min(zipDisk, ushort.MaxValue);
            directoryDisk = (ushort)Math.Min(zipDirectoryDisk, ushort.MaxValue);
            onDisk = zipOnDisk;
            count = zipCount;
            directorySize = zipSize;
            directoryAt = zipAt;
            directoryEnd = zip64At;
        }

        if (disk != 0 || directoryDisk != 0 || onDisk != count)
        {
            throw new ZipStructureException("it spans several disks");
        }

        if (count > maxEntries)
        {
            throw new ZipStructureException(string.Create(CultureInfo.InvariantCulture, $"it has {count:N0} entries; a bundle holds at most {Emit.BundleLimits.MaxFiles:N0} files"));
        }

        if (directoryAt + directorySize != directoryEnd)
        {
            throw new ZipStructureException(string.Create(CultureInfo.InvariantCulture, $"its central directory ({directorySize:N0} bytes at offset {directoryAt:N0}) does not end where the end records begin (offset {directoryEnd:N0}): there are bytes no reader accounts for"));
        }

        return ReadCentral(handle, directoryAt, directorySize, (int)count);
    }

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

    /// <summary>The Zip64 extra field's values, in the order the format gives them, for each field that is all ones.</summary>
    private static void Zip64(ReadOnlySpan<byte> extra, ref long uncompressed, ref long compressed, ref long offset, string name, bool local = false)
    {
        var needed = uncompressed == uint.MaxValue || compressed == uint.MaxValue || (!local && offset == uint.MaxValue);
        for (var fields = new ExtraFields(extra); fields.MoveNext();)
        {
            var (id, size) = (fields.Id, fields.Field.Length);
            if (fields.Overruns)
            {
                throw new ZipStructureException($"an extra field of '{ProjectPath.Printable(name)}' runs past its header");
            }

            if (id == Zip64ExtraId && size is not (0 or 8 or 16 or 24 or 28))
            {
                // Java refuses the whole archive for a Zip64 field of another length; others read what they need of it.
                throw new ZipStructureException($"the Zip64 field of '{ProjectPath.Printable(name)}' is {size} bytes, a length the format does not have");
            }

            if (id == Zip64ExtraId && needed)
            {
                var field = fields.Field;
                long Next(ref ReadOnlySpan<byte> rest)
                {
                    if (rest.Length < 8)
                    {
                        throw new ZipStructureException($"the Zip64 field of '{ProjectPath.Printable(name)}' is shorter than its header needs");
                    }

                    var value = Checked64(rest);
                    rest = rest[8..];
                    return value;
                }

                // A local Zip64 field holds both sizes whenever it is there, whichever is all ones.
                if (uncompressed == uint.MaxValue || local)
                {
                    uncompressed = Next(ref field);
                }

                if (compressed == uint.MaxValue || local)
                {
                    compressed = Next(ref field);
                }

                if (!local && offset == uint.MaxValue)
                {
                    offset = Next(ref field);
                }

                return;
            }
        }

        if (needed)
        {
            throw new ZipStructureException($"'{ProjectPath.Printable(name)}' says its sizes are in a Zip64 field, and has none");
        }
    }

    /// <summary>
    /// A name every reader reads alike: one that is not ASCII must be marked UTF-8 (bit 11), else Python and Windows read
    /// it as CP437 and others as UTF-8, and they write different files; and an Info-ZIP Unicode Path field, which unzip
    /// and libarchive take instead of the name, must give the very name.
    /// </summary>
    private static void CheckName(ReadOnlySpan<byte> nameBytes, ushort flags, ReadOnlySpan<byte> extra, string name)
    {
        if ((flags & Utf8Flag) == 0 && !System.Text.Ascii.IsValid(nameBytes))
        {
            throw new ZipStructureException($"the name of '{ProjectPath.Shown(name)}' is not ASCII and not marked as UTF-8 (flag bit 11): Python and Windows read it as CP437, other readers as UTF-8, and they write different names. Make the zip with a tool that marks UTF-8 names (ModelGoPack, Python, .NET, zip -UN=UTF8)", nameProblem: true);
        }

        for (var fields = new ExtraFields(extra); fields.MoveNext();)
        {
            if (fields.Id == UnicodePathExtraId && (fields.Field.Length < 5 || !fields.Field[5..].SequenceEqual(nameBytes)))
            {
                throw new ZipStructureException($"'{ProjectPath.Shown(name)}' carries a Unicode Path field that names it otherwise: unzip and libarchive would write that name", nameProblem: true);
            }
        }
    }

    /// <summary>
    /// What the external attributes make of an entry, for readers that apply them (unzip, libarchive): a Unix file type
    /// (high 16 bits) of a regular file, or of a folder for a folder entry, or none; and no DOS folder bit on a file.
    /// A link is refused elsewhere (MGP9005); a device, a pipe, or a folder where a file is listed, here.
    /// </summary>
    private static void CheckType(string name, uint external)
    {
        var type = (external >> 16) & 0xF000;
        var folder = name.EndsWith('/');
        if (type is 0xA000)
        {
            return;
        }

        if ((type != 0 && type != (folder ? 0x4000u : 0x8000u)) || (!folder && (external & 0x10) != 0))
        {
            throw new ZipStructureException($"its entry '{ProjectPath.Printable(name)}' has the attributes of {(type is 0x4000 || (external & 0x10) != 0 ? "a folder" : "a device, a pipe or a socket")} (external attributes {external:x8}): unzip and libarchive would make one", nameProblem: true);
        }
    }

    /// <summary>
    /// libarchive's local "xl" field (0x6c78) may carry external attributes that a streaming libarchive applies instead of
    /// the central record's (making a listed file a link); they must be the central record's. A Zip64 field must be one
    /// of the lengths its format has, as Java requires.
    /// </summary>
    private static void CheckLocalAttributes(ReadOnlySpan<byte> extra, Entry entry)
    {
        for (var fields = new ExtraFields(extra); fields.MoveNext();)
        {
            var field = fields.Field;
            if (fields.Id == LibarchiveExtraId && field.Length >= 1)
            {
                var at = 1 + ((field[0] & 1) != 0 ? 2 : 0) + ((field[0] & 2) != 0 ? 2 : 0);
                if ((field[0] & 4) != 0 && (field.Length < at + 4 || BinaryPrimitives.ReadUInt32LittleEndian(field[at..]) != entry.ExternalAttributes))
                {
                    throw new ZipStructureException($"the local header of '{ProjectPath.Printable(entry.Name)}' gives other file attributes than its central record (libarchive's xl field): a streaming reader would make it something else", nameProblem: true);
                }
            }
        }
    }

    private static bool HasZip64Field(ReadOnlySpan<byte> extra)
    {
        for (var fields = new ExtraFields(extra); fields.MoveNext();)
        {
            if (fields.Id == Zip64ExtraId)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The fields of an extra block in order: a 2-byte id, a 2-byte size, the data. A field whose size runs past the
    /// block is cut at its end (<see cref="Overruns"/> says so); fewer than 4 bytes left end the block.
    /// </summary>
    private ref struct ExtraFields(ReadOnlySpan<byte> extra)
    {
        private ReadOnlySpan<byte> rest = extra;

        public ushort Id { get; private set; }

        public ReadOnlySpan<byte> Field { get; private set; }

        public bool Overruns { get; private set; }

        public bool MoveNext()
        {
            if (this.rest.Length < 4)
            {
                return false;
            }

            this.Id = BinaryPrimitives.ReadUInt16LittleEndian(this.rest);
            var declared = BinaryPrimitives.ReadUInt16LittleEndian(this.rest[2..]);
            var size = Math.Min(this.rest.Length - 4, declared);
            this.Overruns = declared > size;
            this.Field = this.rest.Slice(4, size);
            this.rest = this.rest[(4 + size)..];
            return true;
        }
    }

    private static long Checked64(ReadOnlySpan<byte> bytes)
    {
        var value = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        return value > long.MaxValue ? throw new ZipStructureException("a Zip64 size or offset is larger than any file") : (long)value;
    }

    /// <summary>
    /// A name as UTF-8 (what bit 11 says; a name without it must be ASCII, see CheckName). Bytes that are not UTF-8 are
    /// refused, not replaced: readers differ on them (unzip drops them, Python and Java refuse, libarchive skips the
    /// entry), so `generate\xff.py` would be one file to verify and another, or none, to them.
    /// </summary>
    private static string Decode(ReadOnlySpan<byte> name)
    {
        try
        {
            return StrictUtf8.GetString(name);
        }
        catch (DecoderFallbackException)
        {
            throw new ZipStructureException($"an entry's name is not valid UTF-8 ('{ProjectPath.Shown(Encoding.UTF8.GetString(name))}'): readers write it differently, or not at all", nameProblem: true);
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static uint ReadUInt32(SafeFileHandle handle, long at)
    {
        Span<byte> bytes = stackalloc byte[4];
        ReadExactly(handle, bytes, at);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> buffer, long at)
    {
        while (buffer.Length > 0)
        {
            var read = RandomAccess.Read(handle, buffer, at);
            if (read == 0)
            {
                throw new ZipStructureException(string.Create(CultureInfo.InvariantCulture, $"it ends at offset {at:N0}, inside a record"));
            }

            buffer = buffer[read..];
            at += read;
        }
    }

    /// <summary>One entry: what its central record says, and where its data starts (after its local header).</summary>
    internal readonly record struct Entry(string Name, long LocalOffset, long CompressedSize, long Size, uint Crc, ushort Method, ushort Flags, uint ExternalAttributes, ushort MadeBy)
    {
        /// <summary>Where the data begins: found when the local header was read.</summary>
        public long DataOffset { get; init; }

        /// <summary>Where the entry's record ends: after its data, and its data descriptor if it has one.</summary>
        public long End { get; init; }

        /// <summary>
        /// Whether a Unix mode in the high half of the external attributes says it is a symbolic link, whatever host
        /// the entry says made it: unzip makes a link of it for several hosts (Unix, BeOS, Atari, AtheOS).
        /// </summary>
        public bool IsLink => ((this.ExternalAttributes >> 16) & 0xF000) == 0xA000;
    }

    /// <summary>A span of the archive read with positioned reads: any number of threads, one handle.</summary>
    private sealed class Slice(SafeFileHandle handle, long start, long length, int trickle = 0) : Stream
    {
        private long position;

        /// <summary>Whether every byte of the slice was read.</summary>
        public bool AtEnd => this.position == length;

        /// <summary>Whether more was asked for once every byte was read: an inflater whose deflate stream never ended.</summary>
        public bool ReadPastEnd { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => this.position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => this.Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var left = length - this.position;
            if (buffer.Length == 0)
            {
                return 0;
            }

            if (left <= 0)
            {
                this.ReadPastEnd = true;
                return 0;
            }

            var wanted = (int)Math.Min(buffer.Length, left <= trickle ? 1 : left - trickle);

            var read = RandomAccess.Read(handle, buffer[..wanted], start + this.position);
            if (read == 0)
            {
                throw new InvalidDataException("the archive ends inside this entry's data");
            }

            this.position += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>An entry's data as read, its CRC-32 and size checked against the central record at its end.</summary>
    private sealed class Checked(Stream inner, Entry entry, Slice data) : Stream
    {
        private readonly Crc32 crc = new();
        private long count;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => entry.Size;

        public override long Position
        {
            get => this.count;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => this.Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            this.crc.Append(buffer[..read]);
            this.count += read;
            if (this.count > entry.Size)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"damaged: its data is longer than the {entry.Size:N0} bytes the archive lists"));
            }

            if (read == 0 && buffer.Length > 0)
            {
                if (this.count != entry.Size)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"damaged: its data is {this.count:N0} bytes, the archive lists {entry.Size:N0}"));
                }

                if (entry.Method == 8 && data.ReadPastEnd)
                {
                    // Its last block is not marked final: a streaming reader goes on inflating what follows.
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"damaged or hiding something: its deflated data has no final block within its compressed size of {entry.CompressedSize:N0} bytes, and a streaming reader would inflate what follows"));
                }

                if (!data.AtEnd)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"damaged or hiding something: its deflated data ends before its compressed size of {entry.CompressedSize:N0} bytes, and a streaming reader would read what follows as more records"));
                }

                if (this.crc.GetCurrentHashAsUInt32() != entry.Crc)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"damaged (CRC): its data's CRC-32 is {this.crc.GetCurrentHashAsUInt32():x8}, the archive lists {entry.Crc:x8}"));
                }
            }

            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>A zip that readers would read differently, or that no reader reads; <see cref="NameProblem"/> when it is about a name (MGP9010).</summary>
internal sealed class ZipStructureException(string message, bool nameProblem = false) : IOException(message)
{
    public bool NameProblem { get; } = nameProblem;
}

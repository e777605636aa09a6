using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Win32.SafeHandles;
using static ModelGoPack.Emit.ZipFormat;

namespace ModelGoPack.Verification;

/// <summary>
/// The records at the end of a zip: the end of central directory record, found where every reader finds it, and the
/// Zip64 end record and locator, which must describe the same central directory as the classic record.
/// </summary>
internal sealed partial class ZipDirectory
{
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
}

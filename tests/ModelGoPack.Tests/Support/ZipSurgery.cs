using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace ModelGoPack.Tests.Support;

/// <summary>
/// Edits a small zip's records in place, as an attacker would, to make archives that readers read differently:
/// a local entry the central directory does not list, a local name other than the central one, the encryption
/// flag. Handles zips without Zip64 or a comment (what ModelGoPack writes for a small bundle).
/// </summary>
public static class ZipSurgery
{
    /// <summary>
    /// Adds a stored local entry (header and data) right before the central directory, listed nowhere: invisible
    /// to readers of the central directory, unpacked by streaming readers.
    /// </summary>
    public static void HideLocalEntry(string zip, string name, byte[] data)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var header = new byte[30 + nameBytes.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 20);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 1 << 11);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(14), Crc32.HashToUInt32(data));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(18), (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(22), (uint)data.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(26), (ushort)nameBytes.Length);
        nameBytes.CopyTo(header.AsSpan(30));
        InsertBeforeDirectory(zip, [.. header, .. data]);
    }

    /// <summary>Puts <paramref name="bytes"/> between the last entry and the central directory, whose offset follows.</summary>
    public static void InsertBeforeDirectory(string zip, byte[] bytes)
    {
        var archive = File.ReadAllBytes(zip);
        var directoryAt = (int)BinaryPrimitives.ReadUInt32LittleEndian(archive.AsSpan(archive.Length - 22 + 16));
        byte[] result = [.. archive.AsSpan(0, directoryAt), .. bytes, .. archive.AsSpan(directoryAt)];
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(result.Length - 22 + 16), (uint)(directoryAt + bytes.Length));
        File.WriteAllBytes(zip, result);
    }

    /// <summary>Gives the local header of <paramref name="name"/> another name of the same length; its central record keeps the first.</summary>
    public static void RenameLocal(string zip, string name, string localName)
    {
        var bytes = File.ReadAllBytes(zip);
        var at = LocalHeader(bytes, name);
        var replacement = Encoding.UTF8.GetBytes(localName);
        if (replacement.Length != Encoding.UTF8.GetByteCount(name))
        {
            throw new ArgumentException("the local name must be as long as the central one", nameof(localName));
        }

        replacement.CopyTo(bytes, at + 30);
        File.WriteAllBytes(zip, bytes);
    }

    /// <summary>Sets the encryption flag of <paramref name="name"/> in both its local header and its central record.</summary>
    public static void SetEncrypted(string zip, string name)
    {
        var bytes = File.ReadAllBytes(zip);
        var local = LocalHeader(bytes, name);
        bytes[local + 6] |= 1;
        bytes[Central(bytes, name) + 8] |= 1;
        File.WriteAllBytes(zip, bytes);
    }

    private static int Central(byte[] bytes, string name)
    {
        var end = bytes.Length - 22;
        var at = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(end + 16));
        var wanted = Encoding.UTF8.GetBytes(name);
        while (at < end)
        {
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 28));
            var extra = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 30));
            var comment = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 32));
            if (bytes.AsSpan(at + 46, nameLength).SequenceEqual(wanted))
            {
                return at;
            }

            at += 46 + nameLength + extra + comment;
        }

        throw new ArgumentException($"no entry '{name}'", nameof(name));
    }

    private static int LocalHeader(byte[] bytes, string name) =>
        (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(Central(bytes, name) + 42));
}

using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;
using static ModelGoPack.Emit.ZipFormat;

namespace ModelGoPack.Verification;

/// <summary>
/// What an entry's records say beyond sizes and offsets, read the way every reader reads it or refused: its name and
/// Unicode Path field, its external attributes, its extra fields (Zip64, libarchive's xl); and the positioned reads.
/// </summary>
internal sealed partial class ZipDirectory
{
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
        if ((flags & Utf8Flag) == 0 && !Ascii.IsValid(nameBytes))
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
}

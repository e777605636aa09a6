using System.Formats.Tar;

namespace ModelGoPack.Verification;

/// <summary>The rules a tar header must meet so that every reader (GNU tar, libarchive, Python, .NET) reads its entry alike.</summary>
internal static class TarHeaders
{
    /// <summary>
    /// Why a tar entry would be read otherwise by another reader, or null. <paramref name="header"/> is the last 512 bytes
    /// read before the entry was returned: its own header block (after any pax or GNU long-name blocks before it).
    /// GNU tar, libarchive and Python honour a pax global header's keys and GNU.sparse.* names, which .NET ignores; they
    /// read a header with other magic bytes than ustar's or GNU's as V7 (no prefix), while .NET and Python join its prefix;
    /// and they write names that are not UTF-8 byte for byte, where .NET reads U+FFFD.
    /// </summary>
    public static string? Problem(TarEntry entry, ReadOnlySpan<byte> header, List<byte> headerTypes)
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
    public static bool ChecksumHolds(ReadOnlySpan<byte> header)
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
}

using System.IO.Compression;
using Microsoft.Win32.SafeHandles;
using ModelGoPack.Emit;

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
/// positioned reads, so that any number of workers costs nothing more. Split by what is read: the end records
/// (ZipDirectory.EndRecords.cs), the central and local records (ZipDirectory.Records.cs), the fields within them
/// (ZipDirectory.Fields.cs), and an entry's data (ZipEntryStreams.cs).
/// </summary>
internal sealed partial class ZipDirectory : IDisposable
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
    public static ZipDirectory Read(string path, int maxEntries = BundleLimits.MaxFiles + 16)
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
}

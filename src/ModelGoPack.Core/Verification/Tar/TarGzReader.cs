using System.Formats.Tar;
using System.IO.Compression;

namespace ModelGoPack.Verification;

/// <summary>
/// The one reader of a tar.gz, for verify, for an upstream's release and for pack's look at an earlier bundle at its
/// output path: one rule for damaged archives and one set of limits. Reads the gzip stream through a guard against
/// gzip bombs (<see cref="GzipBombGuard"/>), refuses every entry other readers (GNU tar, libarchive, Python) would read
/// otherwise than .NET (by its header bytes, before anything of it is taken: <see cref="TarHeaders"/>), drops the <c>./</c> of <c>tar -C dir .</c> names, and skips what is
/// no file: the root folder entry, empty V7 folders (names ending in '/') and <c>git archive</c>'s global header. A
/// damaged archive is <see cref="InvalidDataException"/> with what is wrong.
/// </summary>
internal sealed class TarGzReader : IDisposable
{
    private readonly FileStream file;
    private readonly GZipStream gzip;
    private readonly GzipBombGuard guarded;
    private readonly TarReader reader;

    public TarGzReader(string path)
    {
        this.file = File.OpenRead(path);
        this.gzip = new GZipStream(this.file, CompressionMode.Decompress);
        this.guarded = new GzipBombGuard(this.gzip, this.file);
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
                // .NET ends an archive at a header whose checksum field reads 0; GNU tar and libarchive end it only at a
                // block of zeros, and read on past any other, extracting what follows.
                if (this.guarded.LastBlock.ContainsAnyExcept((byte)0))
                {
                    throw new InvalidDataException("a header that is not a block of zeros ends it for .NET alone (its checksum field reads 0): GNU tar and libarchive read on past it, and extract what follows");
                }

                return null;
            }

            cancellationToken.ThrowIfCancellationRequested();

            // Readers must read the entry as .NET does; what some honour and others ignore is refused, before
            // anything of the entry is taken (its name included).
            if (TarHeaders.Problem(entry, this.guarded.LastBlock, this.guarded.HeaderTypes()) is { } problem)
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

    /// <summary>
    /// Reads to the end of the gzip stream: its last CRC-32 is checked only there (tar stops at its end blocks). What
    /// follows the end blocks must be zeros, the padding tar writes: anything else other readers may take for entries.
    /// </summary>
    public void ReadToEnd()
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = this.guarded.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (buffer.AsSpan(0, read).ContainsAnyExcept((byte)0))
            {
                throw new InvalidDataException("it holds data after the blocks that end the archive, which other readers may take for more entries");
            }
        }
    }

    public void Dispose()
    {
        this.reader.Dispose();
        this.guarded.Dispose();
        this.gzip.Dispose();
        this.file.Dispose();
    }
}

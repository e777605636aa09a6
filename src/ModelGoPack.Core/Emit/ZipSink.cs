using System.IO.Compression;

namespace ModelGoPack.Emit;

/// <summary>
/// Writes a bundle as a .zip to a seekable file: weights stored, text deflated, Zip64 where an entry
/// or the archive needs it (over 4 GiB, or over 65,535 entries), and fixed timestamps and permissions so
/// that the bytes are reproducible.
/// </summary>
internal sealed class ZipSink : IBundleSink
{
    // Unix "regular file, rw-r--r--" in the high 16 bits, whatever the umask.
    private const int RegularFileAttributes = 0b1000_000_110_100_100 << 16;

    private readonly FileStream file;
    private readonly ZipArchive archive;
    private readonly DateTimeOffset timestamp;

    public ZipSink(string path, DateTimeOffset timestamp)
    {
        this.file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 16);
        this.archive = new ZipArchive(this.file, ZipArchiveMode.Create, leaveOpen: true);
        this.timestamp = timestamp;
    }

    public void Add(BundleEntry entry, Stream content)
    {
        var zipEntry = this.archive.CreateEntry(entry.Path, entry.Store ? CompressionLevel.NoCompression : CompressionLevel.Optimal);
        zipEntry.LastWriteTime = this.timestamp;
        zipEntry.ExternalAttributes = RegularFileAttributes;
        using var destination = zipEntry.Open();
        content.CopyTo(destination);
    }

    public void Complete()
    {
        this.archive.Dispose();
        this.file.Flush();
    }

    public void Dispose()
    {
        this.archive.Dispose();
        this.file.Dispose();
    }
}

using System.Formats.Tar;
using System.IO.Compression;

namespace ModelGoPack.Emit;

/// <summary>
/// Writes a bundle as a .tar.gz with System.Formats.Tar: GNU format (long names, entries over 8 GiB),
/// every header fixed (the bundle timestamp, mode 0644, owner 0:0 with no names, no access or change
/// times). The gzip stream is a series of members, as RFC 1952 allows and every gunzip reads: a member
/// stored without compression for weights and already-compressed files, a deflated one for text. Each
/// member's header says "Unix" whatever the platform, so the bytes are the same everywhere.
/// </summary>
internal sealed class TarGzSink : IDisposable
{
    private const UnixFileMode RegularFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly FileStream file;
    private readonly MemberStream members;
    private readonly TarWriter writer;
    private readonly DateTimeOffset timestamp;

    public TarGzSink(string path, DateTimeOffset timestamp)
    {
        this.file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        this.members = new MemberStream(this.file);
        this.writer = new TarWriter(this.members, TarEntryFormat.Gnu, leaveOpen: true);
        this.timestamp = timestamp;
    }

    /// <summary>Adds one entry, copied with <see cref="Stream.CopyTo(Stream)"/> so that a hashing source can overlap hashing with writing.</summary>
    public void Add(BundleEntry entry, Stream content)
    {
        this.members.Use(entry.Store ? CompressionLevel.NoCompression : CompressionLevel.Optimal);
        var tarEntry = new GnuTarEntry(TarEntryType.RegularFile, entry.Path)
        {
            ModificationTime = this.timestamp,
            Mode = RegularFileMode,
            Uid = 0,
            Gid = 0,
            UserName = "",
            GroupName = "",
            DataStream = content,
        };
        this.writer.WriteEntry(tarEntry);
    }

    public void Complete()
    {
        try
        {
            this.writer.Dispose();
            this.members.Dispose();
            this.file.Flush();
        }
        catch (ArgumentOutOfRangeException e)
        {
            // EFBIG from the last buffered write: the file system cannot hold a file this large.
            throw WriteOnlyStream.TooLarge(e);
        }
    }

    public void Dispose()
    {
        this.writer.Dispose();
        this.members.Dispose();
        this.file.Dispose();
    }

    /// <summary>Writes to the current gzip member; <see cref="Use"/> ends it and starts one at another level.</summary>
    private sealed class MemberStream(Stream output) : WriteOnlyStream
    {
        private GZipStream? member;
        private CompressionLevel level;

        public void Use(CompressionLevel wanted)
        {
            if (this.member is not null && this.level == wanted)
            {
                return;
            }

            this.member?.Dispose();
            this.level = wanted;
            this.member = new GZipStream(new UnixHeader(output), wanted, leaveOpen: false);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (this.member is null)
            {
                this.Use(CompressionLevel.Optimal);
            }

            this.member!.Write(buffer);
        }

        public override void Flush() => this.member?.Flush();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                this.member?.Dispose();
                this.member = null;
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>Passes one gzip member through to the file, setting its header's OS byte to Unix (3).</summary>
    /// <summary>
    /// Each gzip member's header as .NET writes it (no name, no time), with the OS byte set to Unix (3) and an extra
    /// field (RFC 1952 FEXTRA) that marks the file as a ModelGoPack bundle: <see cref="BundleMark"/>. gzip, zlib and
    /// tar skip an extra field they do not know; ModelGoPack reads it to leave an earlier bundle out of the next.
    /// </summary>
    private sealed class UnixHeader(Stream output) : WriteOnlyStream
    {
        private const int HeaderBytes = 10;
        private readonly byte[] header = new byte[HeaderBytes];
        private int held;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            try
            {
                if (this.held < HeaderBytes)
                {
                    var take = Math.Min(HeaderBytes - this.held, buffer.Length);
                    buffer[..take].CopyTo(this.header.AsSpan(this.held));
                    this.held += take;
                    buffer = buffer[take..];
                    if (this.held < HeaderBytes)
                    {
                        return;
                    }

                    this.header[3] |= BundleMark.ExtraFlag;
                    this.header[9] = 3;
                    output.Write(this.header);
                    output.Write(BundleMark.GzipExtra);
                }

                if (buffer.Length > 0)
                {
                    output.Write(buffer);
                }
            }
            catch (ArgumentOutOfRangeException e)
            {
                // EFBIG: the file system cannot hold a file this large (FAT32, a file size limit).
                throw TooLarge(e);
            }
        }

        public override void Flush() => output.Flush();
    }
}

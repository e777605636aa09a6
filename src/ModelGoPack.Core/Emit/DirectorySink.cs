namespace ModelGoPack.Emit;

/// <summary>
/// Writes a bundle as a plain folder; every file gets the bundle timestamp. Blocks of zeros become holes,
/// as <c>cp --sparse=auto</c> makes them, so a sparse weight file stays sparse in the bundle. Entries may
/// be added from several threads at once.
/// </summary>
internal sealed class DirectorySink(string root, DateTimeOffset timestamp) : IDisposable
{
    // The bundle paths written (the entries' own strings), not their full paths: a folder bundle of a million files would
    // hold a million full paths until it is complete.
    private readonly List<string> written = [];

    /// <summary>Adds one entry, copied with <see cref="Stream.CopyTo(Stream)"/> so that a hashing source can overlap hashing with writing.</summary>
    public void Add(BundleEntry entry, Stream content) => this.Add(entry, (Action<Stream>)content.CopyTo);

    /// <summary>Adds one entry whose bytes <paramref name="write"/> writes (a manifest streamed, never held whole).</summary>
    public void Add(BundleEntry entry, Action<Stream> write)
    {
        var path = this.FullPath(entry.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        lock (this.written)
        {
            this.written.Add(entry.Path);
        }

        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        using var sparse = new SparseWriter(file);
        write(sparse);
    }

    public void Complete()
    {
        foreach (var path in this.written)
        {
            File.SetLastWriteTimeUtc(this.FullPath(path), timestamp.UtcDateTime);
        }
    }

    private string FullPath(string bundlePath) => Path.Combine(root, bundlePath.Replace('/', Path.DirectorySeparatorChar));

    public void Dispose()
    {
    }

    /// <summary>Writes data, and seeks over whole blocks of zeros; sets the length at the end.</summary>
    internal sealed class SparseWriter(FileStream file) : WriteOnlyStream
    {
        private const int MinimumHole = 64 * 1024;
        private long length;

        public override long Length => this.length;

        public override long Position
        {
            get => this.length;
            set => throw new NotSupportedException();
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            try
            {
                if (buffer.Length >= MinimumHole && !buffer.ContainsAnyExcept((byte)0))
                {
                    file.Seek(buffer.Length, SeekOrigin.Current);
                }
                else
                {
                    file.Write(buffer);
                }
            }
            catch (ArgumentOutOfRangeException e)
            {
                // EFBIG: the file system cannot hold a file this large (FAT32, a file size limit).
                throw TooLarge(e);
            }

            this.length += buffer.Length;
        }

        public override void Flush() => file.Flush();

        protected override void Dispose(bool disposing)
        {
            if (disposing && file.Length != this.length)
            {
                // A file ending in a hole: extend it to its full length.
                try
                {
                    file.SetLength(this.length);
                }
                catch (ArgumentOutOfRangeException e)
                {
                    throw TooLarge(e);
                }
            }

            base.Dispose(disposing);
        }
    }
}

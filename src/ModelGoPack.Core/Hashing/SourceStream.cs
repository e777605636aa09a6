using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace ModelGoPack.Hashing;

/// <summary>
/// A project file opened for one read pass, hashing SHA-256 as it is read. <see cref="CopyTo(Stream, int)"/>
/// pipelines the work: while one block is written to the destination, the previous block is hashed on
/// another core, so a copy runs at the pace of the slower of the two rather than their sum. Memory is two
/// blocks, whatever the file's size. Read failures are <see cref="SourceReadException"/>, so that a host
/// can tell a file it cannot read from a bundle it cannot write.
/// </summary>
internal sealed class SourceStream : Stream
{
    /// <summary>The read size: large enough that system calls cost nothing next to hashing.</summary>
    public const int BlockSize = 1 << 20;

    private readonly SafeFileHandle handle;
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly ProgressCounter? progress;
    private readonly CancellationToken cancellationToken;
    private readonly long length;
    private readonly bool overlap;
    private long position;

    // Bytes read from the file but not yet handed on (ReadAt runs ahead of Advance while a block fills).
    private long pending;
    private Sha256Digest? digest;

    private SourceStream(string path, SafeFileHandle handle, long length, bool overlap, ProgressCounter? progress, CancellationToken cancellationToken)
    {
        this.overlap = overlap;
        this.Path = path;
        this.handle = handle;
        this.length = length;
        this.progress = progress;
        this.cancellationToken = cancellationToken;
    }

    /// <summary>Tests only: raised with the relative path once the first block of a file has been read.</summary>
    internal static event Action<string>? FirstBlockRead;

    /// <summary>The project-relative path, for diagnostics.</summary>
    public string Path { get; }

    /// <summary>Bytes read so far.</summary>
    public long BytesRead => this.position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    /// <summary>The size the file had when it was discovered; a reader that needs it up front (tar) gets this.</summary>
    public override long Length => this.length;

    public override long Position
    {
        get => this.position;
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Opens <paramref name="fullPath"/>. Every byte read is hashed: what is copied is what is hashed. With
    /// <paramref name="overlap"/>, a copy hashes on another core; without (every core already has a file of
    /// its own), on this thread.
    /// </summary>
    public static SourceStream Open(string relativePath, string fullPath, long length, ProgressCounter? progress, CancellationToken cancellationToken, bool overlap = true)
    {
        try
        {
            var handle = File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
            return new SourceStream(relativePath, handle, length, overlap, progress, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SourceReadException(relativePath, e);
        }
    }

    /// <summary>The SHA-256 of everything read, once the whole file has been read.</summary>
    public Sha256Digest Digest()
    {
        if (this.digest is null)
        {
            Span<byte> bytes = stackalloc byte[32];
            this.hash.GetHashAndReset(bytes);
            this.digest = Sha256Digest.From(bytes);
        }

        return this.digest.Value;
    }

    public override int Read(byte[] buffer, int offset, int count) => this.Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = this.ReadAt(buffer);
        this.hash.AppendData(buffer[..read]);
        this.Advance(read);
        return read;
    }

    /// <summary>Reads and hashes the rest of the file on this thread alone, in large blocks.</summary>
    public void ReadToEnd()
    {
        var block = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            while (this.Read(block.AsSpan(0, BlockSize)) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    public override void CopyTo(Stream destination, int bufferSize)
    {
        var blocks = new[] { ArrayPool<byte>.Shared.Rent(BlockSize), ArrayPool<byte>.Shared.Rent(BlockSize) };
        var hashing = Task.CompletedTask;
        try
        {
            for (var i = 0; ; i++)
            {
                // Block i goes into the buffer block i-2 used; that block was hashed (awaited below) and written.
                var block = blocks[i % 2];
                var read = this.Fill(block);
                if (read == 0)
                {
                    break;
                }

                hashing.GetAwaiter().GetResult();

                // One block needs no second thread; from the second on, hash while writing.
                var sha = this.hash;
                hashing = !this.overlap || (read < BlockSize && i == 0) ? HashNow(sha, block, read) : Task.Run(() => sha.AppendData(block, 0, read), CancellationToken.None);

                destination.Write(block, 0, read);
                this.Advance(read);
            }
        }
        finally
        {
            // The hash must not be touching a buffer once it is back in the pool.
            try
            {
                hashing.GetAwaiter().GetResult();
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(blocks[0]);
                ArrayPool<byte>.Shared.Return(blocks[1]);
            }
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            this.handle.Dispose();
            this.hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private static Task HashNow(IncrementalHash sha, byte[] block, int read)
    {
        sha.AppendData(block, 0, read);
        return Task.CompletedTask;
    }

    // Reads until the block is full or the file ends.
    private int Fill(byte[] block)
    {
        var filled = 0;
        while (filled < BlockSize)
        {
            var read = this.ReadAt(block.AsSpan(filled, BlockSize - filled));
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    private int ReadAt(Span<byte> buffer)
    {
        this.cancellationToken.ThrowIfCancellationRequested();

        // Never past the size the file had when it was discovered: a file that grows is caught by its
        // identity afterwards, and a reserved place in an archive is never overrun.
        var remaining = this.length - (this.position + this.pending);
        if (remaining <= 0)
        {
            return 0;
        }

        if (buffer.Length > remaining)
        {
            buffer = buffer[..(int)remaining];
        }

        int read;
        try
        {
            read = RandomAccess.Read(this.handle, buffer, this.position + this.pending);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SourceReadException(this.Path, e);
        }

        if (this.position == 0 && this.pending == 0 && read > 0)
        {
            FirstBlockRead?.Invoke(this.Path);
        }

        this.pending += read;
        return read;
    }

    private void Advance(int read)
    {
        this.pending -= read;
        this.position += read;
        this.progress?.AddBytes(read);
        this.progress?.AddHashed(read);
    }
}

/// <summary>A project file could not be opened or read; names the file.</summary>
internal sealed class SourceReadException(string path, Exception inner) : IOException($"Cannot read '{path}': {inner.Message}", inner)
{
    public string RelativePath { get; } = path;
}

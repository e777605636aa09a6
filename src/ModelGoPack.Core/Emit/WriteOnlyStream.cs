namespace ModelGoPack.Emit;

/// <summary>
/// The base of the bundle writers' pass-through streams: write-only, forward-only. Subclasses implement
/// <see cref="Write(ReadOnlySpan{byte})"/> (and <see cref="Flush"/> when they buffer).
/// </summary>
internal abstract class WriteOnlyStream : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public abstract override void Write(ReadOnlySpan<byte> buffer);

    public override void Write(byte[] buffer, int offset, int count) => this.Write(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>EFBIG (a file larger than the file system or a size limit allows) as the write failure it is.</summary>
    public static IOException TooLarge(ArgumentOutOfRangeException e) =>
        new($"The file system cannot hold a file this large ({e.Message})", e);
}

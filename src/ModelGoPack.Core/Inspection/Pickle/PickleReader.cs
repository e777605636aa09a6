using System.Text;

namespace ModelGoPack.Inspection.Pickle;

/// <summary>
/// Reads a pickle through a fixed buffer, counting every byte: past <see cref="PyTorchInspector.MaxPickleBytes"/> it
/// stops, whatever the archive declared, and long payloads are skipped in chunks, never stored.
/// </summary>
internal sealed class PickleReader(Stream stream, long declared, string source)
{
    private readonly byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;
    private long consumed;

    /// <summary>Where the pickle stream says it ends (the declared entry size or the file size), capped.</summary>
    public long Declared { get; } = declared;

    public string Source { get; } = source;

    /// <summary>The offset of the next byte in the pickle.</summary>
    public long Position => this.consumed - (this.end - this.start);

    public byte ReadByte(string what)
    {
        if (this.start == this.end)
        {
            this.Fill(what);
        }

        return this.buffer[this.start++];
    }

    /// <summary>Reads a small fixed-size argument (at most the buffer's size).</summary>
    public ReadOnlySpan<byte> ReadFixed(int count, string what)
    {
        if (this.end - this.start < count)
        {
            this.Compact();
            while (this.end < count)
            {
                this.Fill(what);
            }
        }

        var span = this.buffer.AsSpan(this.start, count);
        this.start += count;
        return span;
    }

    public void Skip(long count, string what)
    {
        while (count > 0)
        {
            if (this.start == this.end)
            {
                this.Fill(what);
            }

            var take = (int)Math.Min(count, this.end - this.start);
            this.start += take;
            count -= take;
        }
    }

    /// <summary>
    /// Reads a newline-terminated argument, keeping at most <paramref name="keep"/> characters (Latin-1);
    /// <c>Whole</c> says whether the kept text is the whole line.
    /// </summary>
    public (string Text, bool Whole) ReadLine(int keep, string what)
    {
        var text = new StringBuilder();
        var whole = true;
        while (true)
        {
            var b = this.ReadByte(what);
            if (b == (byte)'\n')
            {
                return (text.ToString(), whole);
            }

            if (text.Length < keep)
            {
                text.Append((char)b);
            }
            else
            {
                whole = false;
            }
        }
    }

    private void Compact()
    {
        Buffer.BlockCopy(this.buffer, this.start, this.buffer, 0, this.end - this.start);
        this.end -= this.start;
        this.start = 0;
    }

    private void Fill(string what)
    {
        if (this.start == this.end)
        {
            this.start = this.end = 0;
        }

        var room = this.buffer.Length - this.end;
        var allowed = PyTorchInspector.MaxPickleBytes - this.consumed;
        var read = allowed <= 0
            ? stream.Read(this.buffer, this.end, 1)
            : stream.Read(this.buffer, this.end, (int)Math.Min(room, allowed));
        if (read == 0)
        {
            throw new ArtifactFormatException($"{this.Source}: the pickle is truncated: it ends at byte {this.Position:N0}, in {what}.");
        }

        if (allowed <= 0)
        {
            throw new ArtifactFormatException($"{this.Source}: the pickle is longer than {PyTorchInspector.MaxPickleBytes:N0} bytes, the limit for a checkpoint's pickle.");
        }

        this.end += read;
        this.consumed += read;
    }
}

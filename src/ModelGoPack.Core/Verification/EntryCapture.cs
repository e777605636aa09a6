using ModelGoPack.Inspection;
using ModelGoPack.Loading;

namespace ModelGoPack.Verification;

/// <summary>
/// What verify keeps of an archive entry while it hashes it, so that the entry is read once, and no more than
/// the evaluation reads: the first 16 MiB and last 1 MiB of a weight file (where the headers are: safetensors,
/// GGUF and ONNX at the start, a PyTorch zip's directory at the end); all of the root's LICENSE, NOTICE,
/// README.md and modelgo.json (up to 4 MiB), of a JSON file the inspector reads (config.json,
/// tokenizer_config.json, a shard index; up to 16 MiB), of a manifest, and of any file up to 64 KiB; and the
/// first 512 bytes (the magic) of anything else.
/// </summary>
internal sealed class EntryCapture
{
    /// <summary>Any entry up to this size is kept whole.</summary>
    public const int SmallLimit = 64 * 1024;

    /// <summary>Notices and the model card are read whole up to this size, as check reads them.</summary>
    public const int TextLimit = ProjectLoader.MaxTextFileBytes;

    /// <summary>The most verify keeps of a weight file's start.</summary>
    public const int HeadLimit = 16 * 1024 * 1024;

    private const int TailLimit = 1024 * 1024;

    // A manifest found in a folder of a tar.gz may turn out to be the bundle's: kept whole, as verify reads manifests.
    private const string ManifestName = BundleVerifier.ManifestName;
    private const long ManifestLimit = BundleVerifier.MaxManifestBytes;
    private const int MagicBytes = 512;

    private readonly byte[] head;
    private readonly byte[] tail;
    private int headCount;
    private long tailWritten;

    /// <summary>What to keep of an entry of <paramref name="size"/> bytes; <paramref name="whole"/>: the evaluation claimed it (<see cref="BundleContent.ClaimWhole"/>).</summary>
    public EntryCapture(string path, long size, bool whole = false)
    {
        var weights = FileKinds.IsWeights(path);
        var name = Path.GetFileName(path);
        var headSize = size <= SmallLimit
            || (whole && name == ManifestName && size <= ManifestLimit)
            || (whole && size <= TextLimit)
            || (ArtifactInspector.ReadsWhole(name) && size <= HeadLimit) ? size
            : weights ? Math.Min(size, HeadLimit)
            : MagicBytes;
        this.head = new byte[headSize];
        this.tail = weights && size > headSize ? new byte[Math.Min(TailLimit, size - headSize)] : [];
    }

    /// <summary>Bytes seen so far.</summary>
    public long Length { get; private set; }

    /// <summary>The whole entry, when all of it was kept.</summary>
    public byte[]? Whole => this.Length != this.headCount ? null : this.headCount == this.head.Length ? this.head : this.head[..this.headCount];

    public void Add(ReadOnlySpan<byte> data)
    {
        this.Length += data.Length;
        var toHead = Math.Min(data.Length, this.head.Length - this.headCount);
        data[..toHead].CopyTo(this.head.AsSpan(this.headCount));
        this.headCount += toHead;
        data = data[toHead..];
        if (this.tail.Length == 0 || data.Length == 0)
        {
            return;
        }

        // A ring of the last bytes.
        if (data.Length > this.tail.Length)
        {
            this.tailWritten += data.Length - this.tail.Length;
            data = data[^this.tail.Length..];
        }

        var at = (int)(this.tailWritten % this.tail.Length);
        var first = Math.Min(data.Length, this.tail.Length - at);
        data[..first].CopyTo(this.tail.AsSpan(at));
        data[first..].CopyTo(this.tail);
        this.tailWritten += data.Length;
    }

    /// <summary>A seekable view of the entry that serves what was kept and refuses the rest.</summary>
    public Stream Open()
    {
        var tailCount = (int)Math.Min(this.tailWritten, this.tail.Length);
        var tailBytes = new byte[tailCount];
        if (tailCount > 0)
        {
            var start = (int)(this.tailWritten % this.tail.Length);
            var ordered = this.tailWritten > this.tail.Length ? [.. this.tail.AsSpan(start), .. this.tail.AsSpan(0, start)] : this.tail.AsSpan(0, tailCount).ToArray();
            tailBytes = ordered;
        }

        return new WindowStream(this.head.AsMemory(0, this.headCount), tailBytes, this.Length);
    }

    private sealed class WindowStream(ReadOnlyMemory<byte> head, byte[] tail, long length) : Stream
    {
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => this.position;
            set => this.position = value;
        }

        public override int Read(byte[] buffer, int offset, int count) => this.Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (this.position >= length || buffer.Length == 0)
            {
                return 0;
            }

            var tailStart = length - tail.Length;
            int read;
            if (this.position < head.Length)
            {
                read = Math.Min(buffer.Length, head.Length - (int)this.position);
                head.Span.Slice((int)this.position, read).CopyTo(buffer);
            }
            else if (this.position >= tailStart)
            {
                read = (int)Math.Min(buffer.Length, length - this.position);
                tail.AsSpan((int)(this.position - tailStart), read).CopyTo(buffer);
            }
            else
            {
                throw new HeaderOutOfReachException(
                    $"its header reaches past the first {HeadLimit / (1024 * 1024)} MiB, which is what verify reads of a weight file inside an archive; verify the unpacked folder to judge it");
            }

            this.position += read;
            return read;
        }

        public override long Seek(long offset, SeekOrigin origin) => this.position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => this.position + offset,
            _ => length + offset,
        };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

namespace ModelGoPack.Verification;

/// <summary>
/// Stops a gzip stream that expands like no real bundle: past 16 GiB of output, more than 200 bytes out for
/// every byte in (text compresses 3 to 20 times, ModelGoPack stores weights at about 1, and only long runs
/// of one byte reach deflate's limit of 1,032). Without a manifest, or before it comes (it is last), nothing
/// else bounds what a tar.gz entry claims to hold; so a bomb costs at most the time to hash 16 GiB. It also keeps
/// what the tar reader read last (the last block, the type flags of the header blocks), for <see cref="TarHeaders"/>.
/// </summary>
internal sealed class GzipBombGuard(Stream inner, FileStream compressed) : ReadOnlyStream
{
    private const long MaxRatio = 200;
    private readonly byte[] recent = new byte[512];
    private long produced;

    private readonly List<byte> headerTypes = [];
    private readonly byte[] block = new byte[512];
    private bool recording;

    /// <summary>
    /// From now until <see cref="HeaderTypes"/>, every whole 512-byte block of the tar stream that is a header (its
    /// checksum holds) has its type flag recorded, however the reads split it.
    /// </summary>
    public void BeginHeaders()
    {
        this.headerTypes.Clear();
        this.recording = true;
    }

    /// <summary>The type flags of the header blocks read since <see cref="BeginHeaders"/>, the entry's own last.</summary>
    public List<byte> HeaderTypes()
    {
        this.recording = false;
        return this.headerTypes;
    }

    private void RecordBlocks(ReadOnlySpan<byte> read, long start)
    {
        for (var i = 0; i < read.Length; i++)
        {
            var at = (int)((start + i) % 512);
            this.block[at] = read[i];
            if (at == 511 && TarHeaders.ChecksumHolds(this.block))
            {
                this.headerTypes.Add(this.block[156]);
            }
        }
    }

    /// <summary>The last 512 bytes read (fewer at the start).</summary>
    public ReadOnlySpan<byte> LastBlock => this.produced >= 512 ? this.Ordered() : [];

    private int recentAt;

    private byte[] Ordered()
    {
        var ordered = new byte[512];
        this.recent.AsSpan(this.recentAt).CopyTo(ordered);
        this.recent.AsSpan(0, this.recentAt).CopyTo(ordered.AsSpan(512 - this.recentAt));
        return ordered;
    }

    private void Remember(ReadOnlySpan<byte> read)
    {
        if (read.Length >= 512)
        {
            read[^512..].CopyTo(this.recent);
            this.recentAt = 0;
            return;
        }

        foreach (var b in read)
        {
            this.recent[this.recentAt] = b;
            this.recentAt = (this.recentAt + 1) % 512;
        }
    }

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = inner.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            // .NET says "unsupported compression method" for a gzip member whose CRC-32 or deflate data is wrong.
            throw new InvalidDataException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"its gzip data is damaged (CRC or compressed data) near byte {compressed.Position:N0}; .NET reports: {e.Message}"), e);
        }

        this.produced += read;
        this.Remember(buffer[..read]);
        if (this.recording)
        {
            this.RecordBlocks(buffer[..read], this.produced - read);
        }

        if (this.produced > TarGzReader.GzipAllowance && this.produced / Math.Max(compressed.Position, 1) > MaxRatio)
        {
            throw new InvalidDataException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"it expands {this.produced / Math.Max(compressed.Position, 1):N0} times ({this.produced:N0} bytes from {compressed.Position:N0}): a gzip bomb, not a bundle."));
        }

        return read;
    }
}

namespace ModelGoPack.Hashing;

/// <summary>
/// How far a run is: bytes and files done out of the total of the current phase. The engine only adds to
/// it (cheaply, from any thread); a host reads it on its own timer to draw a progress bar or print lines.
/// </summary>
public sealed class ProgressCounter
{
    private long bytesDone;
    private long bytesTotal;
    private int filesDone;
    private int filesTotal;
    private volatile string phase = "";
    private long phaseStarted;
    private long phaseEnded;
    private long bytesHashed;
    private int filesReused;
    private long bytesReused;
    private int upstreamReleases;
    private long upstreamBytesHashed;

    /// <summary>What is being done: "hashing", "packing" or "verifying"; empty before the first phase.</summary>
    public string Phase => this.phase;

    public long BytesDone => Interlocked.Read(ref this.bytesDone);

    public long BytesTotal => Interlocked.Read(ref this.bytesTotal);

    public int FilesDone => Volatile.Read(ref this.filesDone);

    public int FilesTotal => Volatile.Read(ref this.filesTotal);

    /// <summary>How long the current phase has run, or ran when it is finished.</summary>
    public TimeSpan PhaseElapsed => this.Phase.Length == 0 ? TimeSpan.Zero
        : Interlocked.Read(ref this.phaseEnded) is > 0 and var ended ? System.Diagnostics.Stopwatch.GetElapsedTime(Interlocked.Read(ref this.phaseStarted), ended)
        : System.Diagnostics.Stopwatch.GetElapsedTime(Interlocked.Read(ref this.phaseStarted));

    /// <summary>Bytes read from files whose digest was computed (not taken from the cache) in this run.</summary>
    public long BytesHashed => Interlocked.Read(ref this.bytesHashed);

    /// <summary>Files pack took from the previous bundle at the output (linked, not copied) in this run.</summary>
    public int FilesReused => Volatile.Read(ref this.filesReused);

    /// <summary>Bytes of the files counted in <see cref="FilesReused"/>.</summary>
    public long BytesReused => Interlocked.Read(ref this.bytesReused);

    internal void Start(string name, long bytes, int files)
    {
        Interlocked.Exchange(ref this.bytesDone, 0);
        Interlocked.Exchange(ref this.bytesTotal, bytes);
        Volatile.Write(ref this.filesDone, 0);
        Volatile.Write(ref this.filesTotal, files);
        Interlocked.Exchange(ref this.phaseStarted, System.Diagnostics.Stopwatch.GetTimestamp());
        Interlocked.Exchange(ref this.phaseEnded, 0);
        this.phase = name;
    }

    /// <summary>Ends the phase's clock: what follows (verify's evaluation) is not reading, and is not counted in its rate.</summary>
    internal void Finish() => Interlocked.CompareExchange(ref this.phaseEnded, System.Diagnostics.Stopwatch.GetTimestamp(), 0);

    internal void AddBytes(long bytes) => Interlocked.Add(ref this.bytesDone, bytes);

    internal void AddHashed(long bytes) => Interlocked.Add(ref this.bytesHashed, bytes);

    internal void AddReused(long bytes)
    {
        Interlocked.Increment(ref this.filesReused);
        Interlocked.Add(ref this.bytesReused, bytes);
    }

    internal void FileDone() => Interlocked.Increment(ref this.filesDone);

    /// <summary>How many upstream releases were read for lineage in this run.</summary>
    public int UpstreamReleases => Volatile.Read(ref this.upstreamReleases);

    /// <summary>Bytes of upstream releases read to hash them (not named by a blob, a pointer or a record, nor from the cache).</summary>
    public long UpstreamBytesHashed => Interlocked.Read(ref this.upstreamBytesHashed);

    internal void UpstreamRead(long bytesHashed)
    {
        Interlocked.Increment(ref this.upstreamReleases);
        Interlocked.Add(ref this.upstreamBytesHashed, bytesHashed);
    }
}

namespace ModelGoPack.Emit;

/// <summary>Where bundle entries go: a folder or an archive, written under a temporary name.</summary>
internal interface IBundleSink : IDisposable
{
    /// <summary>Opens a stream for one entry; the caller writes the whole entry, then disposes it.</summary>
    Stream Open(BundleEntry entry);

    /// <summary>Finishes the container (central directory, timestamps) before it is moved into place.</summary>
    void Complete();
}

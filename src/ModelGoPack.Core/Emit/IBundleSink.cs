namespace ModelGoPack.Emit;

/// <summary>Where bundle entries go: a folder or an archive, written under a temporary name.</summary>
internal interface IBundleSink : IDisposable
{
    /// <summary>
    /// Adds one entry, copying <paramref name="content"/> (<see cref="Stream.Length"/> bytes) with
    /// <see cref="Stream.CopyTo(Stream)"/>, so that a hashing source can overlap hashing with writing.
    /// </summary>
    void Add(BundleEntry entry, Stream content);

    /// <summary>Finishes the container (central directory, timestamps) before it is moved into place.</summary>
    void Complete();
}

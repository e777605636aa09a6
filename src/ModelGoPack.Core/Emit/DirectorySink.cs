namespace ModelGoPack.Emit;

/// <summary>Writes a bundle as a plain folder; every file gets the bundle timestamp.</summary>
internal sealed class DirectorySink(string root, DateTimeOffset timestamp) : IBundleSink
{
    private readonly List<string> written = [];

    public Stream Open(BundleEntry entry)
    {
        var path = Path.Combine(root, entry.Path.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        this.written.Add(path);
        return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
    }

    public void Complete()
    {
        foreach (var path in this.written)
        {
            File.SetLastWriteTimeUtc(path, timestamp.UtcDateTime);
        }
    }

    public void Dispose()
    {
    }
}

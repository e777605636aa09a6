namespace ModelGoPack.Discovery;

/// <summary>A file of the model project: its project-relative path ('/'-separated), full path and size.</summary>
public sealed record ProjectFile(string RelativePath, string FullPath, long Length)
{
    /// <summary>
    /// Opens the content when it is not a file on disk (an entry of a bundle that verify read); null opens
    /// <see cref="FullPath"/>.
    /// </summary>
    internal Func<Stream>? Opener { get; init; }

    /// <summary>Opens the content for reading: the file at <see cref="FullPath"/>, or what <see cref="Opener"/> gives.</summary>
    internal Stream Open(int bufferSize = 1, FileOptions options = FileOptions.None) =>
        this.Opener?.Invoke() ?? new FileStream(this.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize, options);
}

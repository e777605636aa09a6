namespace ModelGoPack.Discovery;

/// <summary>A file of the model project: its project-relative path ('/'-separated), full path and size.</summary>
/// <remarks>
/// A project of a million small files holds a million of these for the whole run. A file the scanner found under the
/// project's root (<see cref="Under"/>) keeps only its relative path and the root, a string all of them share: its
/// full path is made when asked for (to open or stat the file), never held beside the relative one.
/// </remarks>
public sealed record ProjectFile
{
    // The full path as given, or null when it is Join(root, RelativePath).
    private readonly string? fullPath;

    // The folder RelativePath is under, shared by every file of a scan; null when fullPath is given.
    private readonly string? root;

    /// <summary>A file at <paramref name="FullPath"/>, known in the project as <paramref name="RelativePath"/>.</summary>
    public ProjectFile(string RelativePath, string FullPath, long Length)
    {
        this.RelativePath = RelativePath;
        this.fullPath = FullPath;
        this.Length = Length;
    }

    private ProjectFile(string root, string relativePath, long length, bool underRoot)
    {
        _ = underRoot;
        this.RelativePath = relativePath;
        this.root = root;
        this.Length = length;
    }

    /// <summary>Project-relative path, '/'-separated.</summary>
    public string RelativePath { get; init; }

    /// <summary>The file's full path on this machine (made from the root and the relative path for a scanned file).</summary>
    public string FullPath => this.fullPath ?? Path.Join(this.root, OperatingSystem.IsWindows() ? this.RelativePath.Replace('/', '\\') : this.RelativePath);

    /// <summary>Size in bytes, as listed.</summary>
    public long Length { get; init; }

    /// <summary>
    /// Opens the content when it is not a file on disk (an entry of a bundle that verify read); null opens
    /// <see cref="FullPath"/>.
    /// </summary>
    internal Func<Stream>? Opener { get; init; }

    /// <summary>Whether the full path is held (given), rather than made from a shared root when asked for.</summary>
    internal bool HoldsFullPath => this.fullPath is not null;

    /// <summary>
    /// The file <paramref name="relativePath"/> under <paramref name="root"/> (a full path with no trailing separator,
    /// the same string for every file of a project), whose full path is their join.
    /// </summary>
    internal static ProjectFile Under(string root, string relativePath, long length) => new(root, relativePath, length, underRoot: true);

    /// <summary>Opens the content for reading: the file at <see cref="FullPath"/>, or what <see cref="Opener"/> gives.</summary>
    internal Stream Open(int bufferSize = 1, FileOptions options = FileOptions.None) =>
        this.Opener?.Invoke() ?? new FileStream(this.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize, options);

    /// <summary>Equal when the relative path, full path, size and opener are (however the full path is held).</summary>
    public bool Equals(ProjectFile? other) =>
        other is not null && this.RelativePath == other.RelativePath && this.Length == other.Length && this.FullPath == other.FullPath && Equals(this.Opener, other.Opener);

    public override int GetHashCode() => HashCode.Combine(this.RelativePath, this.Length);

    /// <summary>The relative path, full path and size, as the positional record gave them.</summary>
    public void Deconstruct(out string RelativePath, out string FullPath, out long Length)
    {
        RelativePath = this.RelativePath;
        FullPath = this.FullPath;
        Length = this.Length;
    }
}

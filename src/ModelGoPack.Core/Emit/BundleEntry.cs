using ModelGoPack.Discovery;
using ModelGoPack.Inspection;

namespace ModelGoPack.Emit;

/// <summary>One file of the bundle: generated content, or a project file copied as it is.</summary>
internal sealed record BundleEntry(string Path, ProjectFile? Source, ReadOnlyMemory<byte> Content)
{
    public long Length => this.Source?.Length ?? this.Content.Length;

    /// <summary>Whether a zip stores the entry as it is rather than deflating it.</summary>
    public bool Store => FileKinds.IsIncompressible(this.Path);

    public static BundleEntry Generated(string path, ReadOnlyMemory<byte> content) => new(path, null, content);

    public static BundleEntry Copied(ProjectFile file) => new(file.RelativePath, file, ReadOnlyMemory<byte>.Empty);
}

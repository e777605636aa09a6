using ModelGoPack.Hashing;

namespace ModelGoPack.Emit;

/// <summary>One file of a bundle as its manifest lists it.</summary>
/// <remarks>
/// pack keeps one for every file it copied until the manifest is written: the digest is held as its 32 bytes
/// (<see cref="Digest"/>), not as 64 characters of hex (150 bytes as a string); <see cref="Sha256"/> makes the hex.
/// </remarks>
public sealed record ManifestFile
{
    /// <summary>A file of <paramref name="Size"/> bytes at <paramref name="Path"/> whose SHA-256 is <paramref name="Sha256"/> (64 lower-case hex digits).</summary>
    public ManifestFile(string Path, long Size, string Sha256)
        : this(Path, Size, Sha256Digest.TryParse(Sha256, out var digest) ? digest : throw new ArgumentException($"not 64 lower-case hex digits: '{Sha256}'", nameof(Sha256)))
    {
    }

    /// <summary>A file of <paramref name="size"/> bytes at <paramref name="path"/> whose SHA-256 is <paramref name="digest"/>.</summary>
    internal ManifestFile(string path, long size, Sha256Digest digest)
    {
        this.Path = path;
        this.Size = size;
        this.Digest = digest;
    }

    /// <summary>The path in the bundle, '/'-separated.</summary>
    public string Path { get; init; }

    /// <summary>Size in bytes.</summary>
    public long Size { get; init; }

    /// <summary>The SHA-256, as 64 lower-case hex digits.</summary>
    public string Sha256 => this.Digest.ToString();

    /// <summary>The SHA-256.</summary>
    internal Sha256Digest Digest { get; init; }

    /// <summary>The path, size and SHA-256 (hex), as the positional record gave them.</summary>
    public void Deconstruct(out string Path, out long Size, out string Sha256)
    {
        Path = this.Path;
        Size = this.Size;
        Sha256 = this.Sha256;
    }
}

using System.Collections.Concurrent;
using ModelGoPack.Config;
using ModelGoPack.Evaluation;
using ModelGoPack.Discovery;
using ModelGoPack.Inspection;

namespace ModelGoPack.Verification;

/// <summary>What verify read of a bundle: its files, their digests and header facts, and its manifest.</summary>
internal sealed class BundleContent
{
    /// <summary>The bundle as given: a folder, or an archive file.</summary>
    public required string Source { get; init; }

    /// <summary>What the bundle is: a folder, a zip (a .nupkg too) or a tar.gz.</summary>
    public required Emit.BundleFormat Format { get; init; }

    /// <summary>The bundle's files (regular files only, the manifest left out), by path.</summary>
    public Dictionary<string, ProjectFile> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>Every file's SHA-256, as read.</summary>
    public ConcurrentDictionary<string, string> Digests { get; } = new(StringComparer.Ordinal);

    /// <summary>Every file's role and header facts.</summary>
    public ConcurrentDictionary<string, Artifact> Artifacts { get; } = new(StringComparer.Ordinal);

    /// <summary>Files of an archive kept whole for the evaluation (notices, the model card, small texts), so that nothing is read twice.</summary>
    public ConcurrentDictionary<string, byte[]> Kept { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether to keep an archive file that was read whole: the few files the evaluation reads by name at the
    /// root (LICENSE, NOTICE, README.md, modelgo.json, a manifest in the one folder of an archive), and any
    /// other (upstream notices, which may have any name) while they total less than 64 MiB. Memory stays
    /// bounded whatever the archive holds.
    /// </summary>
    public bool Keep(string path, byte[] bytes)
    {
        // At the root, or in the one folder an archive may wrap the bundle in: a handful of files, each bounded.
        var name = Path.GetFileName(path);
        var top = path.Count(c => c == '/') <= 1;
        var wanted = top && (name == BundleVerifier.ManifestName || ProjectLoader.LicenseFileNames.Contains(name)
            || name is ProjectLoader.NoticeFileName or Inspection.ModelCard.FileName or ModelGoConfig.FileName);
        if (!wanted && (bytes.Length > EntryCapture.TextLimit || Interlocked.Add(ref this.keptBytes, bytes.Length) > 64L * 1024 * 1024))
        {
            return false;
        }

        this.Kept[path] = bytes;
        return true;
    }

    private long keptBytes;

    /// <summary>Entries refused for their name or kind (unsafe, a link, a device): reported as such, not also as missing.</summary>
    public HashSet<string> Refused { get; } = new(StringComparer.Ordinal);

    /// <summary>Entries whose data could not be read (damaged compressed data): reported as altered, and not judged again.</summary>
    public HashSet<string> Damaged { get; } = new(StringComparer.Ordinal);

    /// <summary>Files of an archive whose weight header lies past what verify keeps.</summary>
    public ConcurrentBag<string> HeadersOutOfReach { get; } = [];

    /// <summary>The one folder of an archive without a manifest at its root that holds every file ("name-1.0/"), read as the bundle's root; "" for none.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>The manifest, when the bundle has a valid one.</summary>
    public BundleManifest? Manifest { get; set; }

    /// <summary>Whether the bundle holds a manifest at all (valid or not).</summary>
    public bool ManifestFound { get; set; }

    /// <summary>Whether a tar.gz holds its manifest more than once (which copy counts cannot be told).</summary>
    public bool ManifestRepeated { get; set; }

    /// <summary>Whether the bundle's manifest, if it has one, can be used: only then is it compared and are its obligations evaluated.</summary>
    public bool Readable => !this.ManifestFound || (this.Manifest is not null && !this.ManifestRepeated);

    /// <summary>Reads a file of a folder bundle from disk; null for an archive (see <see cref="Kept"/>).</summary>
    public string? Root { get; init; }

    /// <summary>The bytes of a small bundle file, or null when it is absent or too big.</summary>
    public byte[]? Text(string path)
    {
        if (!this.Files.TryGetValue(path, out var file) || file.Length > EntryCapture.TextLimit)
        {
            return null;
        }

        if (this.Kept.TryGetValue(path, out var kept))
        {
            return kept;
        }

        try
        {
            return this.Root is null ? null : File.ReadAllBytes(file.FullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>A bundle's <c>modelgo-manifest.json</c>: the files it lists and, read as a config, what it declares.</summary>
internal sealed record BundleManifest(IReadOnlyList<ManifestEntry> Files, ConfigSource? Declaration, byte[] Bytes);

/// <summary>One file the manifest lists.</summary>
internal sealed record ManifestEntry(string Path, long Size, string Sha256);

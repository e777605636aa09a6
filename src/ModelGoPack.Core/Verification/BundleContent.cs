using System.Collections.Concurrent;
using ModelGoPack.Config;
using ModelGoPack.Discovery;
using ModelGoPack.Loading;
using ModelGoPack.Emit;
using ModelGoPack.Hashing;
using ModelGoPack.Inspection;
using ModelGoPack.Licensing;

namespace ModelGoPack.Verification;

/// <summary>What verify read of a bundle: its files, their digests and header facts, and its manifest.</summary>
internal sealed class BundleContent
{
    /// <summary>The bundle as given: a folder, or an archive file.</summary>
    public required string Source { get; init; }

    /// <summary>What the bundle is: a folder, a zip (a .nupkg too) or a tar.gz.</summary>
    public required BundleFormat Format { get; init; }

    /// <summary>The bundle's files (regular files only, the manifest left out), by path.</summary>
    public Dictionary<string, ProjectFile> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>Every file's SHA-256, as read. Written through <see cref="Record"/> while workers hash.</summary>
    public Dictionary<string, Sha256Digest> Digests { get; } = new(StringComparer.Ordinal);

    /// <summary>Files whose data ran past the size the manifest lists: not hashed to their end, so not judged by digest.</summary>
    public ConcurrentDictionary<string, bool> LongerThanListed { get; } = new(StringComparer.Ordinal);

    /// <summary>Every file's role and header facts.</summary>
    public ArtifactStore Artifacts { get; } = new();

    private readonly Lock gate = new();

    private int matched;
    private ListingOrder? listedAt;

    /// <summary>
    /// Records a file's digest; safe from several workers at once. A digest equal to the one the manifest lists
    /// (<paramref name="listed"/>) is only counted: the manifest holds it already, and a million of them are not
    /// kept twice. <see cref="Digests"/> then holds those the manifest does not list, or lists otherwise.
    /// </summary>
    public void Record(string path, Sha256Digest digest, Sha256Digest? listed = null)
    {
        if (digest == listed)
        {
            Interlocked.Increment(ref this.matched);
            return;
        }

        lock (this.gate)
        {
            this.Digests[path] = digest;
        }
    }

    /// <summary>The digest a file was read with: as recorded, or, when it matched, as the manifest lists it.</summary>
    public bool TryGetDigest(string path, out Sha256Digest digest)
    {
        if (this.Digests.TryGetValue(path, out digest))
        {
            return true;
        }

        if (this.matched == 0 || this.Manifest is not { } manifest || !this.Files.ContainsKey(path) || this.Damaged.Contains(path) || this.LongerThanListed.ContainsKey(path))
        {
            return false;
        }

        lock (this.gate)
        {
            this.listedAt ??= ListingOrder.Of(manifest.Files);
        }

        if (this.listedAt.Find(path) is var at and >= 0)
        {
            digest = manifest.Files[at].Sha256;
            return true;
        }

        return false;
    }

    /// <summary>Every digest read, by path, as the public API gives them (lower-case hex), made as they are asked for.</summary>
    public IReadOnlyDictionary<string, string> DigestsRead()
    {
        var matchedPaths = this.matched == 0 || this.Manifest is not { } manifest ? []
            : manifest.Files.Where(f => !this.Digests.ContainsKey(f.Path) && this.Files.ContainsKey(f.Path) && !this.Damaged.Contains(f.Path) && !this.LongerThanListed.ContainsKey(f.Path))
                .Select(f => new KeyValuePair<string, Sha256Digest>(f.Path, f.Sha256));
        return new DigestView(this.Digests, matchedPaths, this.Digests.Count + this.matched);
    }

    /// <summary>Files of an archive kept whole for the evaluation (notices, the model card, small texts), so that nothing is read twice.</summary>
    public ConcurrentDictionary<string, byte[]> Kept { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether to keep an archive file that was read whole: the few files the evaluation reads by name at the
    /// root (LICENSE, NOTICE, README.md, modelgo.json, a manifest in the one folder of an archive), and any
    /// other (upstream notices, which may have any name) while they total less than 64 MiB. Memory stays
    /// bounded whatever the archive holds.
    /// </summary>
    public bool Keep(string path, byte[] bytes, bool claimed)
    {
        // An empty file needs no keeping (Text gives it back); a file claimed for the evaluation (ClaimWhole) is kept;
        // other small files are kept while they are at most 64 MiB and 10,000 files: memory stays bounded for archives
        // of a million files, and what is asked for later by name and was not kept is read again (BundleVerifier.Fetch).
        if (bytes.Length == 0 || (!claimed && (bytes.Length > EntryCapture.TextLimit || Interlocked.Add(ref this.keptBytes, bytes.Length) > 64L * 1024 * 1024
            || Interlocked.Increment(ref this.keptFiles) > 10_000)))
        {
            return false;
        }

        this.Kept[path] = bytes;
        return true;
    }

    /// <summary>
    /// Whether to read <paramref name="path"/> whole and keep it, beyond the small-file budget: one of the few files the
    /// evaluation reads by name at the bundle's root (LICENSE, NOTICE, README.md, modelgo.json). A zip's paths are
    /// already relative to the bundle's root (its one wrapping folder is known before anything is read); a tar.gz learns
    /// of such a folder only at its end, so there the names are also claimed one folder down, and so is the first
    /// manifest found there (a manifest at the root is read as it comes, never kept). At most 16 texts of up to 4 MiB
    /// and one manifest of up to 256 MiB are claimed, so that an archive of many folders that each hold such a name
    /// keeps no more than those; a root file that was not claimed is read again when asked for (BundleVerifier.Fetch).
    /// </summary>
    public bool ClaimWhole(string path)
    {
        var name = Path.GetFileName(path);
        var depth = path.Count(c => c == '/');
        if (depth > (this.Format == BundleFormat.TarGz ? 1 : 0))
        {
            return false;
        }

        if (name == BundleVerifier.ManifestName)
        {
            return depth == 1 && Interlocked.Increment(ref this.manifestClaims) == 1;
        }

        return (LicenseFiles.IsLicenseCopy(name) || name is ProjectLoader.NoticeFileName or ModelCard.FileName or ModelGoConfig.FileName)
            && Interlocked.Increment(ref this.claims) <= 16;
    }

    private int claims;
    private int manifestClaims;
    private long keptBytes;
    private int keptFiles;

    /// <summary>Entries refused for their name or kind (unsafe, a link, a device): reported as such, not also as missing.</summary>
    public HashSet<string> Refused { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Remembers a refused entry, so that it is not reported again as missing; not one longer than a manifest may
    /// list (the manifest refuses such a path itself), so that hostile names of megabytes are not held.
    /// </summary>
    public void Refuse(string path)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(path) <= BundleLimits.MaxPathBytes)
        {
            this.Refused.Add(path);
        }
    }

    /// <summary>Entries whose data could not be read (damaged compressed data): reported as altered, and not judged again.</summary>
    public HashSet<string> Damaged { get; } = new(StringComparer.Ordinal);

    /// <summary>Files of an archive whose weight header lies past what verify keeps.</summary>
    public ConcurrentBag<string> HeadersOutOfReach { get; } = [];

    /// <summary>The one folder of an archive without a manifest at its root that holds every file ("name-1.0/"), read as the bundle's root; "" for none.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>The manifest, when the bundle has a valid one.</summary>
    public BundleManifest? Manifest { get; set; }

    /// <summary>A package's nuspec, read while its directory was (<see cref="PackageMetadata.Capture"/>): its entry name and bytes.</summary>
    public (string Name, byte[] Bytes)? Nuspec { get; set; }

    /// <summary>Whether a package has a signature file (.signature.p7s) of a size a signature may have.</summary>
    public bool Signed { get; set; }

    /// <summary>The zip entry that holds the manifest, by its name in the archive (./modelgo-manifest.json, name-1.0/modelgo-manifest.json).</summary>
    public string? ManifestEntry { get; set; }

    /// <summary>An OCI layout's layers, by the path of the file each holds (the manifest's too); empty for the other formats.</summary>
    public Dictionary<string, Oci.OciDescriptor> Layers { get; } = new(StringComparer.Ordinal);

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

        if (file.Length == 0)
        {
            return [];
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

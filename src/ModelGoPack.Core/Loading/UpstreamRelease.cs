namespace ModelGoPack.Loading;

/// <summary>
/// An upstream's release as <see cref="Releases.ReleaseReader"/> read it: every file by its path in the release, with
/// its SHA-256 ("" when it was not needed), the texts of its notice files, which the project must keep verbatim, and
/// what it says of itself. Never where it is on this machine, except for <see cref="FullPath"/>, which nothing writes.
/// </summary>
internal sealed record UpstreamRelease(string Upstream, string Location, IReadOnlyDictionary<string, string> Files, IReadOnlyList<(string Path, string Text)> Notices)
{
    /// <summary>The release's own <c>releaseDate</c>, as its manifest gives it; null when it gives none.</summary>
    public DateOnly? ReleaseDate { get; init; }

    /// <summary>The revision the release is of (a Hub snapshot's commit, a clone's commit), when it says; provenance for a recipient.</summary>
    public string? Revision { get; init; }

    /// <summary>The SHA-256 of the release's modelgo-manifest.json, when it has one.</summary>
    public string? ManifestSha256 { get; init; }

    /// <summary>The name its manifest declares (a ModelGoPack bundle), when it has one: for <c>init --upstream</c>.</summary>
    public string? Name { get; init; }

    /// <summary>The first copyright line its manifest declares, when it has one: for <c>init --upstream</c>.</summary>
    public string? Licensor { get; init; }

    /// <summary>The version its manifest declares, when it has one.</summary>
    public string? Version { get; init; }

    /// <summary>The license the release states (its root LICENSE, else its card), when it states one ModelGoPack can name.</summary>
    public string? License { get; init; }

    /// <summary>Where the release states <see cref="License"/>: "LICENSE", "README.md's front matter".</summary>
    public string? LicenseSource { get; init; }

    /// <summary>Where the release is published, when its form says (a Hub cache folder's name, a clone's https origin).</summary>
    public string? Url { get; init; }

    /// <summary>Where the release is on this machine: never written to the bundle; for leaving it out of the project's files.</summary>
    public string? FullPath { get; init; }

    /// <summary>Bytes of the release read to hash them in this run (not taken from a blob's name, a pointer or the digest cache).</summary>
    public long BytesHashed { get; init; }

    /// <summary>A git release's files that git stores whole (not with LFS), by path, with their blob ids: compared again with line ends made LF.</summary>
    public IReadOnlyDictionary<string, string> GitBlobs { get; init; } = new Dictionary<string, string>();



    /// <summary>Bundle files ModelGoPack generates (the BOM of <c>pack --bom</c> too); they never count as modified.</summary>
    public static readonly IReadOnlySet<string> Generated = new HashSet<string>(StringComparer.Ordinal) { "LICENSE", "NOTICE", "README.md", "modelgo-manifest.json", Reporting.CycloneDx.BomWriter.FileName };
}

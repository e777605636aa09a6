using ModelGoPack.Config;
using ModelGoPack.Discovery;
using ModelGoPack.Licensing;
using ModelGoPack.Rendering;
using ModelGoPack.Hashing;
using ModelGoPack.Inspection;

namespace ModelGoPack.Loading;

/// <summary>The facts gathered about a model project, before and after evaluation.</summary>
internal sealed record ModelProject
{
    public required string Root { get; init; }

    public required ConfigSource Source { get; init; }

    public ModelGoConfig Config => this.Source.Config;

    /// <summary>The project's files that go into the bundle, sorted by path (generated files excluded).</summary>
    public required IReadOnlyList<ProjectFile> Files { get; init; }

    /// <summary>License files found at the project root, and what each one is.</summary>
    public required IReadOnlyList<(ProjectFile File, LicenseIdentification Identification)> LicenseFiles { get; init; }

    /// <summary>The other license files, at any depth, and the model card's license_link target, and what each one is.</summary>
    public IReadOnlyList<(ProjectFile File, LicenseIdentification Identification)> OtherLicenseFiles { get; init; } = [];

    /// <summary>The model card (README.md at the root), when there is one and it could be read.</summary>
    public ModelCard? ModelCard { get; init; }

    /// <summary>The model card's text as read (README.md at the root), or null; the bundle's card is built from it.</summary>
    public string? ModelCardText { get; init; }

    /// <summary>The releases of upstreams that name a manifest or bundle.</summary>
    public IReadOnlyList<UpstreamRelease> Releases { get; init; } = [];

    /// <summary>The upstreams whose named release could not be read (reported as such): what it holds is not known.</summary>
    public IReadOnlySet<string> UnreadReleases { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Digests known for this run (and from earlier runs, when the host keeps a cache).</summary>
    public DigestCache Digests { get; init; } = DigestCache.InMemory();

    /// <summary>The git executable to run for lineage.</summary>
    public string GitExecutable { get; init; } = "git";

    /// <summary>Undeclared changes dated from git, filled in by lineage; the NOTICE lists them with the declared ones.</summary>
    public List<ModificationDeclaration> DetectedModifications { get; } = [];

    /// <summary>By derivative upstream: the files of its release the project does not have, filled in by lineage; the manifest records them.</summary>
    public Dictionary<string, IReadOnlyList<string>> RemovedFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>Dataset stamps found anywhere in the project (bundled or not).</summary>
    public IReadOnlyList<DatasetStamp> DatasetStamps { get; init; } = [];

    /// <summary>SOURCE_DATE_EPOCH as the host read it: the release day when the config has no releaseDate.</summary>
    public long? SourceDateEpoch { get; init; }

    /// <summary>The host's publicity texts (MSBuild Title, Description, PackageTags).</summary>
    public IReadOnlyDictionary<string, string> PublicityTexts { get; init; } = new Dictionary<string, string>();

    /// <summary>Every bundled project file with its role and header facts.</summary>
    public required IReadOnlyList<Artifact> Artifacts { get; init; }

    /// <summary>Notice texts kept verbatim: the project's own NOTICE first, then each upstream's, in config order.</summary>
    public required IReadOnlyList<NoticeText> Notices { get; init; }
}

using NuGet.Versioning;

namespace ModelGoPack.Config;

/// <summary>The model project's <c>modelgo.json</c>, validated.</summary>
public sealed record ModelGoConfig
{
    public const string FileName = "modelgo.json";

    public required string Name { get; init; }

    public required NuGetVersion Version { get; init; }

    public required string License { get; init; }

    public IReadOnlyList<string> Copyright { get; init; } = [];

    public DateOnly? ReleaseDate { get; init; }

    public IReadOnlyList<UpstreamDeclaration> Upstream { get; init; } = [];

    public IReadOnlyList<ModificationDeclaration> Modifications { get; init; } = [];

    public IReadOnlyList<string> Include { get; init; } = ["**/*"];

    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Findings the publisher has reviewed and waives, each with a justification.</summary>
    public IReadOnlyList<WaiverDeclaration> Waivers { get; init; } = [];

    /// <summary>True when an upstream makes this project Derivative Materials.</summary>
    public bool IsDerivative => this.Upstream.Any(u => u.Relation == UpstreamRelation.Derivative);

    /// <summary>True when an upstream makes this project an Extracted Model.</summary>
    public bool IsExtracted => this.Upstream.Any(u => u.Relation == UpstreamRelation.Extracted);
}

/// <summary>One entry of <c>upstream</c>: a model this project was made from.</summary>
public sealed record UpstreamDeclaration
{
    public required string Name { get; init; }

    public string? Version { get; init; }

    public string? Url { get; init; }

    public required string License { get; init; }

    public string? Licensor { get; init; }

    public required UpstreamRelation Relation { get; init; }

    public string? Method { get; init; }

    /// <summary>The upstream's modelgo-manifest.json (relative to the project root, absolute, or <c>~/</c>): what the project is compared with.</summary>
    public string? Manifest { get; init; }

    /// <summary>
    /// The upstream's release (relative to the project root, absolute, or <c>~/</c>): a folder (a bundle or not, a
    /// Hugging Face download or Hub cache snapshot), a .zip or a .tar.gz. Compared with, and its notices kept.
    /// </summary>
    public string? Bundle { get; init; }

    /// <summary>A commit, tag or branch holding the unmodified upstream: of the project's own git repository, or of <see cref="Repository"/>.</summary>
    public string? Git { get; init; }

    /// <summary>Another local git clone (of the upstream's repository) in which <see cref="Git"/> is looked up; null: the project's own.</summary>
    public string? Repository { get; init; }

    /// <summary>The upstream's revision (a commit, tag or version), as declared or as its release gives it: provenance a recipient can use.</summary>
    public string? Revision { get; init; }

    /// <summary>The SHA-256 of the upstream release's modelgo-manifest.json, when it has one: recorded in the manifest, never declared.</summary>
    public string? ManifestSha256 { get; init; }

    /// <summary>Files of the upstream release that this derivative does not have: recorded in the manifest, so verify knows the paths modifications name.</summary>
    public IReadOnlyList<string> Removed { get; init; } = [];

    /// <summary>
    /// The names of the release's notice files (NOTICE, COPYRIGHT, …, and <c>modelgo-manifest.json#copyright</c>) kept in
    /// the bundle's NOTICE without being listed in <see cref="Notices"/>: recorded in the manifest, so verify knows the
    /// upstream's notices were kept (no MGP4003), never declared.
    /// </summary>
    public IReadOnlyList<string> ReleaseNotices { get; init; } = [];

    /// <summary>The day the upstream was released, when known: a modification dated before it is doubtful.</summary>
    public DateOnly? ReleaseDate { get; init; }

    /// <summary>Datasets generated from this upstream's Output (paths in the project or names), for an extracted upstream.</summary>
    public IReadOnlyList<string> Datasets { get; init; } = [];

    /// <summary>Paths, relative to the project root, of the upstream's notice files to keep verbatim.</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];

    /// <summary>Where the entry is in modelgo.json (<c>$.upstream[0]</c>), for diagnostics.</summary>
    public string JsonPath { get; init; } = "$";
}

/// <summary>One entry of <c>modifications</c>: a dated change to a derivative upstream.</summary>
public sealed record ModificationDeclaration
{
    public required DateOnly Date { get; init; }

    public required string Description { get; init; }

    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>The derivative upstream this modifies; null means every derivative upstream.</summary>
    public string? Upstream { get; init; }

    public string JsonPath { get; init; } = "$";
}

/// <summary>One entry of <c>waivers</c>: a finding that does not apply, and why.</summary>
public sealed record WaiverDeclaration
{
    /// <summary>The MGP code waived (a compliance code, MGP1xxx to MGP7xxx).</summary>
    public required string Code { get; init; }

    /// <summary>A glob of the project path the finding names; null waives the code wherever it is found.</summary>
    public string? Path { get; init; }

    public required string Justification { get; init; }

    public string JsonPath { get; init; } = "$";
}

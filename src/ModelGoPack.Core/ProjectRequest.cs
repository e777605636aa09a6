using ModelGoPack.Config;
using ModelGoPack.Hashing;

namespace ModelGoPack;

/// <summary>What a host asks of the engine: which project, and the inputs that are not in its config.</summary>
public sealed record ProjectRequest
{
    /// <summary>The model project's root folder (the one holding modelgo.json).</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>A folder of template overrides, matched by file name; null for the built-in templates.</summary>
    public string? TemplatesDirectory { get; init; }

    /// <summary>SOURCE_DATE_EPOCH, in seconds, when the host's environment sets it (<see cref="Hosting.SourceDateEpoch"/>).</summary>
    public long? SourceDateEpoch { get; init; }

    /// <summary>Config values the host supplies besides modelgo.json (MSBuild properties and items).</summary>
    public ConfigOverrides? Overrides { get; init; }

    /// <summary>The git executable for lineage (default <c>git</c>; both front doors take MODELGOPACK_GIT: <see cref="Hosting.GitExecutable"/>).</summary>
    public string GitExecutable { get; init; } = Hosting.GitExecutable.Default;

    /// <summary>Texts the host publishes the model with (MSBuild Title, Description, PackageTags), by name; checked for licensor names (Section 2.3).</summary>
    public IReadOnlyDictionary<string, string> PublicityTexts { get; init; } = new Dictionary<string, string>();

    /// <summary>Folders and files never part of the project, such as the host's output folders.</summary>
    public IReadOnlyList<string> ExcludedPaths { get; init; } = [];

    /// <summary>
    /// The folder of the digest cache (one file per project), so that an unchanged file is never hashed
    /// twice across runs; null to remember digests within this run only.
    /// </summary>
    public string? DigestCacheDirectory { get; init; }

    /// <summary>Where the engine counts bytes and files as it hashes and packs, for the host's progress display.</summary>
    public ProgressCounter? Progress { get; init; }

    /// <summary>
    /// Hash every upstream file whose digest a release records on trust (a Hub blob's name, huggingface_hub's download
    /// metadata, a release manifest's listing) and refuse one that does not hold it (MGP8039). Off: those are trusted.
    /// </summary>
    public bool VerifyUpstream { get; init; }
}

/// <summary>What a host asks of <c>verify</c>.</summary>
public sealed record VerifyRequest
{
    /// <summary>The bundle: a folder, .zip, .tar.gz or .nupkg.</summary>
    public required string BundlePath { get; init; }

    /// <summary>For a .nupkg: its bundle, when it is not beside the package under its default name.</summary>
    public string? PackageBundlePath { get; init; }

    /// <summary>A folder to create and write the verified bundle's files to; null writes nothing.</summary>
    public string? ExtractTo { get; init; }

    /// <summary>Receives progress while the bundle is read; null for none.</summary>
    public ProgressCounter? Progress { get; init; }
}

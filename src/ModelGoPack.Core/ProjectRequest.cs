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

    /// <summary>
    /// pack: also write the CycloneDX 1.6 BOM of the bundle into it, as <c>modelgo-bom.cdx.json</c> at its root, listed in
    /// its manifest (docs/bom.md); a project file of that name at the root is replaced by it.
    /// </summary>
    public bool Bom { get; init; }
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

    /// <summary>An OMS signature of the bundle (made by <c>sign</c>) to check first; null checks none.</summary>
    public string? SignaturePath { get; init; }

    /// <summary>With <see cref="SignaturePath"/>: the PEM public key the signature must be made with (the key method).</summary>
    public string? PublicKeyPath { get; init; }

    /// <summary>With <see cref="SignaturePath"/>: the PEM CA certificates the signing certificate must chain to (the certificate method).</summary>
    public string? CertificateChainPath { get; init; }
}

/// <summary>What <c>sign</c> is asked: the bundle, the signer's key (and certificate), and where the signature goes.</summary>
public sealed record SignRequest
{
    /// <summary>The bundle: a folder, .zip or .tar.gz.</summary>
    public required string BundlePath { get; init; }

    /// <summary>The PEM ECDSA private key (P-256 or P-384; PKCS#8 or SEC1).</summary>
    public required string KeyPath { get; init; }

    /// <summary>For the certificate method: a PEM file with the key's certificate first, then its intermediates; null signs with the key method.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>Where to write the signature; null: <c>BUNDLE.sig</c> beside the bundle.</summary>
    public string? SignaturePath { get; init; }

    /// <summary>The digest cache folder, where pack leaves its seal; null (--no-cache) reads the bundle.</summary>
    public string? DigestCacheDirectory { get; init; }

    /// <summary>Receives progress while the bundle is read; null for none.</summary>
    public ProgressCounter? Progress { get; init; }
}

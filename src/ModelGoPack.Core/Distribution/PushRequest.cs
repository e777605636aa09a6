using ModelGoPack.Diagnostics;
using ModelGoPack.Hashing;

namespace ModelGoPack.Distribution;

/// <summary>What push is asked: which layout (and manifest in it), to which registry reference, how.</summary>
public sealed record PushRequest
{
    /// <summary>The default size of an upload's chunk (64 MiB): a larger blob is sent in chunks of it.</summary>
    public const long DefaultChunkSize = 64L * 1024 * 1024;

    /// <summary>The OCI image layout folder, or <c>LAYOUT:REF</c> naming one of its manifests by its ref name (as skopeo's <c>oci:DIR:REF</c>).</summary>
    public required string Layout { get; init; }

    /// <summary>Where to: <c>REGISTRY/REPOSITORY[:TAG][@sha256:DIGEST]</c>.</summary>
    public required string Target { get; init; }

    /// <summary>Speak plain HTTP to the registry (a test registry on loopback), not HTTPS.</summary>
    public bool PlainHttp { get; init; }

    /// <summary>The environment DOCKER_CONFIG and HOME are read from (the host's; tests give their own).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Where push counts the bytes and blobs it uploads, for the host's progress display.</summary>
    public ProgressCounter? Progress { get; init; }

    /// <summary>A blob larger than this is uploaded in chunks of this many bytes (PATCH with Content-Range).</summary>
    public long ChunkSize { get; init; } = DefaultChunkSize;

    /// <summary>How many blobs are uploaded at a time.</summary>
    public int Parallelism { get; init; } = 3;

    /// <summary>How long a request may make no progress (no body byte sent, no answer) before it fails (MGP9056); null for the default.</summary>
    internal TimeSpan? IdleTimeout { get; init; }

    /// <summary>Wraps the socket handler (tests: a fault made on a given request); null to use it as it is.</summary>
    internal Func<HttpMessageHandler, HttpMessageHandler>? Handler { get; init; }
}

/// <summary>The outcome of push: the findings, and what was sent where.</summary>
public sealed class PushResult(IReadOnlyList<Diagnostic> diagnostics) : CheckResult(diagnostics)
{
    /// <summary>The reference the manifest was put under (<c>REGISTRY/REPOSITORY:TAG</c>), or null when nothing was tagged.</summary>
    public string? PushedTo { get; init; }

    /// <summary>The manifest's digest (also when the push failed after reading the layout), or null.</summary>
    public string? ManifestDigest { get; init; }

    /// <summary>How many distinct blobs the manifest names (config and layers).</summary>
    public int Blobs { get; init; }

    /// <summary>How many blobs were uploaded in this run.</summary>
    public int Uploaded { get; init; }

    /// <summary>The bytes of the blobs uploaded in this run.</summary>
    public long UploadedBytes { get; init; }

    /// <summary>How many blobs the registry already held (not uploaded again).</summary>
    public int AlreadyThere { get; init; }
}

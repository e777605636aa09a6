using ModelGoPack.Diagnostics;
using ModelGoPack.Emit;
using ModelGoPack.Config;
using ModelGoPack.Discovery;
using ModelGoPack.Inspection;

namespace ModelGoPack;

/// <summary>The outcome of <c>check</c>: every finding, and what it means.</summary>
public class CheckResult(IReadOnlyList<Diagnostic> diagnostics)
{
    public IReadOnlyList<Diagnostic> Diagnostics { get; } = diagnostics;

    /// <summary>True when no error was found (warnings allowed).</summary>
    public bool Compliant => !this.Diagnostics.Any(d => d.Severity == Severity.Error);

    /// <summary>0 compliant, 1 compliance errors, 2 bad config or input.</summary>
    public int ExitCode => ExitCodes.For(this.Diagnostics);

    /// <summary>Every bundled project file with its role and header facts (empty when the config could not be read).</summary>
    public IReadOnlyList<Artifact> Artifacts { get; init; } = [];

    /// <summary>The SHA-256 of each bundled project file, by path, as the manifest will list it (check computes them; empty when it stopped early).</summary>
    public IReadOnlyDictionary<string, string> Digests { get; init; } = new Dictionary<string, string>();

    /// <summary>verify --extract: the folder the verified bundle was written to, or null when nothing was written.</summary>
    public string? ExtractedTo { get; init; }

    /// <summary>verify --signature, sign: who signed (a key's curve and hint, a certificate's subject), when the signature verified or was made.</summary>
    public string? SignedBy { get; init; }
}

/// <summary>The outcome of <c>sign</c>: the findings, and the signature when one was written.</summary>
public sealed class SignResult(IReadOnlyList<Diagnostic> diagnostics) : CheckResult(diagnostics)
{
    /// <summary>The signature's full path, or null when nothing was written.</summary>
    public string? SignaturePath { get; init; }

    /// <summary>One line: whether the digests signed came from pack's seal (no file read) or from reading the bundle.</summary>
    public string? How { get; init; }

    /// <summary>How many files the signature lists.</summary>
    public int FileCount { get; init; }

    /// <summary>The statement's root digest (lower-case hex SHA-256).</summary>
    public string? RootDigest { get; init; }
}

/// <summary>The outcome of <c>pack</c>: the findings, and the bundle when one was written.</summary>
public sealed class PackResult(IReadOnlyList<Diagnostic> diagnostics) : CheckResult(diagnostics)
{
    /// <summary>The bundle's full path, or null when nothing was written.</summary>
    public string? OutputPath { get; init; }

    /// <summary>The files the manifest lists (every bundle file but the manifest).</summary>
    public IReadOnlyList<ManifestFile> Files { get; init; } = [];

    /// <summary>The config in effect (modelgo.json with the host's overrides), when it was valid.</summary>
    public ModelGoConfig? Config { get; init; }

    /// <summary>The generated bundle files (LICENSE, NOTICE, modelgo-manifest.json) by bundle path.</summary>
    public IReadOnlyDictionary<string, ReadOnlyMemory<byte>> Generated { get; init; } = new Dictionary<string, ReadOnlyMemory<byte>>();

    /// <summary>The project's files copied into the bundle.</summary>
    public IReadOnlyList<ProjectFile> ProjectFiles { get; init; } = [];
}

/// <summary>The outcome of <c>bom</c>: the findings, and the CycloneDX BOM when one was made.</summary>
public sealed class BomResult(IReadOnlyList<Diagnostic> diagnostics) : CheckResult(diagnostics)
{
    /// <summary>The BOM's bytes (CycloneDX 1.6 JSON, UTF-8), or null when none was made.</summary>
    public ReadOnlyMemory<byte>? Bom { get; init; }

    /// <summary>The file the BOM was written to (full path), or null when it was only returned.</summary>
    public string? OutputPath { get; init; }

    /// <summary>Whether the BOM is of a received bundle (as verify read it) rather than of a project folder.</summary>
    public bool FromBundle { get; init; }
}

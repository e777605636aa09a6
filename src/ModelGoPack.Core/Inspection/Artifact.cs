namespace ModelGoPack.Inspection;

/// <summary>One file of a model project, with its role and what its header says.</summary>
public sealed record Artifact
{
    /// <summary>Project-relative path, '/'-separated.</summary>
    public required string Path { get; init; }

    public required long Size { get; init; }

    public required ArtifactRole Role { get; init; }

    /// <summary>For weights: format, dtypes and precision, when the header could be read.</summary>
    public WeightFacts? Weights { get; init; }

    /// <summary>Other facts, by name: config.json's model_type, a compiled file's kind, and so on. Sorted.</summary>
    public IReadOnlyDictionary<string, string> Facts { get; init; } = NoFacts;

    /// <summary>One empty set of facts for the many artifacts that have none (a million plain files cost nothing more).</summary>
    internal static readonly IReadOnlyDictionary<string, string> NoFacts = new SortedDictionary<string, string>(StringComparer.Ordinal).AsReadOnly();

    /// <summary>Why the header could not be read (malformed or hostile), or null.</summary>
    public string? Problem { get; init; }

    /// <summary>Why the file could not be read at all (permissions, an I/O error), or null: MGP8009, not a verdict on its format.</summary>
    public string? ReadError { get; init; }

    /// <summary>
    /// Why verify did not judge this weight file's header (it lies past what verify keeps of an archive
    /// entry), or null. Such a file still counts as weights, of unknown precision.
    /// </summary>
    public string? OutOfReach { get; init; }

    /// <summary>Whether this file is a Git LFS pointer, standing in for content that was never checked out.</summary>
    public bool IsLfsPointer => this.Facts.ContainsKey(ArtifactInspector.LfsPointerFact);

    /// <summary>Whether this is compiled code (bytecode, a native binary, a .NET assembly, WebAssembly), not source.</summary>
    public bool IsCompiledCode => this.Facts.ContainsKey("compiled");
}

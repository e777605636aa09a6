namespace ModelGoPack;

/// <summary>What a host asks of the engine: which project, and the inputs that are not in its config.</summary>
public sealed record ProjectRequest
{
    /// <summary>The model project's root folder (the one holding modelgo.json).</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>A folder of template overrides, matched by file name; null for the built-in templates.</summary>
    public string? TemplatesDirectory { get; init; }

    /// <summary>SOURCE_DATE_EPOCH, in seconds, when the host's environment sets it.</summary>
    public long? SourceDateEpoch { get; init; }
}

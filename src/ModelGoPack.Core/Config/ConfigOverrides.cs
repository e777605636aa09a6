using System.Text.Json.Nodes;

namespace ModelGoPack.Config;

/// <summary>
/// Config values a host supplies besides <c>modelgo.json</c>, such as MSBuild properties and items.
/// The rule, key by key: a value in <see cref="Values"/> replaces that key of modelgo.json (a list
/// replaces the whole list); a value in <see cref="Fallbacks"/> is used only when modelgo.json does not
/// set the key. With overrides, modelgo.json may be absent.
/// </summary>
public sealed record ConfigOverrides
{
    /// <summary>The file that diagnostics about these values name (for MSBuild, the project file).</summary>
    public required string Source { get; init; }

    /// <summary>Top-level config keys (<c>name</c>, <c>upstream</c>, ...) whose value replaces modelgo.json's.</summary>
    public IReadOnlyDictionary<string, ConfigValue> Values { get; init; } = new Dictionary<string, ConfigValue>();

    /// <summary>Top-level config keys whose value is used when modelgo.json lacks them.</summary>
    public IReadOnlyDictionary<string, ConfigValue> Fallbacks { get; init; } = new Dictionary<string, ConfigValue>();
}

/// <summary>A config value supplied by a host, and where it came from (for diagnostics).</summary>
/// <param name="Value">The value, as JSON (a string, an array, an array of objects).</param>
/// <param name="Origin">Where the value was given, for messages: "MSBuild property ModelGoName".</param>
public sealed record ConfigValue(JsonNode? Value, string Origin);

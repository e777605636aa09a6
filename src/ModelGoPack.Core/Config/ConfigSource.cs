namespace ModelGoPack.Config;

/// <summary>A validated config, where each key stands in modelgo.json, and which keys a host supplied.</summary>
internal sealed record ConfigSource(ModelGoConfig Config, JsonLocationMap Locations, IReadOnlyDictionary<string, string> Origins, string? OverrideSource)
{
    public ConfigSource(ModelGoConfig config, JsonLocationMap locations)
        : this(config, locations, new Dictionary<string, string>(), null)
    {
    }

    /// <summary>The file the config was read from: modelgo.json, or a bundle's manifest that verify read as one.</summary>
    public string FileName { get; init; } = ModelGoConfig.FileName;

    /// <summary>Where the file itself says upstream releases are (by upstream name), whatever a host put in place of its upstream list.</summary>
    public IReadOnlyList<(string Upstream, string Location)> FileReleaseLocations { get; init; } = [];

    /// <summary>Where a config value was given: modelgo.json with its line, or the host's file.</summary>
    public (string Path, int Line, int Column) Locate(string jsonPath)
    {
        var message = "";
        var found = Where(jsonPath, this.Locations, this.Origins, this.OverrideSource, ref message);
        return found.Path == ModelGoConfig.FileName ? found with { Path = this.FileName } : found;
    }

    /// <summary>Where a value came from; appends the host origin to <paramref name="message"/> when a host set it.</summary>
    public static (string Path, int Line, int Column) Where(string jsonPath, JsonLocationMap locations, IReadOnlyDictionary<string, string> origins, string? overrideSource, ref string message)
    {
        var key = TopLevelKey(jsonPath);
        if (key is not null && overrideSource is not null && origins.TryGetValue(key, out var origin))
        {
            message += $" (Set by {origin}.)";
            return (overrideSource, 0, 0);
        }

        var (line, column) = locations.Find(jsonPath);
        return (ModelGoConfig.FileName, line, column);
    }

    private static string? TopLevelKey(string jsonPath)
    {
        if (!jsonPath.StartsWith("$.", StringComparison.Ordinal))
        {
            return null;
        }

        var end = jsonPath.IndexOfAny(['.', '['], 2);
        return end < 0 ? jsonPath[2..] : jsonPath[2..end];
    }
}

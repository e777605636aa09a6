using System.Reflection;

namespace ModelGoPack;

/// <summary>The tool's own name and version, as written into manifests and reports.</summary>
public static class ToolInfo
{
    public const string Name = "ModelGoPack";

    /// <summary>The informational version without build metadata (e.g. 0.1.0).</summary>
    public static string Version { get; } =
        (typeof(ToolInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];
}

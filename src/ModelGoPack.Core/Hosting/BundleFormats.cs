using ModelGoPack.Emit;

namespace ModelGoPack.Hosting;

/// <summary>
/// The bundle formats by name, as <c>pack --format</c> and the MSBuild property ModelGoBundleFormat take them, and
/// each front door's default. The defaults differ, each as documented: the command line writes a folder
/// (docs/cli.md), <c>dotnet pack</c> a .zip beside the .nupkg (docs/msbuild.md; build/ModelGoPack.props sets it).
/// </summary>
public static class BundleFormats
{
    /// <summary>What <c>modelgopack pack</c> writes without <c>--format</c>: a folder.</summary>
    public const BundleFormat CommandLineDefault = BundleFormat.Directory;

    /// <summary>What the MSBuild task writes when ModelGoBundleFormat is empty: a .zip.</summary>
    public const BundleFormat MSBuildDefault = BundleFormat.Zip;

    /// <summary>The names of the formats, as the command line lists them (its default first).</summary>
    public static IReadOnlyList<string> Names { get; } = [Name(CommandLineDefault), Name(BundleFormat.Zip), Name(BundleFormat.TarGz), Name(BundleFormat.Oci)];

    /// <summary>The format's name: <c>dir</c>, <c>zip</c>, <c>tar.gz</c> or <c>oci</c>.</summary>
    public static string Name(BundleFormat format) => format switch
    {
        BundleFormat.Zip => "zip",
        BundleFormat.TarGz => "tar.gz",
        BundleFormat.Oci => "oci",
        _ => "dir",
    };

    /// <summary>
    /// The format <paramref name="name"/> names, in any case: a name of <see cref="Names"/>, or <c>directory</c> or
    /// <c>tgz</c>; <paramref name="fallback"/> when it is null or empty; null when it names none.
    /// </summary>
    public static BundleFormat? Parse(string? name, BundleFormat fallback) => (name ?? "").ToLowerInvariant() switch
    {
        "" => fallback,
        "zip" => BundleFormat.Zip,
        "dir" or "directory" => BundleFormat.Directory,
        "tar.gz" or "tgz" => BundleFormat.TarGz,
        "oci" => BundleFormat.Oci,
        _ => null,
    };
}

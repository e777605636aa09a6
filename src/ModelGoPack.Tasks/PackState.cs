using System.Text.Json;
using System.Text.Json.Serialization;
using ModelGoPack.Inspection;

namespace ModelGoPack.Tasks;

/// <summary>
/// What the last successful run produced, kept in the intermediate folder: the bundle, the files the
/// .nupkg takes and every file written. An up-to-date build reuses it instead of rendering and hashing
/// again; it is intact only while every file it names still exists.
/// </summary>
internal sealed record PackState
{
    public const int CurrentVersion = 1;

    public int StateVersion { get; init; } = CurrentVersion;

    public required string Bundle { get; init; }

    public string? Readme { get; init; }

    public required IReadOnlyList<PackageFile> PackageFiles { get; init; }

    public required IReadOnlyList<string> Written { get; init; }

    public static string Path(string intermediateDirectory) => System.IO.Path.Combine(System.IO.Path.GetFullPath(intermediateDirectory), "state.json");

    public bool IsIntact() =>
        this.StateVersion == CurrentVersion
        && (File.Exists(this.Bundle) || Directory.Exists(this.Bundle))
        && this.PackageFiles.All(f => File.Exists(f.Source));

    public static PackState? Load(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllBytes(path), PackStateJson.Default.PackState) : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Writes the generated files for the .nupkg beside the state, and the state itself.</summary>
    public static PackState Write(string path, PackResult result, string projectDirectory, bool packWeights)
    {
        var directory = System.IO.Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        var packageFiles = new List<PackageFile>();
        foreach (var (name, content) in result.Generated.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var file = System.IO.Path.Combine(directory, name);
            WriteIfChanged(file, content.Span);
            written.Add(file);
            packageFiles.Add(new PackageFile(file, PackageFolder(name)));
        }

        string? readme = null;
        foreach (var file in result.ProjectFiles)
        {
            if (file.RelativePath == "README.md")
            {
                readme = file.FullPath;
                packageFiles.Add(new PackageFile(file.FullPath, PackageFolder(file.RelativePath)));
            }
            else if (packWeights || !FileKinds.IsWeights(file.RelativePath))
            {
                packageFiles.Add(new PackageFile(file.FullPath, PackageFolder("model/" + file.RelativePath)));
            }
        }

        written.Add(path);
        written.Add(result.OutputPath!);
        var state = new PackState { Bundle = result.OutputPath!, Readme = readme, PackageFiles = packageFiles, Written = written };
        File.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(state, PackStateJson.Default.PackState));
        return state;
    }

    // NuGet reads a PackagePath without a file extension as a folder ("LICENSE" would become LICENSE/LICENSE),
    // so each file is given the folder it goes into, and keeps its own name.
    private static string PackageFolder(string bundlePath)
    {
        var slash = bundlePath.LastIndexOf('/');
        return slash < 0 ? "/" : bundlePath[..(slash + 1)];
    }

    // Unchanged content keeps its timestamp, so that what depends on it stays up to date.
    private static void WriteIfChanged(string path, ReadOnlySpan<byte> content)
    {
        if (File.Exists(path) && new FileInfo(path).Length == content.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(content))
        {
            return;
        }

        File.WriteAllBytes(path, content.ToArray());
    }
}

/// <summary>A file for the .nupkg: where it is, and the package folder it goes into.</summary>
internal sealed record PackageFile(string Source, string PackagePath);

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(PackState))]
internal sealed partial class PackStateJson : JsonSerializerContext;

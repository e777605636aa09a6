using System.Text.Json;
using System.Text.Json.Serialization;
using ModelGoPack.Inspection;
using ModelGoPack.Diagnostics;

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

    /// <summary>The fingerprint of the inputs the bundle was made from (ModelGoPackEngine.Fingerprint).</summary>
    public string? Fingerprint { get; init; }

    /// <summary>The bundle's size and modification time when written: a bundle changed since is not reused.</summary>
    public long BundleLength { get; init; }

    public long BundleWriteTicks { get; init; }

    /// <summary>The run's findings, replayed on reuse so that warnings never vanish from a build.</summary>
    public IReadOnlyList<SavedDiagnostic> Diagnostics { get; init; } = [];

    public string? Readme { get; init; }

    public required IReadOnlyList<PackageFile> PackageFiles { get; init; }

    public required IReadOnlyList<string> Written { get; init; }

    public static string Path(string intermediateDirectory) => System.IO.Path.Combine(System.IO.Path.GetFullPath(intermediateDirectory), "state.json");

    public bool IsIntact() =>
        this.StateVersion == CurrentVersion
        && BundleStamp(this.Bundle) == (this.BundleLength, this.BundleWriteTicks)
        && this.PackageFiles.All(f => File.Exists(f.Source));

    /// <summary>A bundle's size (a zip's, or a folder's manifest) and modification time; (-1, -1) when missing.</summary>
    public static (long Length, long Ticks) BundleStamp(string path)
    {
        var file = new FileInfo(Directory.Exists(path) ? System.IO.Path.Combine(path, "modelgo-manifest.json") : path);
        return file.Exists ? (file.Length, file.LastWriteTimeUtc.Ticks) : (-1, -1);
    }

    public IEnumerable<Diagnostic> Replay() =>
        this.Diagnostics.Select(d => new Diagnostic(
            global::ModelGoPack.Diagnostics.DiagnosticCatalog.All.Single(c => c.Code == d.Code), d.Message, d.Path, d.Line, d.Column) { Waiver = d.Waiver });

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
    public static PackState Write(string path, PackResult result, string? fingerprint, bool packWeights)
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

        // The model card is the generated README.md (the project's, with its license section).
        var readme = written.FirstOrDefault(f => System.IO.Path.GetFileName(f) == "README.md");
        foreach (var file in result.ProjectFiles)
        {
            if (file.RelativePath == "README.md")
            {
                continue;
            }

            if (packWeights || !FileKinds.IsWeights(file.RelativePath))
            {
                packageFiles.Add(new PackageFile(file.FullPath, PackageFolder("model/" + file.RelativePath)));
            }
        }

        written.Add(path);
        written.Add(result.OutputPath!);
        var (length, ticks) = BundleStamp(result.OutputPath!);
        var state = new PackState
        {
            Bundle = result.OutputPath!,
            Fingerprint = fingerprint,
            BundleLength = length,
            BundleWriteTicks = ticks,
            Diagnostics = result.Diagnostics.Select(d => new SavedDiagnostic(d.Code, d.Message, d.Path, d.Line, d.Column, d.Waiver)).ToList(),
            Readme = readme,
            PackageFiles = packageFiles,
            Written = written,
        };
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

/// <summary>A finding as the state file keeps it.</summary>
internal sealed record SavedDiagnostic(string Code, string Message, string? Path, int Line, int Column, string? Waiver);

/// <summary>A file for the .nupkg: where it is, and the package folder it goes into.</summary>
internal sealed record PackageFile(string Source, string PackagePath);

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(PackState))]
internal sealed partial class PackStateJson : JsonSerializerContext;

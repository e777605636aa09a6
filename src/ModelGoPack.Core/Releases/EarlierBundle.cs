using ModelGoPack.Discovery;
using ModelGoPack.Emit;
using ModelGoPack.Loading;
using ModelGoPack.Verification;

namespace ModelGoPack.Releases;

/// <summary>
/// An earlier output of pack inside the project, under any name: a folder holding a <c>modelgo-manifest.json</c>
/// (found while the project is walked), an OCI image layout of pack's (<see cref="IsOciLayout"/>), a zip holding one at its root or in its one top folder (a .nupkg of
/// ModelGoPack's too), or a tar.gz carrying pack's gzip mark (<see cref="Emit.BundleMark"/>). None is ever bundled.
/// </summary>
internal static class EarlierBundle
{
    /// <summary>The kind an inspected artifact has when it is an earlier bundle (its <c>kind</c> fact).</summary>
    public const string Kind = "ModelGoPack bundle";

    /// <summary>
    /// Whether the first bytes of a modelgo-manifest.json are ModelGoPack's: an object whose first key is
    /// <c>manifestVersion</c>, as pack writes it (a file of that name that is something else is the project's).
    /// </summary>
    public static bool IsManifest(ReadOnlySpan<byte> start)
    {
        var text = System.Text.Encoding.UTF8.GetString(start).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return text.StartsWith('{') && text[1..].TrimStart().StartsWith("\"manifestVersion\"", StringComparison.Ordinal);
    }

    /// <summary>Whether the file at <paramref name="path"/> is a manifest ModelGoPack wrote (<see cref="IsManifest"/>).</summary>
    public static bool IsManifestFile(string path)
    {
        try
        {
            if (!FileType.IsRegular(path))
            {
                return false;
            }

            Span<byte> start = stackalloc byte[256];
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            return IsManifest(start[..stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false)]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether the folder at <paramref name="folder"/> is an OCI image layout pack wrote (<c>--format oci</c>): its one
    /// manifest is a model's and has a <c>modelgo-manifest.json</c> layer. A layout of another tool is the project's.
    /// </summary>
    public static bool IsOciLayout(string folder)
    {
        try
        {
            if (!Oci.OciLayout.IsLayout(folder))
            {
                return false;
            }

            var manifest = Oci.OciManifest.Parse(Oci.OciLayout.ReadBlob(folder, Oci.OciLayout.SelectManifest(Oci.OciLayout.ReadIndex(folder), null), Oci.OciManifest.MaxBytes));
            return manifest.ArtifactType == Oci.OciMediaTypes.ModelManifest
                && manifest.Layers.Any(l => l.Annotation(Oci.OciMediaTypes.FilePathAnnotation) == ProjectLoader.ManifestFileName);
        }
        catch (Exception e) when (e is Oci.OciFormatException or UnauthorizedAccessException || BundleVerifier.IsDamaged(e))
        {
            return false;
        }
    }

    /// <summary>Whether the archive at <paramref name="file"/>, whose first bytes are <paramref name="start"/>, is a bundle.</summary>
    public static bool IsArchive(ProjectFile file, ReadOnlySpan<byte> start)
    {
        if (BundleMark.IsMarkedGzip(start))
        {
            return true;
        }

        if (file.Opener is not null || !(start.StartsWith("PK\u0003\u0004"u8) || start.StartsWith("PK\u0005\u0006"u8)))
        {
            return false;
        }

        try
        {
            // The central directory only: a zip of weights (a PyTorch checkpoint) costs its directory's bytes.
            using var zip = Verification.ZipDirectory.Read(file.FullPath);
            string? top = null;
            var single = true;
            bool Manifest(ZipDirectory.Entry entry)
            {
                using var stream = zip.Open(entry);
                var start = new byte[256];
                return IsManifest(start.AsSpan(0, stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false)));
            }

            foreach (var entry in zip.Entries)
            {
                if (entry.Name == ProjectLoader.ManifestFileName)
                {
                    return Manifest(entry);
                }

                var slash = entry.Name.IndexOf('/', StringComparison.Ordinal);
                var folder = slash > 0 ? entry.Name[..slash] : null;
                single &= folder is not null && (top is null || top == folder);
                top ??= folder;
            }

            return single && top is not null && zip.Entries.FirstOrDefault(e => e.Name == top + "/" + ProjectLoader.ManifestFileName) is { Name: not null } inner && Manifest(inner);
        }
        catch (Exception e) when (BundleVerifier.IsDamaged(e) || e is UnauthorizedAccessException)
        {
            return false;
        }
    }
}

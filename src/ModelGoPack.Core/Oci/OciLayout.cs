using System.Security.Cryptography;
using System.Text.Json;

namespace ModelGoPack.Oci;

/// <summary>
/// Reads an OCI image layout folder (the OCI image spec's image-layout.md): the <c>oci-layout</c> marker, <c>index.json</c>
/// and the blobs under <c>blobs/sha256/</c>. Only what a reader needs: the index's manifests with their ref names, a blob's
/// path (its digest checked to be a SHA-256 first, so no name ever leaves the blob folder), and small blobs (manifests,
/// configs) read whole with their size and digest checked. Damage is an <see cref="OciFormatException"/> saying what.
/// </summary>
public static class OciLayout
{
    /// <summary>Whether <paramref name="folder"/> looks like an OCI image layout (it has the <c>oci-layout</c> marker).</summary>
    public static bool IsLayout(string folder) => File.Exists(Path.Combine(folder, OciMediaTypes.LayoutFile));

    /// <summary>
    /// The layout folder and ref name of <c>LAYOUT:REF</c> (as skopeo's <c>oci:LAYOUT:REF</c> names one manifest), or null
    /// when <paramref name="path"/> is no such thing: it exists as it is (a folder whose name holds a colon is taken
    /// whole), REF is empty or holds a slash, or LAYOUT is no OCI layout. One rule for verify, sign and push.
    /// </summary>
    public static (string Layout, string Reference)? SplitReference(string path)
    {
        var colon = path.LastIndexOf(':');
        return colon > 0 && !Path.Exists(path) && path[(colon + 1)..] is { Length: > 0 } reference && !reference.Contains('/', StringComparison.Ordinal)
            && Directory.Exists(path[..colon]) && IsLayout(path[..colon])
            ? (path[..colon], reference)
            : null;
    }

    /// <summary>The manifests the index lists (each with its ref name annotation, if any).</summary>
    public static IReadOnlyList<OciDescriptor> ReadIndex(string root)
    {
        var marker = ReadSmall(Path.Combine(root, OciMediaTypes.LayoutFile), 64 * 1024, OciMediaTypes.LayoutFile);
        try
        {
            using var layout = JsonDocument.Parse(marker);
            if (layout.RootElement.ValueKind != JsonValueKind.Object || !layout.RootElement.TryGetProperty("imageLayoutVersion", out var version) || version.ValueKind != JsonValueKind.String)
            {
                throw new OciFormatException("oci-layout has no imageLayoutVersion");
            }
        }
        catch (JsonException e)
        {
            throw new OciFormatException($"oci-layout is not JSON ({e.Message})");
        }

        // The blobs are inside the layout: a linked blob folder would have verify read (and pass) files elsewhere.
        foreach (var folder in new[] { "blobs", OciMediaTypes.BlobFolder })
        {
            if (new DirectoryInfo(Path.Combine(root, folder)).LinkTarget is { } target)
            {
                throw new OciFormatException($"its {folder} is a symbolic link (to '{target}'); a layout holds its blobs itself");
            }
        }

        var bytes = ReadSmall(Path.Combine(root, OciMediaTypes.IndexFile), OciManifest.MaxBytes, OciMediaTypes.IndexFile);
        try
        {
            using var index = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
            if (index.RootElement.ValueKind != JsonValueKind.Object || !index.RootElement.TryGetProperty("manifests", out var manifests) || manifests.ValueKind != JsonValueKind.Array)
            {
                throw new OciFormatException("index.json has no manifests array");
            }

            return [.. manifests.EnumerateArray().Select((m, i) => OciDescriptor.Read(m, $"index.json's manifest {i + 1}"))];
        }
        catch (JsonException e)
        {
            throw new OciFormatException($"index.json is not JSON ({e.Message})");
        }
    }

    /// <summary>
    /// The manifest named <paramref name="reference"/> (its ref name), or, with none, the only image manifest the index
    /// lists. Throws when the name is not there, or when there are several and none was named (the names are listed).
    /// </summary>
    public static OciDescriptor SelectManifest(IReadOnlyList<OciDescriptor> manifests, string? reference)
    {
        var images = manifests.Where(m => m.MediaType == OciMediaTypes.ImageManifest).ToList();
        if (reference is not null)
        {
            return images.FirstOrDefault(m => m.Annotation(OciMediaTypes.RefNameAnnotation) == reference)
                ?? throw new OciFormatException($"index.json names no image manifest '{reference}' (it names: {Names(images)})");
        }

        return images.Count switch
        {
            1 => images[0],
            0 => throw new OciFormatException(manifests.Count == 0 ? "index.json lists no manifest" : $"index.json lists no OCI image manifest (only {string.Join(", ", manifests.Select(m => m.MediaType).Distinct())})"),
            _ => throw new OciFormatException($"index.json lists {images.Count} manifests; name one as LAYOUT:REF (it names: {Names(images)})"),
        };
    }

    /// <summary>The file of the blob <paramref name="digest"/>; throws when the digest is no SHA-256 (never a path outside the blob folder).</summary>
    public static string BlobPath(string root, string digest) =>
        OciDescriptor.IsSha256(digest)
            ? Path.Combine(root, OciMediaTypes.BlobFolder, digest["sha256:".Length..])
            : throw new OciFormatException($"the digest '{digest}' is not sha256: and 64 lowercase hex digits; ModelGoPack reads SHA-256 layouts only");

    /// <summary>A small blob (a manifest, a config), read whole, its size and SHA-256 checked against the descriptor.</summary>
    public static byte[] ReadBlob(string root, OciDescriptor descriptor, long maxBytes)
    {
        if (descriptor.Size > maxBytes)
        {
            throw new OciFormatException($"the blob {descriptor.Digest} is {descriptor.Size:N0} bytes, more than the {maxBytes:N0} a {descriptor.MediaType} may be");
        }

        var path = BlobPath(root, descriptor.Digest);
        var bytes = ReadSmall(path, maxBytes, $"blob {descriptor.Digest}");
        if (bytes.Length != descriptor.Size)
        {
            throw new OciFormatException($"the blob {descriptor.Digest} is {bytes.Length:N0} bytes; its descriptor says {descriptor.Size:N0}");
        }

        if ("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)) != descriptor.Digest)
        {
            throw new OciFormatException($"the blob {descriptor.Digest} does not have that SHA-256: it was altered");
        }

        return bytes;
    }

    private static string Names(IEnumerable<OciDescriptor> manifests) =>
        string.Join(", ", manifests.Select(m => m.Annotation(OciMediaTypes.RefNameAnnotation) ?? "(no name)"));

    private static byte[] ReadSmall(string path, long maxBytes, string what)
    {
        if (!File.Exists(path))
        {
            throw new OciFormatException($"the layout has no {what}");
        }

        // Never followed, never opened when it is no regular file: a named pipe would block the open for ever.
        if (new FileInfo(path).LinkTarget is not null || !Discovery.FileType.IsRegular(path))
        {
            throw new OciFormatException($"its {what} is a link or not a regular file (a named pipe, a device); a layout holds regular files only");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
        if (stream.Length > maxBytes)
        {
            throw new OciFormatException($"{what} is {stream.Length:N0} bytes, more than the {maxBytes:N0} it may be");
        }

        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}

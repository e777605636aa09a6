using ModelGoPack.Diagnostics;
using ModelGoPack.Oci;

namespace ModelGoPack.Distribution;

/// <summary>
/// The manifest a push sends and the blobs it names, read and checked before anything is sent: the layout's index, the
/// manifest chosen (<see cref="OciLayout.SelectManifest"/>), a model artifact (its artifactType and config type), each
/// blob present as a regular file of its descriptor's size. Layers are hashed as they are uploaded, not here.
/// </summary>
/// <param name="Root">The layout's folder.</param>
/// <param name="Descriptor">The manifest's descriptor in index.json.</param>
/// <param name="Bytes">The manifest's bytes, sent as they are (so its digest is the layout's).</param>
/// <param name="Blobs">The config and layers, each digest once, in the manifest's order.</param>
internal sealed record LayoutToPush(string Root, OciDescriptor Descriptor, byte[] Bytes, IReadOnlyList<OciDescriptor> Blobs)
{
    /// <summary>The most a config blob may be (4 MiB, as a manifest).</summary>
    private const long MaxConfigBytes = OciManifest.MaxBytes;

    /// <summary>The manifest's ref name in index.json, or null.</summary>
    public string? RefName => this.Descriptor.Annotation(OciMediaTypes.RefNameAnnotation);

    /// <summary>
    /// Reads <paramref name="given"/> (a folder, or <c>FOLDER:REF</c> when the whole is no folder and the part before the
    /// last colon is); null with MGP9051 reported when it cannot be pushed.
    /// </summary>
    public static LayoutToPush? Read(string given, DiagnosticBag diagnostics)
    {
        var (root, reference) = Split(given);
        if (!Directory.Exists(root))
        {
            diagnostics.Add(Messages.PushLayoutUnusable.With(given, "there is no such folder"), given);
            return null;
        }

        if (!OciLayout.IsLayout(root))
        {
            diagnostics.Add(Messages.PushLayoutUnusable.With(root, $"it is not an OCI image layout (it has no {OciMediaTypes.LayoutFile} file)"), root);
            return null;
        }

        try
        {
            var descriptor = OciLayout.SelectManifest(OciLayout.ReadIndex(root), reference);
            var bytes = OciLayout.ReadBlob(root, descriptor, OciManifest.MaxBytes);
            var manifest = OciManifest.Parse(bytes);
            if (manifest.ArtifactType != OciMediaTypes.ModelManifest)
            {
                throw new OciFormatException($"its manifest {descriptor.Digest} is not a model's: its artifactType is {(manifest.ArtifactType is { } t ? $"'{t}'" : "missing")}, not {OciMediaTypes.ModelManifest}");
            }

            if (manifest.Config.MediaType != OciMediaTypes.ModelConfig)
            {
                throw new OciFormatException($"its manifest's config is a '{manifest.Config.MediaType}', not a {OciMediaTypes.ModelConfig}");
            }

            OciLayout.ReadBlob(root, manifest.Config, MaxConfigBytes);
            var blobs = new List<OciDescriptor>();
            foreach (var (blob, i) in manifest.Layers.Prepend(manifest.Config).Select((b, i) => (b, i)))
            {
                var info = new FileInfo(OciLayout.BlobPath(root, blob.Digest));
                var what = i == 0 ? "the config" : $"layer {i}{(blob.Annotation(OciMediaTypes.FilePathAnnotation) is { } file ? $" ('{file}')" : "")}";
                if (!info.Exists || info.LinkTarget is not null)
                {
                    throw new OciFormatException(info.Exists ? $"the blob {blob.Digest} of {what} is a link, not a file" : $"the blob {blob.Digest} of {what} is missing");
                }

                if (info.Length != blob.Size)
                {
                    throw new OciFormatException($"the blob {blob.Digest} of {what} is {info.Length:N0} bytes; its descriptor says {blob.Size:N0}");
                }

                if (!blobs.Exists(b => b.Digest == blob.Digest))
                {
                    blobs.Add(blob);
                }
            }

            return new LayoutToPush(root, descriptor, bytes, blobs);
        }
        catch (OciFormatException e)
        {
            diagnostics.Add(Messages.PushLayoutUnusable.With(root, e.Message), root);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Messages.PushLayoutUnusable.With(root, e.Message), root);
            return null;
        }
    }

    /// <summary>The layout folder and the ref name of <c>FOLDER:REF</c>; a folder whose name holds a colon is taken whole.</summary>
    internal static (string Root, string? Reference) Split(string given) =>
        OciLayout.SplitReference(given) is var (layout, reference) ? (layout, reference) : (given, null);

    /// <summary>The path of a blob's file.</summary>
    public string PathOf(OciDescriptor blob) => OciLayout.BlobPath(this.Root, blob.Digest);
}

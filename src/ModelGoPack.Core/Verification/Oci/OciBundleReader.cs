using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Emit;
using ModelGoPack.Hashing;
using ModelGoPack.Inspection;
using ModelGoPack.Oci;

namespace ModelGoPack.Verification;

/// <summary>
/// Reads a bundle that is an OCI image layout holding a CNCF ModelPack artifact, as <c>pack --format oci</c> writes it
/// or as another tool pulled it back (<c>skopeo copy docker://… oci:DIR:REF</c>): the index's model manifest (the one,
/// or the one named), its raw layers as the bundle's files by their <c>org.cncf.model.filepath</c>, each read from its
/// blob. Every blob is hashed once, and that one digest is checked twice: against the layer's OCI digest (the layout's
/// own integrity) and against modelgo-manifest.json (the bundle's), which is itself a layer. Blobs the manifest does
/// not name (other images in the same layout) are not read. Archived layers (<c>.tar</c>, <c>+gzip</c>) are refused:
/// ModelGoPack writes and reads raw layers only (docs/oci.md).
/// </summary>
internal static class OciBundleReader
{
    /// <summary>Reads the layout at <paramref name="root"/>; <paramref name="reference"/> names a manifest by its ref name, or null for the only one.</summary>
    public static BundleContent? Read(string root, string? reference, ProgressCounter? progress, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        var content = new BundleContent { Source = root, Root = root, Format = BundleFormat.Oci };
        OciManifest manifest;
        ModelPackDescription description;
        try
        {
            var descriptor = OciLayout.SelectManifest(OciLayout.ReadIndex(root), reference);
            manifest = OciManifest.Parse(OciLayout.ReadBlob(root, descriptor, OciManifest.MaxBytes));
            if (manifest.ArtifactType != OciMediaTypes.ModelManifest)
            {
                throw new OciFormatException($"its manifest's artifactType is '{manifest.ArtifactType ?? "(none)"}', not {OciMediaTypes.ModelManifest}: it holds no model");
            }

            // The config must be there and be the ModelPack config (its content is the publisher's description, not judged).
            if (manifest.Config.MediaType != OciMediaTypes.ModelConfig)
            {
                throw new OciFormatException($"its config is a '{manifest.Config.MediaType}', not a {OciMediaTypes.ModelConfig}");
            }

            description = ModelPackDescription.Parse(OciLayout.ReadBlob(root, manifest.Config, OciManifest.MaxBytes));
        }
        catch (OciFormatException e)
        {
            diagnostics.Add(Messages.OciLayoutUnreadable.With(ProjectPath.Printable(root), e.Message), root);
            return null;
        }

        foreach (var (layer, number) in manifest.Layers.Select((l, i) => (l, i + 1)))
        {
            if (!OciMediaTypes.RawLayers.Contains(layer.MediaType))
            {
                diagnostics.Add(Messages.OciLayerNotRaw.With(number, layer.MediaType), root);
                return null;
            }

            if (layer.Annotation(OciMediaTypes.FilePathAnnotation) is not { Length: > 0 } path)
            {
                diagnostics.Add(Messages.OciLayerWithoutPath.With(number, layer.Digest), root);
                return null;
            }

            // A trailing '/' names a folder in an archive; a layer holds one file, so such a path could never be extracted.
            if ((path.EndsWith('/') ? "it ends with '/', so it names a folder, not the file a layer holds" : ProjectPath.UnsafeEntryName(path)) is { } unsafeName)
            {
                var shown = ProjectPath.Shown(path);
                diagnostics.Add(Messages.FolderBundleFileRefused.With(shown, unsafeName), shown);
                content.Refuse(path);
                continue;
            }

            ModelPackDescription.CheckFileMetadata(layer, number, path, diagnostics, root);
            if (content.Files.ContainsKey(path) || (path == BundleVerifier.ManifestName && content.ManifestFound))
            {
                diagnostics.Add(Messages.OciLayerTwice.With(ProjectPath.Printable(path)), path);
                content.Refuse(path);
                continue;
            }

            string blob;
            try
            {
                blob = OciLayout.BlobPath(root, layer.Digest);
            }
            catch (OciFormatException e)
            {
                diagnostics.Add(Messages.OciLayoutUnreadable.With(ProjectPath.Printable(root), e.Message), path);
                return null;
            }

            if (!File.Exists(blob) || !FileType.IsRegular(blob) || new FileInfo(blob).LinkTarget is not null)
            {
                diagnostics.Add(Messages.OciBlobMissing.With(ProjectPath.Printable(path), layer.Digest), path);
                content.Refuse(path);
                continue;
            }

            if (path == BundleVerifier.ManifestName)
            {
                content.ManifestFound = true;
                content.ManifestEntry = blob;
                content.Layers[path] = layer;
                using var stream = File.OpenRead(blob);
                content.Manifest = ManifestReader.Read(stream, diagnostics, root);
                continue;
            }

            content.Files[path] = new ProjectFile(path, blob, new FileInfo(blob).Length);
            content.Layers[path] = layer;
        }

        if (!content.Readable)
        {
            return content;
        }

        description.Compare(manifest, content.Manifest?.Declaration?.Config, diagnostics, root);

        // The manifest layer's own digest, as the manifest reader hashed it while reading: the layout's integrity covers it too.
        if (content.Manifest is { } read && content.Layers.TryGetValue(BundleVerifier.ManifestName, out var manifestLayer))
        {
            CheckLayer(BundleVerifier.ManifestName, manifestLayer, read.Digest.ToString(), read.Length, diagnostics);
        }

        var listed = content.Manifest?.Files.Select(m => m.Path).ToHashSet(StringComparer.Ordinal);
        var listedAs = content.Manifest?.Files.GroupBy(m => m.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var toHash = content.Files.Values.Where(f => listed is null || listed.Contains(f.RelativePath)).ToList();
        var inspection = Task.Run(() => ArtifactInspector.Inspect(content.Files.Values.OrderBy(f => f.RelativePath, StringComparer.Ordinal).ToList(), cancellationToken), cancellationToken);
        foreach (var (path, digest) in DigestEngine.HashAll(toHash, DigestCache.InMemory(), progress, diagnostics, cancellationToken, "verifying"))
        {
            // A file the manifest lists otherwise is reported by the comparison below, once; the layer's digest guards the rest.
            if (listedAs is null || !listedAs.TryGetValue(path, out var entry) || (entry.Sha256.ToString() == digest && entry.Size == content.Files[path].Length))
            {
                CheckLayer(path, content.Layers[path], digest, content.Files[path].Length, diagnostics);
            }

            content.Record(path, Sha256Digest.TryParse(digest, out var parsed) ? parsed : throw new InvalidOperationException($"not a SHA-256: {digest}"));
        }

        foreach (var artifact in inspection.GetAwaiter().GetResult())
        {
            content.Artifacts.Set(artifact);
        }

        ManifestComparison.Compare(content, diagnostics);
        return content;
    }

    // A blob that is not what its layer says (size or digest) was altered after the manifest named it.
    private static void CheckLayer(string path, OciDescriptor layer, string digest, long size, DiagnosticBag diagnostics)
    {
        if (size != layer.Size || "sha256:" + digest != layer.Digest)
        {
            diagnostics.Add(Messages.OciBlobAltered.With(ProjectPath.Printable(path), layer.Digest, $"sha256:{digest}", size, layer.Size), path);
        }
    }
}

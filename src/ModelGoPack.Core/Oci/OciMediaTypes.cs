namespace ModelGoPack.Oci;

/// <summary>
/// The media types, annotation keys and file names of an OCI image layout holding a CNCF ModelPack artifact
/// (../shared/specs/modelpack: docs/spec.md, docs/annotations.md, specs-go/v1/mediatype.go; the OCI image spec for
/// the layout and manifest). ModelGoPack writes raw layers only (one file per layer, never archived or compressed).
/// </summary>
public static class OciMediaTypes
{
    /// <summary>The OCI image manifest (ModelPack: "MUST be application/vnd.oci.image.manifest.v1+json").</summary>
    public const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>The OCI image index (index.json of a layout).</summary>
    public const string ImageIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>The manifest's artifactType for a model.</summary>
    public const string ModelManifest = "application/vnd.cncf.model.manifest.v1+json";

    /// <summary>The model config blob.</summary>
    public const string ModelConfig = "application/vnd.cncf.model.config.v1+json";

    /// <summary>An unarchived, uncompressed weights file.</summary>
    public const string WeightRaw = "application/vnd.cncf.model.weight.v1.raw";

    /// <summary>An unarchived configuration file of the weights (config.json, tokenizer.json).</summary>
    public const string WeightConfigRaw = "application/vnd.cncf.model.weight.config.v1.raw";

    /// <summary>An unarchived documentation file (README, LICENSE, NOTICE, the manifest).</summary>
    public const string DocRaw = "application/vnd.cncf.model.doc.v1.raw";

    /// <summary>An unarchived code file.</summary>
    public const string CodeRaw = "application/vnd.cncf.model.code.v1.raw";

    /// <summary>An unarchived dataset file.</summary>
    public const string DatasetRaw = "application/vnd.cncf.model.dataset.v1.raw";

    /// <summary>Every raw layer type ModelGoPack writes and reads back.</summary>
    public static IReadOnlyList<string> RawLayers { get; } = [WeightRaw, WeightConfigRaw, DocRaw, CodeRaw, DatasetRaw];

    /// <summary>The layer annotation naming the file's path in the model (ModelPack annotations.md).</summary>
    public const string FilePathAnnotation = "org.cncf.model.filepath";

    /// <summary>The layer annotation holding the file's metadata as JSON (name, mode, uid, gid, size, mtime, typeflag).</summary>
    public const string FileMetadataAnnotation = "org.cncf.model.file.metadata+json";

    /// <summary>The layer annotation saying the layer's media type was inferred (ModelGoPack: a file it could not place).</summary>
    public const string UntestedAnnotation = "org.cncf.model.file.mediatype.untested";

    /// <summary>The index annotation naming a manifest (the tag, for skopeo's <c>oci:DIR:REF</c>).</summary>
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    /// <summary>The manifest annotation with the creation time (RFC 3339).</summary>
    public const string CreatedAnnotation = "org.opencontainers.image.created";

    /// <summary>The layout's marker file and its only content.</summary>
    public const string LayoutFile = "oci-layout";

    /// <summary>The <c>oci-layout</c> file's content.</summary>
    public const string LayoutContent = "{\"imageLayoutVersion\":\"1.0.0\"}";

    /// <summary>The layout's index file.</summary>
    public const string IndexFile = "index.json";

    /// <summary>The folder of SHA-256 blobs, relative to the layout's root.</summary>
    public const string BlobFolder = "blobs/sha256";
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ModelGoPack.Inspection;
using ModelGoPack.Oci;

namespace ModelGoPack.Emit;

/// <summary>
/// Writes a bundle as an OCI image layout holding a CNCF ModelPack artifact (docs/oci.md): every file of the bundle is
/// one raw layer, written once (sparse, as a folder bundle's files are) to a staging name while it is hashed, then
/// renamed to <c>blobs/sha256/DIGEST</c> when its digest is known; two files of the same bytes share one blob. Then the
/// ModelPack config, the manifest (artifactType <c>application/vnd.cncf.model.manifest.v1+json</c>), <c>index.json</c>
/// (the version as ref name) and <c>oci-layout</c>. Every blob and file gets the bundle time. Entries may be added from
/// several threads at once; the layout is complete only after <see cref="Complete"/>.
/// </summary>
internal sealed class OciSink
{
    private const string StagingFolder = ".partial";
    private readonly string root;
    private readonly string blobs;
    private readonly string staging;
    private readonly DateTimeOffset timestamp;

    public OciSink(string root, DateTimeOffset timestamp)
    {
        this.root = root;
        this.timestamp = timestamp;
        this.blobs = Path.Combine(root, OciMediaTypes.BlobFolder);
        this.staging = Path.Combine(root, StagingFolder);
        Directory.CreateDirectory(this.blobs);
        Directory.CreateDirectory(this.staging);
    }

    /// <summary>Writes the content of entry number <paramref name="index"/> to its staging file.</summary>
    public void Add(int index, Stream content)
    {
        using var file = new FileStream(this.StagingPath(index), FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        using var sparse = new DirectorySink.SparseWriter(file);
        content.CopyTo(sparse);
    }

    /// <summary>Moves entry <paramref name="index"/>'s staging file to its blob; a blob of the same bytes already there is kept.</summary>
    public void Commit(int index, string sha256Hex)
    {
        var blob = Path.Combine(this.blobs, sha256Hex);
        if (File.Exists(blob))
        {
            File.Delete(this.StagingPath(index));
            return;
        }

        File.Move(this.StagingPath(index), blob, overwrite: false);
    }

    /// <summary>Writes a small blob (the config, the manifest) and returns its descriptor.</summary>
    public OciDescriptor AddBlob(string mediaType, byte[] bytes, string? artifactType = null, IReadOnlyDictionary<string, string>? annotations = null)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var blob = Path.Combine(this.blobs, hex);
        if (!File.Exists(blob))
        {
            File.WriteAllBytes(blob, bytes);
        }

        return new OciDescriptor(mediaType, "sha256:" + hex, bytes.Length, annotations, artifactType);
    }

    /// <summary>The layer of one bundle file: its media type by what the file is, its path and file metadata as annotations.</summary>
    public OciDescriptor Layer(ManifestFile file, Artifact? artifact)
    {
        var (mediaType, untested) = MediaType(artifact);
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [OciMediaTypes.FilePathAnnotation] = file.Path,
            [OciMediaTypes.FileMetadataAnnotation] = this.FileMetadata(file),
        };
        if (untested)
        {
            annotations[OciMediaTypes.UntestedAnnotation] = "true";
        }

        return new OciDescriptor(mediaType, "sha256:" + file.Sha256, file.Size, annotations);
    }

    /// <summary>Writes <c>index.json</c> naming the manifest by <paramref name="refName"/>, and <c>oci-layout</c>; removes the staging folder; dates every file.</summary>
    public void Complete(OciDescriptor manifest, string refName)
    {
        using (var buffer = new MemoryStream())
        {
            using (var json = new Utf8JsonWriter(buffer, OciDescriptor.WriterOptions))
            {
                json.WriteStartObject();
                json.WriteNumber("schemaVersion", 2);
                json.WriteString("mediaType", OciMediaTypes.ImageIndex);
                json.WriteStartArray("manifests");
                (manifest with { Annotations = new Dictionary<string, string> { [OciMediaTypes.RefNameAnnotation] = refName } }).Write(json);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            File.WriteAllBytes(Path.Combine(this.root, OciMediaTypes.IndexFile), buffer.ToArray());
        }

        File.WriteAllText(Path.Combine(this.root, OciMediaTypes.LayoutFile), OciMediaTypes.LayoutContent, new UTF8Encoding(false));
        Directory.Delete(this.staging, recursive: true);
        // A blob already at the bundle time is left alone: one linked from the previous layout (PreviousFiles) is shared with
        // it until it is replaced, and keeps the change time its link gave it, by which a write to it is told.
        foreach (var path in Directory.EnumerateFiles(this.root, "*", SearchOption.AllDirectories))
        {
            if (File.GetLastWriteTimeUtc(path) != this.timestamp.UtcDateTime)
            {
                File.SetLastWriteTimeUtc(path, this.timestamp.UtcDateTime);
            }
        }
    }

    // ModelPack's kinds by what the file is for; what ModelGoPack cannot place (Other) is a doc, marked untested.
    private static (string MediaType, bool Untested) MediaType(Artifact? artifact) => artifact?.Role switch
    {
        ArtifactRole.Weights => (OciMediaTypes.WeightRaw, false),
        ArtifactRole.Architecture or ArtifactRole.Tokenizer => (OciMediaTypes.WeightConfigRaw, false),
        ArtifactRole.Code => (OciMediaTypes.CodeRaw, false),
        ArtifactRole.Data => (OciMediaTypes.DatasetRaw, false),
        ArtifactRole.Other => (OciMediaTypes.DocRaw, true),
        _ => (OciMediaTypes.DocRaw, false),
    };

    // ModelPack's file metadata (annotations.md): a regular file (typeflag '0'), mode 0644, owned by root, of the bundle time.
    private string FileMetadata(ManifestFile file)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, OciDescriptor.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("name", file.Path[(file.Path.LastIndexOf('/') + 1)..]);
            json.WriteNumber("mode", 420);
            json.WriteNumber("uid", 0);
            json.WriteNumber("gid", 0);
            json.WriteNumber("size", file.Size);
            json.WriteString("mtime", ModelPackConfig.Rfc3339(this.timestamp));
            json.WriteNumber("typeflag", (byte)'0');
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Where entry number <paramref name="index"/>'s bytes are, or are put, before <see cref="Commit"/> (its folder exists).</summary>
    public string StagingPath(int index) => Path.Combine(this.staging, index.ToString(CultureInfo.InvariantCulture));
}

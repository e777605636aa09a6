using System.Security.Cryptography;
using System.Text;
using ModelGoPack.Oci;

namespace ModelGoPack.Tests.Support;

/// <summary>
/// Writes a small ModelPack OCI image layout as pack --format oci would: raw layers named by org.cncf.model.filepath,
/// a model config, a manifest of artifactType application/vnd.cncf.model.manifest.v1+json, and index.json naming it
/// by org.opencontainers.image.ref.name: small, any shape a test needs (pack --format oci writes the real ones;
/// <see cref="OciLayoutFile"/> edits a layout once written).
/// </summary>
public sealed class OciLayoutBuilder
{
    private readonly List<(string Path, string MediaType, byte[] Bytes)> layers = [];

    /// <summary>The ref name index.json gives the manifest (null: none).</summary>
    public string? RefName { get; set; } = "1.0";

    /// <summary>The manifest's artifactType.</summary>
    public string? ArtifactType { get; set; } = OciMediaTypes.ModelManifest;

    /// <summary>Adds a raw layer holding <paramref name="bytes"/>.</summary>
    public OciLayoutBuilder Layer(string path, byte[] bytes, string mediaType = OciMediaTypes.WeightRaw)
    {
        this.layers.Add((path, mediaType, bytes));
        return this;
    }

    /// <summary>Adds a raw layer of <paramref name="size"/> pseudo-random bytes drawn from <paramref name="seed"/>.</summary>
    public OciLayoutBuilder Layer(string path, int size, int seed) => this.Layer(path, Random(size, seed));

    /// <summary>Pseudo-random bytes: the same for the same seed.</summary>
    public static byte[] Random(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Writes the layout to <paramref name="root"/>; returns the manifest's descriptor.</summary>
    public OciDescriptor Write(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(root, OciMediaTypes.LayoutFile), OciMediaTypes.LayoutContent);
        var config = Encoding.UTF8.GetBytes("{\"descriptor\":{\"name\":\"tiny-llm\",\"version\":\"1.0\"},\"modelfs\":{\"type\":\"layers\",\"diffIds\":[" +
            string.Join(",", this.layers.Select(l => $"\"{Digest(l.Bytes)}\"")) + "]},\"config\":{}}");
        var configDescriptor = new OciDescriptor(OciMediaTypes.ModelConfig, WriteBlob(root, config), config.Length);
        var layerDescriptors = this.layers.Select(l => new OciDescriptor(l.MediaType, WriteBlob(root, l.Bytes), l.Bytes.Length, new Dictionary<string, string> { [OciMediaTypes.FilePathAnnotation] = l.Path })).ToList();
        var manifest = new OciManifest(this.ArtifactType, configDescriptor, layerDescriptors).ToJson();

        var annotations = this.RefName is { } name ? new Dictionary<string, string> { [OciMediaTypes.RefNameAnnotation] = name } : null;
        var descriptor = new OciDescriptor(OciMediaTypes.ImageManifest, WriteBlob(root, manifest), manifest.Length, annotations);
        using var index = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(index, OciDescriptor.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", OciMediaTypes.ImageIndex);
            json.WriteStartArray("manifests");
            descriptor.Write(json);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        File.WriteAllBytes(Path.Combine(root, OciMediaTypes.IndexFile), index.ToArray());
        return descriptor;
    }

    /// <summary>The <c>sha256:</c> digest of <paramref name="bytes"/>.</summary>
    public static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string WriteBlob(string root, byte[] bytes)
    {
        var digest = Digest(bytes);
        File.WriteAllBytes(OciLayout.BlobPath(root, digest), bytes);
        return digest;
    }
}

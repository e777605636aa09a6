using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelGoPack.Tests.Support;

/// <summary>
/// An OCI image layout on disk, read and rewritten as a test needs: its index, its one manifest and config as JSON
/// nodes, its blobs by digest. Editing writes a new manifest blob and points the index at it, as an attacker or another
/// tool would: the layout stays well formed, so what verify finds is the change itself.
/// </summary>
public sealed class OciLayoutFile(string root)
{
    public string Root { get; } = root;

    public JsonObject Index => JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(this.Root, "index.json")))!.AsObject();

    public string ManifestDigest => this.Index["manifests"]![0]!["digest"]!.GetValue<string>();

    public JsonObject Manifest => JsonNode.Parse(this.Blob(this.ManifestDigest))!.AsObject();

    public JsonObject Config => JsonNode.Parse(this.Blob(this.Manifest["config"]!["digest"]!.GetValue<string>()))!.AsObject();

    /// <summary>The manifest's layers, by the file path each holds.</summary>
    public Dictionary<string, JsonObject> Layers => this.Manifest["layers"]!.AsArray()
        .ToDictionary(l => l!["annotations"]!["org.cncf.model.filepath"]!.GetValue<string>(), l => l!.AsObject(), StringComparer.Ordinal);

    public string BlobPath(string digest) => Oci.OciLayout.BlobPath(this.Root, digest);

    public byte[] Blob(string digest) => File.ReadAllBytes(this.BlobPath(digest));

    /// <summary>Writes a blob and returns its digest.</summary>
    public string WriteBlob(byte[] bytes)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        File.WriteAllBytes(this.BlobPath(digest), bytes);
        return digest;
    }

    /// <summary>Rewrites the manifest with <paramref name="edit"/>, stores it as a new blob, and points index.json at it.</summary>
    public void EditManifest(Action<JsonObject> edit)
    {
        var manifest = this.Manifest;
        edit(manifest);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest);
        var digest = this.WriteBlob(bytes);
        var index = this.Index;
        index["manifests"]![0]!["digest"] = digest;
        index["manifests"]![0]!["size"] = bytes.Length;
        File.WriteAllText(System.IO.Path.Combine(this.Root, "index.json"), index.ToJsonString());
    }

    /// <summary>
    /// Replaces the file <paramref name="path"/> with <paramref name="bytes"/> as a thorough attacker would: a new blob,
    /// the layer pointed at it, the config's diffIds and the config's descriptor rewritten to match.
    /// </summary>
    public void ReplaceFile(string path, byte[] bytes)
    {
        var digest = this.WriteBlob(bytes);
        var old = this.Layers[path]["digest"]!.GetValue<string>();
        var config = this.Config;
        var diffIds = config["modelfs"]!["diffIds"]!.AsArray();
        for (var i = 0; i < diffIds.Count; i++)
        {
            if (diffIds[i]!.GetValue<string>() == old)
            {
                diffIds[i] = digest;
            }
        }

        var configBytes = System.Text.Encoding.UTF8.GetBytes(config.ToJsonString());
        var configDigest = this.WriteBlob(configBytes);
        this.EditManifest(m =>
        {
            var layer = m["layers"]!.AsArray().Single(l => l!["annotations"]!["org.cncf.model.filepath"]!.GetValue<string>() == path)!;
            layer["digest"] = digest;
            layer["size"] = bytes.Length;
            m["config"]!["digest"] = configDigest;
            m["config"]!["size"] = configBytes.Length;
        });
    }
}

using System.Text.Json;

namespace ModelGoPack.Oci;

/// <summary>An OCI image manifest (schemaVersion 2): the model's config blob, its layers, the artifact type and annotations.</summary>
public sealed record OciManifest(string? ArtifactType, OciDescriptor Config, IReadOnlyList<OciDescriptor> Layers, IReadOnlyDictionary<string, string>? Annotations = null)
{
    /// <summary>The most a manifest or index may be (4 MiB, as registries commonly allow).</summary>
    public const long MaxBytes = 4L * 1024 * 1024;

    /// <summary>The manifest as JSON, in a fixed key order, compact: the same manifest gives the same bytes, and so the same digest.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, OciDescriptor.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", OciMediaTypes.ImageManifest);
            if (this.ArtifactType is { } artifactType)
            {
                json.WriteString("artifactType", artifactType);
            }

            json.WritePropertyName("config");
            this.Config.Write(json);
            json.WriteStartArray("layers");
            foreach (var layer in this.Layers)
            {
                layer.Write(json);
            }

            json.WriteEndArray();
            OciDescriptor.WriteAnnotations(json, this.Annotations);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a manifest; throws <see cref="OciFormatException"/> when it is not an OCI image manifest.</summary>
    public static OciManifest Parse(ReadOnlySpan<byte> bytes)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new OciFormatException($"the manifest is not JSON ({e.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schemaVersion", out var version) || version.ValueKind != JsonValueKind.Number || version.GetRawText() != "2")
            {
                throw new OciFormatException("the manifest has no \"schemaVersion\": 2");
            }

            if (root.TryGetProperty("mediaType", out var mediaType) && (mediaType.ValueKind != JsonValueKind.String || mediaType.GetString() != OciMediaTypes.ImageManifest))
            {
                throw new OciFormatException($"the manifest's mediaType is {mediaType.GetRawText()}, not {OciMediaTypes.ImageManifest}");
            }

            if (!root.TryGetProperty("config", out var config))
            {
                throw new OciFormatException("the manifest has no config");
            }

            if (!root.TryGetProperty("layers", out var layers) || layers.ValueKind != JsonValueKind.Array)
            {
                throw new OciFormatException("the manifest has no layers array");
            }

            var artifactType = root.TryGetProperty("artifactType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var read = layers.EnumerateArray().Select((layer, i) => OciDescriptor.Read(layer, $"layer {i + 1}")).ToList();
            var annotations = root.TryGetProperty("annotations", out var a) ? OciDescriptor.ReadAnnotations(a, "the manifest") : null;
            return new OciManifest(artifactType, OciDescriptor.Read(config, "the config descriptor"), read, annotations);
        }
    }
}

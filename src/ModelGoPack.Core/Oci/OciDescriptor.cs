using System.Text.Json;

namespace ModelGoPack.Oci;

/// <summary>An OCI content descriptor: what a blob is, its digest (always <c>sha256:</c> here) and size, and its annotations.</summary>
public sealed record OciDescriptor(string MediaType, string Digest, long Size, IReadOnlyDictionary<string, string>? Annotations = null, string? ArtifactType = null)
{
    /// <summary>
    /// How ModelGoPack writes OCI JSON: compact, with only what JSON requires escaped (so <c>+json</c> stays <c>+json</c>,
    /// as every OCI tool writes it; the text is never embedded in HTML).
    /// </summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The lowercase hex SHA-256 of the digest (<c>sha256:HEX</c>), or null when it is not one.</summary>
    public string? Sha256Hex => IsSha256(this.Digest) ? this.Digest["sha256:".Length..] : null;

    /// <summary>An annotation's value, or null.</summary>
    public string? Annotation(string key) => this.Annotations is { } a && a.TryGetValue(key, out var value) ? value : null;

    /// <summary>Whether <paramref name="digest"/> is <c>sha256:</c> and 64 lowercase hex digits, the one form a blob's file name may take.</summary>
    public static bool IsSha256(string? digest) =>
        digest is { Length: 71 } && digest.StartsWith("sha256:", StringComparison.Ordinal) && digest.AsSpan(7).IndexOfAnyExcept(LowerHex) < 0;

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>Writes the descriptor in a fixed key order (mediaType, artifactType, digest, size, annotations sorted).</summary>
    public void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("mediaType", this.MediaType);
        if (this.ArtifactType is { } artifactType)
        {
            json.WriteString("artifactType", artifactType);
        }

        json.WriteString("digest", this.Digest);
        json.WriteNumber("size", this.Size);
        WriteAnnotations(json, this.Annotations);
        json.WriteEndObject();
    }

    /// <summary>Writes an <c>annotations</c> member (keys in ordinal order), nothing when there are none.</summary>
    internal static void WriteAnnotations(Utf8JsonWriter json, IReadOnlyDictionary<string, string>? annotations)
    {
        if (annotations is not { Count: > 0 })
        {
            return;
        }

        json.WriteStartObject("annotations");
        foreach (var (key, value) in annotations.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
    }

    /// <summary>Reads a descriptor; throws <see cref="OciFormatException"/> when a required member is missing or of the wrong type.</summary>
    public static OciDescriptor Read(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new OciFormatException($"{where} is not a JSON object");
        }

        var mediaType = RequiredString(element, "mediaType", where);
        var digest = RequiredString(element, "digest", where);
        if (!element.TryGetProperty("size", out var size) || size.ValueKind != JsonValueKind.Number || !size.TryGetInt64(out var length) || length < 0)
        {
            throw new OciFormatException($"{where} has no size as a whole number of bytes");
        }

        var annotations = element.TryGetProperty("annotations", out var a) ? ReadAnnotations(a, where) : null;
        var artifactType = element.TryGetProperty("artifactType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return new OciDescriptor(mediaType, digest, length, annotations, artifactType);
    }

    /// <summary>Reads an <c>annotations</c> map: every value a string, no key twice.</summary>
    internal static Dictionary<string, string> ReadAnnotations(JsonElement a, string where)
    {
        if (a.ValueKind != JsonValueKind.Object)
        {
            throw new OciFormatException($"{where}'s annotations are not a JSON object");
        }

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in a.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String || !annotations.TryAdd(property.Name, property.Value.GetString()!))
            {
                throw new OciFormatException($"{where}'s annotation '{property.Name}' is not a single string");
            }
        }

        return annotations;
    }

    internal static string RequiredString(JsonElement element, string name, string where) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new OciFormatException($"{where} has no '{name}' string");
}

/// <summary>An OCI layout or manifest that is not what the OCI image spec says: the message says what and where.</summary>
public sealed class OciFormatException(string message) : Exception(message)
{
}

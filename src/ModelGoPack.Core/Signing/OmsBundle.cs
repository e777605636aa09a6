using System.Text.Json;
using ModelGoPack.Emit;

namespace ModelGoPack.Signing;

/// <summary>
/// An OMS signature file: a sigstore bundle v0.3 (JSON) holding the verification material and a DSSE envelope whose
/// payload is the <see cref="OmsStatement"/>, signed over its pre-authentication encoding. Read in two steps, so that
/// a file that cannot be trusted costs no more than its own bytes: <see cref="Parse"/> checks the structure and reads
/// the (small) verification material; the payload and signatures, which may be most of the file, are decoded only
/// once the signer is known to be the one given (<see cref="DecodeEnvelope"/>).
/// </summary>
internal sealed class OmsBundle : IDisposable
{
    /// <summary>The sigstore bundle v0.3 media type.</summary>
    public const string MediaType = "application/vnd.dev.sigstore.bundle.v0.3+json";

    /// <summary>
    /// The most of a signature file read: 256 MiB. The statement of a bundle of a million files (pack's limit) is some
    /// 150 MB (a resource is 90 bytes and its name), 200 MB in base64; verify then holds the file and the decoded payload.
    /// </summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    // The older spelling of v0.3 that sigstore clients still accept.
    private const string LegacyMediaType = "application/vnd.dev.sigstore.bundle+json;version=0.3";

    private readonly byte[] bytes;
    private readonly JsonDocument document;
    private readonly JsonElement payload;
    private readonly JsonElement signatures;

    private OmsBundle(byte[] bytes, JsonDocument document, VerificationMaterial material, JsonElement payload, JsonElement signatures)
    {
        this.bytes = bytes;
        this.document = document;
        this.Material = material;
        this.payload = payload;
        this.signatures = signatures;
    }

    /// <summary>The verification material: who signed, as the file says.</summary>
    public VerificationMaterial Material { get; }

    /// <summary>Signs <paramref name="statement"/> and writes the bundle (UTF-8 JSON, indented, keys in a fixed order, a final line break).</summary>
    public static byte[] Sign(OmsStatement statement, Signer signer)
    {
        var payload = statement.ToJson();
        var signature = signer.Sign(payload);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            json.WriteStartObject();
            json.WriteString("mediaType", MediaType);
            VerificationMaterial.Write(json, signer);
            json.WriteStartObject("dsseEnvelope");
            json.WriteBase64String("payload", payload);
            json.WriteString("payloadType", Dsse.InTotoPayloadType);
            json.WriteStartArray("signatures");
            json.WriteStartObject();
            json.WriteBase64String("sig", signature);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>
    /// Reads a signature file (8.1): JSON, the sigstore bundle v0.3 media type, verification material, and a DSSE
    /// envelope of type <c>application/vnd.in-toto+json</c> with a payload and at least one signature, as strings (decoded
    /// by <see cref="DecodeEnvelope"/>). Null, with the reason, when it is not one. <paramref name="bytes"/> must not
    /// change while the result is in use: it is read in place.
    /// </summary>
    public static OmsBundle? Parse(byte[] bytes, out string? problem)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            problem = $"it is not valid JSON ({e.Message.Split(" LineNumber:")[0].TrimEnd('.')})";
            return null;
        }

        try
        {
            if (Read(bytes, document, out problem) is { } bundle)
            {
                return bundle;
            }
        }
        catch (InvalidOperationException)
        {
            // GetString of an escaped lone surrogate ("\ud800"): valid JSON, but no string.
            problem = "a string in it is not valid Unicode (a lone surrogate)";
        }

        document.Dispose();
        return null;
    }

    /// <summary>
    /// Whether <paramref name="file"/> begins as a sigstore bundle (an earlier signature sign may replace): its mediaType,
    /// a property of the top object, in its first 64 KiB. The rest is not read: the file may be large, and is not ours.
    /// </summary>
    public static bool BeginsAsBundle(Microsoft.Win32.SafeHandles.SafeFileHandle file)
    {
        var head = new byte[64 * 1024];
        var length = RandomAccess.Read(file, head, 0);
        return EarlierOutput.HasTopLevelString(head.AsSpan(0, length), length < head.Length, "mediaType"u8, MediaType, LegacyMediaType);
    }

    /// <summary>The envelope's payload and signatures, decoded from base64; null, with the reason, when they are not base64.</summary>
    public (byte[] Payload, IReadOnlyList<byte[]> Signatures)? DecodeEnvelope(out string? problem)
    {
        problem = null;
        if ((this.DecodePayloadInPlace() ?? (this.payload.TryGetBytesFromBase64(out var copied) ? copied : null)) is not { Length: > 0 } payloadBytes)
        {
            problem = "its envelope's payload is not base64";
            return null;
        }

        var decoded = new List<byte[]>();
        foreach (var signature in this.signatures.EnumerateArray())
        {
            if (!signature.GetProperty("sig").TryGetBytesFromBase64(out var sigBytes) || sigBytes.Length == 0)
            {
                problem = "a signature of its envelope is not base64";
                return null;
            }

            decoded.Add(sigBytes);
        }

        return (payloadBytes, decoded);
    }

    /// <inheritdoc/>
    public void Dispose() => this.document.Dispose();

    // The payload decoded straight from the file's bytes into an array of its exact size (JsonElement's decoding
    // allocates the decoded bytes twice); null when it is escaped or not padded base64, for JsonElement to decide.
    private byte[]? DecodePayloadInPlace()
    {
        var reader = new Utf8JsonReader(this.bytes);
        var inEnvelope = false;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.CurrentDepth == 1)
            {
                inEnvelope = reader.ValueTextEquals("dsseEnvelope"u8);
            }
            else if (inEnvelope && reader.CurrentDepth == 2 && reader.ValueTextEquals("payload"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence)
                {
                    return null;
                }

                var text = reader.ValueSpan;
                if (text.Length == 0 || text.Length % 4 != 0)
                {
                    return null;
                }

                var decoded = new byte[(text.Length / 4 * 3) - (text[^1] == '=' ? text[^2] == '=' ? 2 : 1 : 0)];
                return System.Buffers.Text.Base64.DecodeFromUtf8(text, decoded, out _, out var written) == System.Buffers.OperationStatus.Done && written == decoded.Length ? decoded : null;
            }
        }

        return null;
    }

    private static OmsBundle? Read(byte[] bytes, JsonDocument document, out string? problem)
    {
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = "it is not a JSON object";
            return null;
        }

        if (!root.TryGetProperty("mediaType", out var mediaType) || mediaType.ValueKind != JsonValueKind.String || mediaType.GetString() is not (MediaType or LegacyMediaType))
        {
            problem = $"its mediaType is not {MediaType}";
            return null;
        }

        if (VerificationMaterial.Read(root.TryGetProperty("verificationMaterial", out var material) ? material : default, out problem) is not { } read)
        {
            return null;
        }

        if (!root.TryGetProperty("dsseEnvelope", out var envelope) || envelope.ValueKind != JsonValueKind.Object)
        {
            problem = "it has no dsseEnvelope";
            return null;
        }

        if (!envelope.TryGetProperty("payloadType", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != Dsse.InTotoPayloadType)
        {
            problem = $"its envelope's payloadType is not {Dsse.InTotoPayloadType}";
            return null;
        }

        if (!envelope.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.String)
        {
            problem = "its envelope's payload is not base64";
            return null;
        }

        if (!envelope.TryGetProperty("signatures", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            problem = "its envelope holds no signature";
            return null;
        }

        if (list.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.Object || !s.TryGetProperty("sig", out var sig) || sig.ValueKind != JsonValueKind.String))
        {
            problem = "a signature of its envelope is not base64";
            return null;
        }

        return new OmsBundle(bytes, document, read, payload, list);
    }
}

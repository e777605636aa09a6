using System.Text.Json;

namespace ModelGoPack.Signing;

/// <summary>
/// An OMS signature file: a sigstore bundle v0.3 (JSON) holding the verification material and a DSSE envelope whose
/// payload is the <see cref="OmsStatement"/>, signed over its pre-authentication encoding.
/// </summary>
internal sealed record OmsBundle(VerificationMaterial Material, byte[] Payload, IReadOnlyList<byte[]> Signatures)
{
    /// <summary>The sigstore bundle v0.3 media type.</summary>
    public const string MediaType = "application/vnd.dev.sigstore.bundle.v0.3+json";

    /// <summary>The most of a signature file read: 1 GiB (the statement of a million files is some 200 MB in base64).</summary>
    public const long MaxBytes = 1L << 30;

    // The older spelling of v0.3 that sigstore clients still accept.
    private const string LegacyMediaType = "application/vnd.dev.sigstore.bundle+json;version=0.3";

    /// <summary>Signs <paramref name="statement"/> and writes the bundle (UTF-8 JSON, indented, keys in a fixed order, a final line break).</summary>
    public static byte[] Sign(OmsStatement statement, Signer signer)
    {
        var payload = statement.ToJson();
        var signature = signer.Sign(Dsse.PreAuthenticationEncoding(Dsse.InTotoPayloadType, payload));
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
    /// envelope of type <c>application/vnd.in-toto+json</c> with a base64 payload and at least one signature. Null,
    /// with the reason, when it is not one. The payload is read as a statement only once a signature verifies.
    /// </summary>
    public static OmsBundle? Parse(byte[] bytes, out string? problem)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 32 });
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

            if (!envelope.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.String || !payload.TryGetBytesFromBase64(out var payloadBytes) || payloadBytes.Length == 0)
            {
                problem = "its envelope's payload is not base64";
                return null;
            }

            var signatures = new List<byte[]>();
            if (envelope.TryGetProperty("signatures", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var signature in list.EnumerateArray())
                {
                    if (signature.ValueKind != JsonValueKind.Object || !signature.TryGetProperty("sig", out var sig) || sig.ValueKind != JsonValueKind.String
                        || !sig.TryGetBytesFromBase64(out var sigBytes) || sigBytes.Length == 0)
                    {
                        problem = "a signature of its envelope is not base64";
                        return null;
                    }

                    signatures.Add(sigBytes);
                }
            }

            if (signatures.Count == 0)
            {
                problem = "its envelope holds no signature";
                return null;
            }

            return new OmsBundle(read, payloadBytes, signatures);
        }
        catch (JsonException e)
        {
            problem = $"it is not valid JSON ({e.Message.Split(" LineNumber:")[0].TrimEnd('.')})";
            return null;
        }
        catch (InvalidOperationException)
        {
            // GetString of an escaped lone surrogate ("\ud800"): valid JSON, but no string.
            problem = "a string in it is not valid Unicode (a lone surrogate)";
            return null;
        }
    }
}

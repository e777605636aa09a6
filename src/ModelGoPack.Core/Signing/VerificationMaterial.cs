using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace ModelGoPack.Signing;

/// <summary>
/// Who signs: an ECDSA key (the <c>key</c> method) and, for the <c>certificate</c> method, its certificate followed by
/// the intermediate certificates that lead to a CA.
/// </summary>
internal sealed class Signer(ECDsa key, IReadOnlyList<X509Certificate2>? chain) : IDisposable
{
    /// <summary>The private key.</summary>
    public ECDsa Key { get; } = key;

    /// <summary>The signing certificate first, then its intermediates; null for the key method.</summary>
    public IReadOnlyList<X509Certificate2>? Chain { get; } = chain;

    /// <summary>
    /// Signs the DSSE pre-authentication encoding of the in-toto <paramref name="payload"/>: ECDSA with the curve's hash,
    /// as a DER sequence (what sigstore writes).
    /// </summary>
    public byte[] Sign(byte[] payload) =>
        this.Key.SignHash(Dsse.PreAuthenticationHash(Dsse.InTotoPayloadType, payload, SigningKeys.HashFor(this.Key)), DSASignatureFormat.Rfc3279DerSequence);

    /// <inheritdoc/>
    public void Dispose()
    {
        this.Key.Dispose();
        foreach (var certificate in this.Chain ?? [])
        {
            certificate.Dispose();
        }
    }
}

/// <summary>
/// A sigstore bundle's <c>verificationMaterial</c> for each OMS signing method (4.1), read and written here alone: the
/// <c>key</c> method names its key by a hint, the <c>certificate</c> method carries the signing certificate and its
/// chain, and the <c>sigstore</c> (keyless) method a Fulcio certificate with Rekor entries. ModelGoPack writes the first
/// two; keyless needs the network, and is read only to be named. <c>tlogEntries</c> is written empty, as OMS's
/// reference implementation writes it and sigstore-js requires it; a keyless signer would fill it here.
/// </summary>
internal abstract record VerificationMaterial
{
    /// <summary>The method's name, as OMS calls it.</summary>
    public abstract string Method { get; }

    /// <summary>Writes the material of <paramref name="signer"/>.</summary>
    public static void Write(Utf8JsonWriter json, Signer signer)
    {
        json.WriteStartObject("verificationMaterial");
        if (signer.Chain is { } chain)
        {
            json.WriteStartObject("x509CertificateChain");
            json.WriteStartArray("certificates");
            foreach (var certificate in chain)
            {
                json.WriteStartObject();
                json.WriteBase64String("rawBytes", certificate.RawData);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }
        else
        {
            json.WriteStartObject("publicKey");
            json.WriteString("hint", SigningKeys.Hint(signer.Key));
            json.WriteEndObject();
        }

        json.WriteStartArray("tlogEntries");
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The material in <paramref name="element"/>; null, with the reason, when it holds none of the three.</summary>
    public static VerificationMaterial? Read(JsonElement element, out string? problem)
    {
        problem = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            problem = "it has no verificationMaterial";
            return null;
        }

        if (element.TryGetProperty("publicKey", out var key) && key.ValueKind == JsonValueKind.Object)
        {
            return new KeyHint(key.TryGetProperty("hint", out var hint) && hint.ValueKind == JsonValueKind.String ? hint.GetString() : null);
        }

        if (element.TryGetProperty("x509CertificateChain", out var chain) && chain.ValueKind == JsonValueKind.Object
            && chain.TryGetProperty("certificates", out var certificates) && certificates.ValueKind == JsonValueKind.Array && certificates.GetArrayLength() > 0)
        {
            var raw = new List<byte[]>();
            foreach (var certificate in certificates.EnumerateArray())
            {
                if (certificate.ValueKind != JsonValueKind.Object || !certificate.TryGetProperty("rawBytes", out var bytes) || bytes.ValueKind != JsonValueKind.String
                    || !bytes.TryGetBytesFromBase64(out var der) || der.Length == 0)
                {
                    problem = "a certificate of its x509CertificateChain is not base64 DER";
                    return null;
                }

                raw.Add(der);
            }

            return new CertificateChain(raw);
        }

        if (element.TryGetProperty("certificate", out _))
        {
            return new Keyless();
        }

        problem = "its verificationMaterial has no publicKey, x509CertificateChain or certificate";
        return null;
    }

    /// <summary>The <c>key</c> method: the key's hint (null in bundles older than OMS v1.1.0, which carried rawBytes).</summary>
    public sealed record KeyHint(string? Hint) : VerificationMaterial
    {
        /// <inheritdoc/>
        public override string Method => "key";
    }

    /// <summary>The <c>certificate</c> method: DER certificates, the signing one first.</summary>
    public sealed record CertificateChain(IReadOnlyList<byte[]> Certificates) : VerificationMaterial
    {
        /// <inheritdoc/>
        public override string Method => "certificate";
    }

    /// <summary>The <c>sigstore</c> (keyless) method, which needs Fulcio and Rekor: named, not verified.</summary>
    public sealed record Keyless : VerificationMaterial
    {
        /// <inheritdoc/>
        public override string Method => "sigstore";
    }
}

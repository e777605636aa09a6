using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ModelGoPack.Signing;

/// <summary>The DSSE protocol's pre-authentication encoding, what a DSSE signature signs.</summary>
internal static class Dsse
{
    /// <summary>The payload type of an in-toto statement.</summary>
    public const string InTotoPayloadType = "application/vnd.in-toto+json";

    /// <summary>
    /// The hash of <c>"DSSEv1" SP len(type) SP type SP len(body) SP body</c> (lengths in decimal bytes), what a DSSE
    /// signature signs, with <paramref name="algorithm"/>: hashed part by part, never copied whole (the payload may be
    /// hundreds of megabytes).
    /// </summary>
    public static byte[] PreAuthenticationHash(string payloadType, ReadOnlySpan<byte> payload, HashAlgorithmName algorithm)
    {
        using var hash = IncrementalHash.CreateHash(algorithm);
        var type = Encoding.UTF8.GetBytes(payloadType);
        hash.AppendData(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"DSSEv1 {type.Length} ")));
        hash.AppendData(type);
        hash.AppendData(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $" {payload.Length} ")));
        hash.AppendData(payload);
        return hash.GetHashAndReset();
    }
}

using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace ModelGoPack.Hashing;

/// <summary>
/// A SHA-256 digest held as its 32 bytes, not as 64 characters of hex (160 bytes as a string): verify of a bundle
/// of a million files keeps a million of them, and those of its manifest. Printed as lower-case hex, what
/// <c>sha256sum</c> prints and the manifest lists.
/// </summary>
internal readonly record struct Sha256Digest(ulong A, ulong B, ulong C, ulong D)
{
    /// <summary>The digest of these 32 bytes, as a hash function returns them.</summary>
    public static Sha256Digest From(ReadOnlySpan<byte> hash) => new(
        BinaryPrimitives.ReadUInt64BigEndian(hash),
        BinaryPrimitives.ReadUInt64BigEndian(hash[8..]),
        BinaryPrimitives.ReadUInt64BigEndian(hash[16..]),
        BinaryPrimitives.ReadUInt64BigEndian(hash[24..]));

    /// <summary>The SHA-256 of <paramref name="data"/>.</summary>
    public static Sha256Digest Of(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(data, hash);
        return From(hash);
    }

    /// <summary>Reads 64 lower-case hex digits (the manifest's form); false for anything else.</summary>
    public static bool TryParse([NotNullWhen(true)] string? hex, out Sha256Digest digest)
    {
        digest = default;
        if (hex is not { Length: 64 } || !hex.All(char.IsAsciiHexDigitLower))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[32];
        Convert.FromHexString(hex, bytes, out _, out _);
        digest = From(bytes);
        return true;
    }

    /// <summary>Writes the digest's 32 bytes, as the hash function returned them, to <paramref name="bytes"/>.</summary>
    public void CopyTo(Span<byte> bytes)
    {
        BinaryPrimitives.WriteUInt64BigEndian(bytes, this.A);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], this.B);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[16..], this.C);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[24..], this.D);
    }

    /// <summary>Writes the digest as 64 lower-case hex digits to <paramref name="hex"/>, as <see cref="ToString"/> gives it, without a string.</summary>
    public void Format(Span<char> hex)
    {
        Span<byte> bytes = stackalloc byte[32];
        this.CopyTo(bytes);
        _ = Convert.TryToHexStringLower(bytes, hex, out _);
    }

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[32];
        this.CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}

/// <summary>
/// Digests as the public API gives them (path to lower-case hex), made as they are asked for, not held: those held
/// by path, and others given as a sequence (a manifest's, for the files that matched it), <paramref name="count"/> in all.
/// </summary>
internal sealed class DigestView(IReadOnlyDictionary<string, Sha256Digest> digests, IEnumerable<KeyValuePair<string, Sha256Digest>>? more = null, int? count = null)
    : IReadOnlyDictionary<string, string>
{
    private Dictionary<string, Sha256Digest>? all;

    public int Count => count ?? digests.Count;

    public IEnumerable<string> Keys => this.Pairs().Select(p => p.Key);

    public IEnumerable<string> Values => this.Pairs().Select(p => p.Value.ToString());

    public string this[string key] => this.TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => this.TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        if (!digests.TryGetValue(key, out var digest) && (more is null || !(this.all ??= new Dictionary<string, Sha256Digest>(more, StringComparer.Ordinal)).TryGetValue(key, out digest)))
        {
            value = null;
            return false;
        }

        value = digest.ToString();
        return true;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() =>
        this.Pairs().Select(p => new KeyValuePair<string, string>(p.Key, p.Value.ToString())).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => this.GetEnumerator();

    private IEnumerable<KeyValuePair<string, Sha256Digest>> Pairs() => more is null ? digests : digests.Concat(more);
}

namespace ModelGoPack.Emit;

/// <summary>
/// How a bundle pack wrote is known by its first bytes, under any name: a tar.gz carries, in each gzip member's
/// header, an RFC 1952 extra field with the subfield id <c>MG</c> and the text <c>ModelGoPack bundle</c>. (A folder
/// or zip is known by the modelgo-manifest.json at its root.)
/// </summary>
internal static class BundleMark
{
    /// <summary>FLG.FEXTRA: the header has an extra field.</summary>
    public const byte ExtraFlag = 0x04;

    private static readonly byte[] Text = "ModelGoPack bundle"u8.ToArray();

    /// <summary>The extra field as written after the 10-byte header: XLEN, then SI1 SI2 LEN and the text (lengths little-endian).</summary>
    public static readonly byte[] GzipExtra =
    [
        (byte)(Text.Length + 4), 0, (byte)'M', (byte)'G', (byte)Text.Length, 0, .. Text,
    ];

    /// <summary>Whether <paramref name="start"/> (a file's first bytes) is a gzip member header carrying the mark.</summary>
    public static bool IsMarkedGzip(ReadOnlySpan<byte> start) =>
        start.Length >= 10 + GzipExtra.Length && start[0] == 0x1f && start[1] == 0x8b && start[2] == 8
        && (start[3] & ExtraFlag) != 0 && start.Slice(10, GzipExtra.Length).SequenceEqual(GzipExtra);
}

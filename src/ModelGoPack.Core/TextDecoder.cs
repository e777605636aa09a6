using System.Text;

namespace ModelGoPack;

/// <summary>Decodes text files written by people: license and notice files.</summary>
internal static class TextDecoder
{
    /// <summary>Decodes text bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Latin-1.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\uFEFF"u8))
        {
            return Encoding.UTF8.GetString(bytes[3..]);
        }

        if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
        {
            return Encoding.Unicode.GetString(bytes[2..]);
        }

        if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
        {
            return Encoding.BigEndianUnicode.GetString(bytes[2..]);
        }

        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }

    /// <summary>Decodes text and turns CRLF and CR line ends into LF; every other character is kept.</summary>
    public static string DecodeLines(ReadOnlySpan<byte> bytes) =>
        Decode(bytes).Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
}

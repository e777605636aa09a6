using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;

namespace ModelGoPack.Reporting.CycloneDx;

/// <summary>
/// The BOM's JSON encoder: <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> (text as it is, quotes, backslashes and
/// control characters escaped), and the bidirectional controls (U+202A to U+202E, U+2066 to U+2069, and the marks U+200E,
/// U+200F, U+061C) escaped as <c>\uXXXX</c> too, so that a value a project supplies (a config.json fact, a stamp's
/// description) cannot reorder what a reader of the BOM sees. The values are unchanged: a JSON reader gets the same text.
/// </summary>
internal sealed class BomJsonEncoder : JavaScriptEncoder
{
    /// <summary>The one instance.</summary>
    public static readonly BomJsonEncoder Instance = new();

    private static readonly JavaScriptEncoder Relaxed = UnsafeRelaxedJsonEscaping;

    private static readonly SearchValues<char> Controls = SearchValues.Create("\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");

    private BomJsonEncoder()
    {
    }

    /// <inheritdoc/>
    public override int MaxOutputCharactersPerInputCharacter => Math.Max(6, Relaxed.MaxOutputCharactersPerInputCharacter);

    /// <summary>Whether <paramref name="scalar"/> is a bidirectional control or mark.</summary>
    public static bool IsBidiControl(int scalar) => scalar is 0x061C or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069);

    /// <inheritdoc/>
    public override bool WillEncode(int unicodeScalar) => IsBidiControl(unicodeScalar) || Relaxed.WillEncode(unicodeScalar);

    /// <inheritdoc/>
    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var relaxed = Relaxed.FindFirstCharacterToEncode(text, textLength);
        var control = new ReadOnlySpan<char>(text, relaxed < 0 ? textLength : relaxed).IndexOfAny(Controls);
        return control >= 0 ? control : relaxed;
    }

    /// <inheritdoc/>
    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        var relaxed = Relaxed.FindFirstCharacterToEncodeUtf8(utf8Text);
        var searched = relaxed < 0 ? utf8Text : utf8Text[..relaxed];

        // Each control is 2 or 3 bytes in UTF-8 (D8 9C; E2 80 8E..8F, E2 80 AA..AE, E2 81 A6..A9); a lead byte never occurs inside another character.
        for (var i = searched.IndexOfAny((byte)0xD8, (byte)0xE2); i >= 0 && i < searched.Length; i = NextLead(searched, i + 1))
        {
            if (System.Text.Rune.DecodeFromUtf8(searched[i..], out var rune, out _) == OperationStatus.Done && IsBidiControl(rune.Value))
            {
                return i;
            }
        }

        return relaxed;
    }

    /// <inheritdoc/>
    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        if (!IsBidiControl(unicodeScalar))
        {
            return Relaxed.TryEncodeUnicodeScalar(unicodeScalar, buffer, bufferLength, out numberOfCharactersWritten);
        }

        var escaped = string.Create(CultureInfo.InvariantCulture, $"\\u{unicodeScalar:X4}");
        if (bufferLength < escaped.Length)
        {
            numberOfCharactersWritten = 0;
            return false;
        }

        escaped.CopyTo(new Span<char>(buffer, bufferLength));
        numberOfCharactersWritten = escaped.Length;
        return true;
    }

    private static int NextLead(ReadOnlySpan<byte> text, int from)
    {
        var next = text[from..].IndexOfAny((byte)0xD8, (byte)0xE2);
        return next < 0 ? -1 : from + next;
    }
}

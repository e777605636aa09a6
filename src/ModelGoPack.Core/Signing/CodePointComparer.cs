namespace ModelGoPack.Signing;

/// <summary>
/// Orders strings by Unicode code point, as OMS v1.0 (5.2.1) sorts a predicate's resources, and as UTF-8 bytes sort.
/// .NET's ordinal order compares UTF-16 code units, and differs from it exactly where a character of U+E000 to U+FFFF
/// meets one past U+FFFF: "\uFF01" sorts after "\U0001F600" by code point, before it by UTF-16 unit (0xFF01 &gt; 0xD83D).
/// </summary>
internal sealed class CodePointComparer : IComparer<string>
{
    /// <summary>The one instance.</summary>
    public static CodePointComparer Instance { get; } = new();

    private CodePointComparer()
    {
    }

    /// <inheritdoc/>
    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var length = Math.Min(x.Length, y.Length);
        for (var i = 0; i < length; i++)
        {
            if (x[i] != y[i])
            {
                return Rank(x[i]).CompareTo(Rank(y[i]));
            }
        }

        return x.Length.CompareTo(y.Length);
    }

    // Surrogates (U+D800 to U+DFFF, which only ever stand for code points past U+FFFF) moved above U+FFFF's units, and
    // U+E000 to U+FFFF moved down into the gap they leave: the units then compare as the code points they belong to.
    private static int Rank(char c) => c >= '\uE000' ? c - 0x800 : c >= '\uD800' ? c + 0x2000 : c;
}

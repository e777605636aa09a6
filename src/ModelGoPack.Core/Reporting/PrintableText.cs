using System.Buffers;
using System.Globalization;
using System.Text;

namespace ModelGoPack.Reporting;

/// <summary>
/// The one rule for text that terminals, logs and CI read: no control character (CR, LF, ESC and the rest)
/// and no Unicode line or paragraph separator (U+2028, U+2029) is printed as it is; each is written as
/// <c>\uXXXX</c>. A file named <c>x\n::error file=...</c> then cannot start a line of its own (a GitHub
/// Actions workflow command, a forged finding), move a terminal's cursor or rewrite a line. Both hosts apply
/// it where text leaves them: the command line to everything it prints, the MSBuild task to every message
/// and file it logs. JSON and SARIF escape such characters by their own rules.
/// </summary>
public static class PrintableText
{
    private static readonly SearchValues<char> Unprintable = SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => (char)c)) + "\u2028\u2029");

    /// <summary>Whether <paramref name="c"/> must not be printed as it is.</summary>
    public static bool IsUnprintable(char c) => Unprintable.Contains(c);

    /// <summary><paramref name="text"/> with each character that must not be printed as it is written as <c>\uXXXX</c>.</summary>
    public static string Escape(string? text)
    {
        if (text is null)
        {
            return "";
        }

        var first = text.AsSpan().IndexOfAny(Unprintable);
        if (first < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16).Append(text, 0, first);
        foreach (var c in text.AsSpan(first))
        {
            if (IsUnprintable(c))
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }
}

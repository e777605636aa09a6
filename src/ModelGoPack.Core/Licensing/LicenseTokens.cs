using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ModelGoPack.Licensing;

/// <summary>
/// A license text as a list of words, normalised by the SPDX License List Matching Guidelines:
/// whitespace is one space and case is ignored; quote styles are equivalent, and so are one or two
/// hyphens or dashes; ©, (c) and "Copyright" are equivalent; a list item's leading bullet or number
/// is ignored. Any other added, removed or changed word is a difference.
/// </summary>
internal sealed partial class LicenseTokens
{
    private LicenseTokens(List<string> words, List<string> display, List<int> lines)
    {
        this.Words = words;
        this.Display = display;
        this.Lines = lines;
    }

    /// <summary>The normalised words compared.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>The words as written, for quoting.</summary>
    public IReadOnlyList<string> Display { get; }

    /// <summary>The 1-based line of each word.</summary>
    public IReadOnlyList<int> Lines { get; }

    public int Count => this.Words.Count;

    public static LicenseTokens From(string text)
    {
        var words = new List<string>();
        var display = new List<string>();
        var lines = new List<int>();
        var lineNumber = 0;
        foreach (var rawLine in text.Normalize(NormalizationForm.FormKC).Split('\n'))
        {
            lineNumber++;

            // A code fence's line, and the marks of a comment or a Markdown heading before a line, are no words of a
            // license (the SPDX matching guidelines ignore comment indicators).
            if (CodeFence().IsMatch(rawLine))
            {
                continue;
            }

            var line = ListMarker().Replace(CommentMark().Replace(rawLine, "", 1), "", 1);
            foreach (var token in line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                var word = NormalizeWord(token);
                if (word.Length == 0)
                {
                    continue;
                }

                // "Copyright ©" and "Copyright (c)" read as one "copyright".
                if (word == "copyright" && words.Count > 0 && words[^1] == "copyright")
                {
                    continue;
                }

                words.Add(word);
                display.Add(token);
                lines.Add(lineNumber);
            }
        }

        return new LicenseTokens(words, display, lines);
    }

    /// <summary>Whether this text, from its word <paramref name="start"/>, starts with <paramref name="prefix"/>'s words.</summary>
    public bool StartsWith(LicenseTokens prefix, int start = 0)
    {
        if (prefix.Count > this.Count - start)
        {
            return false;
        }

        for (var i = 0; i < prefix.Count; i++)
        {
            // A title's words may be followed by punctuation in the text ("2.0," before "Dec 2025"; "License, Version").
            if (this.Words[start + i] != prefix.Words[i] && this.Words[start + i].TrimEnd(',', '.', ';', ':') != prefix.Words[i].TrimEnd(',', '.', ';', ':'))
            {
                return false;
            }
        }

        return true;
    }

    private static string NormalizeWord(string token)
    {
        var builder = new StringBuilder(token.Length);
        var lower = token.ToLower(CultureInfo.InvariantCulture);
        for (var i = 0; i < lower.Length; i++)
        {
            var c = lower[i];
            switch (c)
            {
                case '"' or '\'' or '`' or '\u00B4' or '\u2018' or '\u2019' or '\u201A' or '\u201B' or '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u00AB' or '\u00BB' or '\u2039' or '\u203A':
                    builder.Append('\'');
                    break;
                case '-' or '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212':
                    // One or two hyphens or dashes are equivalent.
                    if (builder.Length == 0 || builder[^1] != '-')
                    {
                        builder.Append('-');
                    }

                    break;
                case '\u00A9':
                    builder.Append("copyright");
                    break;
                case '\uFEFF' or '\u200B':
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        var word = builder.ToString();
        return word == "(c)" ? "copyright" : word;
    }

    // A list item's marker at the start of a line: a bullet, "(a)", "(iv)", "a)", "iv.", or a section
    // number ("1.", "2.1") before a capitalised heading or alone on its line, so that "2.2 of this License"
    // re-wrapped to the start of a line is still a word.
    [GeneratedRegex(@"^\s*(?:[*\u2022\u00B7\u25E6\u2023\u2043]|-(?=\s)|\((?:\d{1,3}|[a-z]|(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3}))\)|(?:\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}\.)(?=\s+(?-i:[A-Z(""'\u201C])|\s*$)|(?:[a-z]|(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3}))[.)])(?:\s+|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"^[ \t]*(?:```|~~~)[A-Za-z0-9_-]*[ \t]*\r?$", RegexOptions.CultureInvariant)]
    private static partial Regex CodeFence();

    [GeneratedRegex(@"^[ \t]*(?:#+|//+|--|;+|%+)[ \t]+", RegexOptions.CultureInvariant)]
    private static partial Regex CommentMark();
}

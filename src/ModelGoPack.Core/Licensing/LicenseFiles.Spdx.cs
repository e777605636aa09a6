using System.Text.RegularExpressions;

namespace ModelGoPack.Licensing;

/// <summary>What a license file's text is: a license known by its text, or the one its SPDX-License-Identifier lines name.</summary>
internal static partial class LicenseFiles
{
    /// <summary>What a license file too large to read (over 4 MiB) is: a text ModelGoPack does not recognise.</summary>
    public static LicenseIdentification TooLarge { get; } = new(LicenseMatchKind.Unknown);

    /// <summary>
    /// Identifies a license file's text; a text it does not recognise that holds SPDX-License-Identifier lines (as a
    /// REUSE <c>.license</c> file does) is the license those lines name, with <see cref="LicenseIdentification.Line"/>
    /// the line's number (a license known by its text has line 0): that line is then the file's only license evidence.
    /// A line's value is an SPDX expression: one that is anything but MG-BY-SA-2.0 alone (<c>Apache-2.0 OR MIT</c>,
    /// <c>MG-BY-SA-2.0 OR Apache-2.0</c>, which lets a recipient take Apache-2.0 instead) is another license, named as
    /// written, at the first such line. Lines that all say MG-BY-SA-2.0 are the license only in a file that says
    /// nothing else (copyright and SPDX lines, comments); a file that says more needs a reader (unknown).
    /// </summary>
    public static LicenseIdentification Identify(byte[] bytes)
    {
        var text = TextDecoder.Decode(bytes);
        var identification = LicenseIdentifier.Identify(text);
        if (identification.Kind != LicenseMatchKind.Unknown)
        {
            return identification;
        }

        var modelGo = false;
        var unresolved = false;
        foreach (Match spdx in SpdxLine().Matches(text))
        {
            var expression = Expression(text, spdx);
            switch (expression.Length == 0 ? SpdxValue.None : Value(expression))
            {
                case SpdxValue.ModelGo:
                    modelGo = true;
                    break;
                case SpdxValue.Unresolved:
                    unresolved = true;
                    break;
                case SpdxValue.Other:
                    var line = text.AsSpan(0, spdx.Groups["expression"].Index).Count('\n') + 1;
                    return new LicenseIdentification(LicenseMatchKind.Other, expression, Line: line);
            }
        }

        var lines = text.Split('\n');
        return modelGo && !unresolved && lines.All(IsHeaderLine) ? new LicenseIdentification(LicenseMatchKind.Canonical)
            : identification with { Header = bytes.Length <= HeaderBytes && lines.Any(l => LicenseIdentifier.IsCopyrightLine(CommentMarks().Replace(l, ""))) };
    }

    // An SPDX line's expression: without a comment after it ("MG-BY-SA-2.0 # see ../LICENSE"), and with the lines it
    // continues on while its parentheses are open or it ends in an operator ("(MG-BY-SA-2.0 OR" then "Apache-2.0)").
    internal static string Expression(string text, Match spdx)
    {
        var expression = Uncommented(spdx.Groups["expression"].Value);
        var next = spdx.Index + spdx.Length;
        for (var more = 0; more < 8 && !Complete(expression) && next < text.Length; more++)
        {
            var end = text.IndexOf('\n', next + 1);
            var line = text[(next + 1)..(end < 0 ? text.Length : end)];
            expression += " " + Uncommented(CommentMarks().Replace(line, ""));
            next = end < 0 ? text.Length : end;
        }

        return expression.Trim();
    }

    // A line's value without the marks that close its comment (*/, -->).
    internal static string Uncommented(string value)
    {
        value = value.Trim();
        foreach (var close in (string[])["*/", "-->"])
        {
            if (value.EndsWith(close, StringComparison.Ordinal))
            {
                value = value[..^close.Length].TrimEnd('*').Trim();
            }
        }

        return value;
    }

    // Whether an expression is whole: its parentheses closed, and no operator at its end.
    internal static bool Complete(string expression)
    {
        var tokens = SpdxToken().Matches(expression).Select(m => m.Value).ToList();
        return tokens.Count(t => t == "(") == tokens.Count(t => t == ")") && !(tokens.Count > 0 && tokens[^1].ToUpperInvariant() is "AND" or "OR" or "WITH");
    }

    // What an SPDX expression licenses under (an expression that is not whole, or that a comment follows, is none the
    // tool can resolve: "MG-BY-SA-2.0 # or Apache-2.0 at your option" says more than MG-BY-SA-2.0): MG-BY-SA-2.0 alone (its id, or REUSE's LicenseRef-MG-BY-SA-2.0, since
    // the SPDX list does not hold it; in any case, in any parentheses, several times); another license (an SPDX id of
    // another, with AND, OR or WITH); or nothing the tool can resolve (another LicenseRef, or no expression at all,
    // "MG-BY-SA-2.0 # see ../LICENSE"), which needs a reader.
    internal static SpdxValue Value(string expression)
    {
        if (!Complete(expression))
        {
            return SpdxValue.Unresolved;
        }

        var ids = new List<string>();
        var tokens = SpdxToken().Matches(expression).Select(m => m.Value).ToList();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] is "(" or ")" || tokens[i].ToUpperInvariant() is "AND" or "OR")
            {
                continue;
            }

            if (tokens[i].Equals("WITH", StringComparison.OrdinalIgnoreCase))
            {
                // An exception changes the license: MG-BY-SA-2.0 WITH anything is not MG-BY-SA-2.0 alone.
                ids.Add("WITH");
                i++;
                continue;
            }

            if (!SpdxId().IsMatch(tokens[i]))
            {
                return SpdxValue.Unresolved;
            }

            ids.Add(tokens[i]);
        }

        var modelGo = (string id) => id.Equals(LicenseText.Id, StringComparison.OrdinalIgnoreCase) || id.Equals("LicenseRef-" + LicenseText.Id, StringComparison.OrdinalIgnoreCase);
        return ids.Count == 0 ? SpdxValue.Unresolved
            : ids.All(modelGo) ? SpdxValue.ModelGo
            : ids.Any(id => !modelGo(id) && !id.Contains("LicenseRef-", StringComparison.OrdinalIgnoreCase)) ? SpdxValue.Other
            : SpdxValue.Unresolved;
    }

    internal enum SpdxValue
    {
        None,
        ModelGo,
        Other,
        Unresolved,
    }

    // Whether a line of a file says nothing beyond a REUSE header: blank, a comment's marks or a code fence alone, an
    // SPDX-License-Identifier line (judged by its expression), or a bare copyright notice or contributor (an
    // SPDX-FileCopyrightText or SPDX-FileContributor tag, or a "Copyright" line) that grants nothing.
    internal static bool IsHeaderLine(string line)
    {
        var content = CommentMarks().Replace(line, "").Trim();
        return content.Length == 0 || CodeFence().IsMatch(content) || content.StartsWith("SPDX-License-Identifier:", StringComparison.Ordinal)
            || LicenseIdentifier.IsCopyrightLine(content)
            || (content.StartsWith("SPDX-FileContributor:", StringComparison.Ordinal) && LicenseIdentifier.IsCopyrightLine("Copyright " + content["SPDX-FileContributor:".Length..]));
    }

    // The marks that open a comment of any common kind (#, //, --, ;, %, /*, <!--, .. in reST; * continues one), and
    // those that close one (*/, -->).
    internal const string CommentOpens = @"#+|//+|--|;+|%+|/\*+|<!--|\.\.";
    internal const string CommentCloses = @"\*+/|-->";

    // An SPDX-License-Identifier line, in a comment of any common kind.
    // (The value is the rest of the line, its comment's closing marks taken off in code: a lazy match before optional
    // closers and blanks would try every split of a long run of blanks.)
    [GeneratedRegex(@"^[ \t]*(?:" + CommentOpens + @"|\*+)?[ \t]*SPDX-License-Identifier:(?<expression>[^\r\n]*)", RegexOptions.Multiline | RegexOptions.CultureInvariant, 1000)]
    internal static partial Regex SpdxLine();

    // A line's comment marks: those that open it (a lone */ closing a block too), and those that close it.
    [GeneratedRegex(@"^[ \t]*(?:" + CommentOpens + @"|\*+/?)|(?:" + CommentCloses + @")[ \t]*\r?$", RegexOptions.CultureInvariant, 1000)]
    internal static partial Regex CommentMarks();

    [GeneratedRegex(@"\(|\)|[^\s()]+", RegexOptions.CultureInvariant, 1000)]
    internal static partial Regex SpdxToken();

    [GeneratedRegex(@"^(?:DocumentRef-[A-Za-z0-9.-]+:)?(?:LicenseRef-)?[A-Za-z0-9][A-Za-z0-9.-]*\+?$", RegexOptions.CultureInvariant, 1000)]
    internal static partial Regex SpdxId();

    [GeneratedRegex(@"^(?:```|~~~)[A-Za-z0-9_-]*$", RegexOptions.CultureInvariant, 1000)]
    internal static partial Regex CodeFence();
}

using System.Globalization;
using System.Text;
using ModelGoPack.Config;
using ModelGoPack.Licensing;

namespace ModelGoPack.Rendering;

/// <summary>
/// The statements clauses 2.2(a)(ii) and (iii) require, each made as one unit from what the project declares:
/// for a derivative upstream, that the project modified its Licensed Materials and when (every modification,
/// dated); for an extracted upstream, that the model was created from its Output, naming the model and the
/// license it is provided under. Templates place a unit (<c>upstreams[].statement</c>) but cannot edit it, and
/// <c>check</c>, <c>pack</c> and <c>verify</c> look for the same unit in the NOTICE, so a statement is judged
/// for what it says, not for the words "modified" or "Output" somewhere in the text.
/// </summary>
internal static class NoticeStatement
{
    /// <summary>The statement for <paramref name="upstream"/>, with <c>\n</c> line breaks.</summary>
    public static string For(ModelGoConfig config, UpstreamDeclaration upstream)
    {
        var text = new StringBuilder();
        var derivative = upstream.Relation == UpstreamRelation.Derivative;
        text.Append(derivative
            ? $"{config.Name} is Derivative Materials of \"{upstream.Name}\""
            : $"{config.Name} is an Extracted Model. It was created from Output of the\nmodel \"{upstream.Name}\"");
        text.Append(upstream.Version is { } version ? $" version {version}" : "")
            .Append(upstream.Licensor is { } licensor ? $" by {licensor}" : "")
            .Append((upstream.Url, upstream.Revision) switch
            {
                ({ } url, { } revision) => $" ({url}, revision {revision})",
                ({ } url, null) => $" ({url})",
                (null, { } revision) => $" (revision {revision})",
                _ => "",
            })
            .Append(",\nprovided under the ")
            .Append(upstream.License == LicenseText.Id ? LicenseText.Title : $"{upstream.License} license");
        if (!derivative)
        {
            return text.Append(upstream.Method is { } how ? $",\nby {how}." : ".").ToString();
        }

        text.Append(".\nThe Licensed Materials of \"").Append(upstream.Name).Append("\" have been modified")
            .Append(upstream.Method is { } method ? $" by {method}" : "")
            .Append(", as follows:");
        foreach (var change in Modifications(config, upstream))
        {
            text.Append("\n  - ").Append(change.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(": ").Append(change.Description);
            if (change.Paths.Count > 0)
            {
                text.Append(" [").AppendJoin(", ", change.Paths).Append(']');
            }
        }

        return text.ToString();
    }

    /// <summary>A derivative upstream's modifications (those naming it and those naming no upstream), by date; none for an extracted one.</summary>
    public static IEnumerable<ModificationDeclaration> Modifications(ModelGoConfig config, UpstreamDeclaration upstream) =>
        upstream.Relation == UpstreamRelation.Derivative
            ? config.Modifications.Where(m => m.Upstream is null || m.Upstream == upstream.Name).OrderBy(m => m.Date)
            : [];

    /// <summary>
    /// The text with every run of white space made one space: a NOTICE holds a statement when its normalized text
    /// holds the statement's, so a template may wrap or indent it (and a NOTICE may use CRLF) but not reword it.
    /// </summary>
    public static string Normalize(string text)
    {
        var result = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = result.Length > 0;
                continue;
            }

            if (space)
            {
                result.Append(' ');
                space = false;
            }

            result.Append(c);
        }

        return result.ToString();
    }
}

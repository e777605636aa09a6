using System.Text.RegularExpressions;
using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Inspection;

namespace ModelGoPack.Evaluation;

/// <summary>
/// Section 2.3: no reference to the licensor, nor use of its names or marks, for publicity without its prior
/// written consent. Where a release advertises itself is checked for each upstream licensor's name: the model
/// card's title (its first heading), its headline (a one-line paragraph right under the title), its title-like
/// front matter keys, and the package's Title, Description and PackageTags (MSBuild). The card's body and the
/// NOTICE are not: they carry the attribution that clause 2.2(a)(iv) requires. Consent is a waiver of MGP7001
/// whose justification records it.
/// </summary>
internal static class PublicityRules
{
    /// <summary>Front matter keys that name or sum up the model (Hugging Face cards and Spaces, common templates).</summary>
    internal static readonly string[] FrontMatterKeys = ["title", "model_name", "short_description", "description", "summary", "tagline"];

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    // A company's legal form ending its name: "Acme Labs, Inc." and "Acme Co., Ltd." are named by "Acme Labs" and "Acme".
    private static readonly Regex LegalForm = new(
        @"[\s,]+(inc|incorporated|llc|l\.l\.c|ltd|limited|corp|corporation|co|company|gmbh|ag|sa|s\.a|sas|se|bv|b\.v|nv|n\.v|plc|llp|lp|pty|pte|kk|k\.k|oy|ab|srl|s\.r\.l|spa|s\.p\.a)\.?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout);

    // Between the words of a name: "Acme Labs" is also "Acme-Labs", "acme_labs", "AcmeLabs" (a tag cannot hold a space).
    private const string Joiner = @"[\s\-_.]";

    public static void Evaluate(ModelProject project, DiagnosticBag diagnostics)
    {
        var licensors = Licensors(project.Config.Upstream);
        foreach (var (where, text, path, line) in Texts(project))
        {
            foreach (var (upstream, licensor, name) in licensors)
            {
                if (name.Match(text) is { Success: true } match)
                {
                    diagnostics.Add(DiagnosticCatalog.LicensorNameUsed,
                        $"{where} uses \"{match.Value}\", the name of \"{licensor}\", the licensor of upstream \"{upstream}\", for publicity. {DiagnosticCatalog.LicensorNameUsed.Help}",
                        path, line, line > 0 ? 1 : 0);
                }
            }
        }
    }

    /// <summary>Each upstream licensor once (by the name it is known by), with the pattern that finds that name.</summary>
    internal static List<(string Upstream, string Licensor, Regex Name)> Licensors(IEnumerable<UpstreamDeclaration> upstreams)
    {
        var licensors = new List<(string, string, Regex)>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var upstream in upstreams)
        {
            var words = Words(upstream.Licensor ?? "");
            if (words.Count > 0 && seen.Add(string.Join(' ', words)))
            {
                var name = string.Join(Joiner + "*", words.Select(Regex.Escape));
                licensors.Add((upstream.Name, upstream.Licensor!, new Regex($@"(?<![\p{{L}}\p{{N}}]){name}(?![\p{{L}}\p{{N}}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)));
            }
        }

        return licensors;
    }

    /// <summary>The words of a licensor's name without its legal form: "Acme Labs, Inc." is ["Acme", "Labs"].</summary>
    internal static List<string> Words(string licensor)
    {
        var name = licensor.Trim();
        while (LegalForm.Match(name) is { Success: true } form)
        {
            name = name[..form.Index];
        }

        return Regex.Split(name, Joiner, RegexOptions.None, Timeout).Where(w => w.Length > 0).ToList();
    }

    /// <summary>The texts that advertise the release: where each is, for the message, and its file and line.</summary>
    private static IEnumerable<(string Where, string Text, string? Path, int Line)> Texts(ModelProject project)
    {
        if (project.ModelCard is { } card)
        {
            if (card.Title is { } title)
            {
                yield return ($"{ModelCard.FileName}'s first heading (\"{title}\")", title, ModelCard.FileName, card.TitleLine);
            }

            if (Headline(project.ModelCardText!, card.TitleLine) is var (headline, line))
            {
                yield return ($"{ModelCard.FileName}'s headline, the one-line paragraph under its title (\"{headline}\")", headline, ModelCard.FileName, line);
            }

            foreach (var key in FrontMatterKeys)
            {
                foreach (var value in card.Strings(key))
                {
                    yield return ($"{ModelCard.FileName}'s front matter key '{key}' (\"{value}\")", value, ModelCard.FileName, card.Lines.GetValueOrDefault(key));
                }
            }
        }

        foreach (var (name, text) in project.PublicityTexts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            yield return ($"The package's {name} (\"{text}\")", text, null, 0);
        }
    }

    /// <summary>
    /// The card's headline or tagline: after the title line (<paramref name="titleLine"/>, 1-based; 0 is no title),
    /// past blank lines and one-line HTML comments, a paragraph of one line (a subtitle, a quote, an emphasised line,
    /// a one-line summary). A paragraph of several lines is the body.
    /// </summary>
    internal static (string Text, int Line)? Headline(string cardText, int titleLine)
    {
        if (titleLine == 0)
        {
            return null;
        }

        // A CRLF card's lines keep their '\r', which Trim removes.
        var lines = cardText.Split('\n');
        var i = titleLine;
        while (i < lines.Length && (lines[i].Trim() is "" or ['<', '!', '-', '-', .., '-', '-', '>']))
        {
            i++;
        }

        if (i == lines.Length || (i + 1 < lines.Length && lines[i + 1].Trim().Length > 0))
        {
            return null;
        }

        return (lines[i].Trim(), i + 1);
    }
}

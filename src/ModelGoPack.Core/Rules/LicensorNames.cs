using System.Text.RegularExpressions;
using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Inspection;

using ModelGoPack.Loading;

namespace ModelGoPack.Rules;

/// <summary>
/// Section 2.3: no reference to the licensor, nor use of its names or marks, for publicity without its prior
/// written consent. Where a release advertises itself is checked for each upstream licensor's name: the model
/// card's title (its first heading), its headline (a one-line paragraph right under the title), its title-like
/// front matter keys, and the package's Title, Description and PackageTags (MSBuild). The card's body and the
/// NOTICE are not: they carry the attribution that clause 2.2(a)(iv) requires. Consent is a waiver of MGP7001
/// whose justification records it.
/// <para>
/// Our reading: a name that is also a common word ("Apple") is found where it is used as the word, since nothing in
/// the text tells the fruit from the company; the finding is waivable, and a reviewer's justification says which.
/// Only one-word compounds in prose ("Meta-learning") are set aside.
/// </para>
/// </summary>
internal static class LicensorNames
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
        var models = project.Config.Upstream.Select(u => u.Name).Where(n => n.Length > 0).ToList();
        foreach (var (where, text, path, line, prose) in Texts(project))
        {
            var named = ModelNames(text, models);
            foreach (var licensor in licensors)
            {
                if (Use(licensor, text, prose, named) is { } used)
                {
                    diagnostics.Add(Messages.LicensorNameUsed.With(where, used, licensor.Name, licensor.Upstream), path, line, line > 0 ? 1 : 0);
                }
            }
        }
    }

    /// <summary>
    /// The first use of a licensor's name in a text, or null: the whole name in any case, else its first word as the
    /// licensor writes it. In prose, one word followed by a hyphen and a lowercase letter is a compound of the word
    /// ("Meta-learning", "Apple-picking"), not the name; in identifiers (model_name, PackageTags) it is the name
    /// ("meta-llama-3-tuned"). A match inside an upstream model's name ("Base" in "A fine-tune of Base-7B" for
    /// licensor "Base Labs") names the model, which the notices must name, not the licensor.
    /// </summary>
    internal static string? Use(Licensor licensor, string text, bool prose, IReadOnlyList<(int Start, int End)> named)
    {
        foreach (var (pattern, oneWord) in licensor.Patterns)
        {
            for (var match = pattern.Match(text); match.Success; match = match.NextMatch())
            {
                var end = match.Index + match.Length;
                var compound = prose && oneWord && end + 1 < text.Length && text[end] == '-' && char.IsLower(text[end + 1]);
                if (!compound && !named.Any(n => n.Start <= match.Index && end <= n.End))
                {
                    return match.Value;
                }
            }
        }

        return null;
    }

    /// <summary>Where the text names an upstream model, in any case: start and end of each occurrence.</summary>
    private static List<(int Start, int End)> ModelNames(string text, IReadOnlyList<string> models)
    {
        var spans = new List<(int, int)>();
        foreach (var model in models)
        {
            for (var at = text.IndexOf(model, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(model, at + 1, StringComparison.OrdinalIgnoreCase))
            {
                spans.Add((at, at + model.Length));
            }
        }

        return spans;
    }

    /// <summary>Each upstream licensor once (by the name it is known by), with the patterns that find that name.</summary>
    internal static List<Licensor> Licensors(IEnumerable<UpstreamDeclaration> upstreams)
    {
        var licensors = new List<Licensor>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var upstream in upstreams)
        {
            var words = Words(upstream.Licensor ?? "");
            if (words.Count > 0 && seen.Add(string.Join(' ', words)))
            {
                var patterns = new List<(Regex, bool)> { (Bounded(string.Join(Joiner + "*", words.Select(Regex.Escape)), words[0], words[^1], RegexOptions.IgnoreCase), words.Count == 1) };
                if (words.Count > 1 && DistinctiveFirstWord(words[0]))
                {
                    // "Meta Platforms, Inc." is also "Meta", as it writes it: "meta" in prose is the word.
                    patterns.Add((Bounded(Regex.Escape(words[0]), words[0], words[0], RegexOptions.None), true));
                }

                licensors.Add(new Licensor(upstream.Name, upstream.Licensor!, patterns));
            }
        }

        return licensors;
    }

    /// <summary>
    /// Whether the first word of a name of several words names the licensor alone: four letters or more (so never an
    /// article: "The Acme Foundation" is not "The", nor "Der" or "Les"), starting with a capital.
    /// </summary>
    internal static bool DistinctiveFirstWord(string word) =>
        word.Length >= 4 && char.IsUpper(word[0]);

    // A whole word: no letter or digit on either side. A name that ends in a script written without spaces (Han, kana,
    // Hangul) needs no boundary there ("智谱模型" holds "智谱"), and such a letter beside a name is a boundary
    // ("基于Acme的模型" holds "Acme"): its category, other letter, is left out of the letters that join a word.
    private static Regex Bounded(string name, string first, string last, RegexOptions options) =>
        new((IsUnspaced(first[0]) ? "" : @"(?<![\p{L}\p{N}-[\p{Lo}]])") + name + (IsUnspaced(last[^1]) ? "" : @"(?![\p{L}\p{N}-[\p{Lo}]])"), options | RegexOptions.CultureInvariant, Timeout);

    /// <summary>A character of a script written without spaces between words: CJK ideographs, kana, Hangul.</summary>
    internal static bool IsUnspaced(char c) =>
        c is (>= '\u3040' and <= '\u30FF') or (>= '\u3400' and <= '\u4DBF') or (>= '\u4E00' and <= '\u9FFF') or (>= '\uAC00' and <= '\uD7AF') or (>= '\uF900' and <= '\uFAFF');

    /// <summary>The words of a licensor's name without its legal form: "Acme Labs, Inc." is ["Acme", "Labs"].</summary>
    internal static List<string> Words(string licensor)
    {
        var name = licensor.Trim();
        while (LegalForm.Match(name) is { Success: true } form)
        {
            name = name[..form.Index];
        }

        // "Acme & Co." is "Acme": a token without a letter or digit is no word of the name.
        return Regex.Split(name, Joiner, RegexOptions.None, Timeout).Where(w => w.Any(char.IsLetterOrDigit)).ToList();
    }

    /// <summary>The texts that advertise the release: where each is, for the message, its file and line, and whether it is prose.</summary>
    private static IEnumerable<(string Where, string Text, string? Path, int Line, bool Prose)> Texts(ModelProject project)
    {
        if (project.ModelCard is { } card)
        {
            if (card.Title is { } title)
            {
                yield return ($"{ModelCard.FileName}'s first heading (\"{title}\")", title, ModelCard.FileName, card.TitleLine, true);
            }

            if (Headline(project.ModelCardText!, card.TitleLine) is var (headline, line))
            {
                yield return ($"{ModelCard.FileName}'s headline, the one-line paragraph under its title (\"{headline}\")", headline, ModelCard.FileName, line, true);
            }

            foreach (var key in FrontMatterKeys)
            {
                foreach (var value in card.Strings(key))
                {
                    yield return ($"{ModelCard.FileName}'s front matter key '{key}' (\"{value}\")", value, ModelCard.FileName, card.Lines.GetValueOrDefault(key), key != "model_name");
                }
            }
        }

        foreach (var (name, text) in project.PublicityTexts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            yield return ($"The package's {name} (\"{text}\")", text, null, 0, name != "PackageTags");
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

/// <summary>A licensor: the upstream it is named for, its name as declared, and the patterns that find it (each with whether it is one word).</summary>
internal sealed record Licensor(string Upstream, string Name, IReadOnlyList<(Regex Pattern, bool OneWord)> Patterns);

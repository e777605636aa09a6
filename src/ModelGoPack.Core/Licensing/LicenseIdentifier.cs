namespace ModelGoPack.Licensing;

/// <summary>
/// Identifies a license file against the MG-BY-SA-2.0 text by the SPDX matching guidelines, and names
/// the superseded May 2025 text and other licenses by their titles.
/// </summary>
public static class LicenseIdentifier
{
    // How many words of context to quote before a difference, and at most how many differing words.
    private const int ContextWords = 4;
    private const int QuotedWords = 10;

    private static readonly Lazy<LicenseTokens> Canonical = new(() => LicenseTokens.From(LicenseText.Text));

    private static readonly (LicenseTokens Title, LicenseMatchKind Kind, string Name)[] Titles =
    [
        (LicenseTokens.From("ModelGo Attribution-ShareAlike License Version 2.0, May 2025"), LicenseMatchKind.Superseded, "MG-BY-SA-2.0 (May 2025, superseded)"),
        (LicenseTokens.From("ModelGo Attribution-ShareAlike License Version 2.0, Dec 2025"), LicenseMatchKind.Modified, LicenseText.Id),
        (LicenseTokens.From("ModelGo Attribution-NonCommercial-NoDerivatives License Version 2.0"), LicenseMatchKind.Other, "MG-BY-NC-ND-2.0"),
        (LicenseTokens.From("ModelGo Attribution-NonCommercial-ResponsibleAI License Version 2.0"), LicenseMatchKind.Other, "MG-BY-NC-RAI-2.0"),
        (LicenseTokens.From("ModelGo Attribution-NonCommercial License Version 2.0"), LicenseMatchKind.Other, "MG-BY-NC-2.0"),
        (LicenseTokens.From("ModelGo Attribution-NoDerivatives License Version 2.0"), LicenseMatchKind.Other, "MG-BY-ND-2.0"),
        (LicenseTokens.From("ModelGo Attribution-ResponsibleAI License Version 2.0"), LicenseMatchKind.Other, "MG-BY-RAI-2.0"),
        (LicenseTokens.From("ModelGo Attribution License Version 2.0"), LicenseMatchKind.Other, "MG-BY-2.0"),
        (LicenseTokens.From("ModelGo Zero License Version 2.0"), LicenseMatchKind.Other, "MG0-2.0"),
        (LicenseTokens.From("ModelGo Attribution-NonCommercial-NoDerivatives License Version 1.0"), LicenseMatchKind.Other, "MG-BY-NC-ND-1.0"),
        (LicenseTokens.From("ModelGo Attribution-NonCommercial-OpenSource License Version 1.0"), LicenseMatchKind.Other, "MG-BY-NC-OS-1.0"),
        (LicenseTokens.From("ModelGo Attribution-NonCommercial-ResponsibleAI License Version 1.0"), LicenseMatchKind.Other, "MG-BY-NC-RAI-1.0"),
        (LicenseTokens.From("ModelGo Attribution-NonCommercial License Version 1.0"), LicenseMatchKind.Other, "MG-BY-NC-1.0"),
        (LicenseTokens.From("ModelGo Attribution-NoDerivatives License Version 1.0"), LicenseMatchKind.Other, "MG-BY-ND-1.0"),
        (LicenseTokens.From("ModelGo Attribution-OpenSource License Version 1.0"), LicenseMatchKind.Other, "MG-BY-OS-1.0"),
        (LicenseTokens.From("ModelGo Attribution ResponsibleAI License Version 1.0"), LicenseMatchKind.Other, "MG-BY-RAI-1.0"),
        (LicenseTokens.From("ModelGo Attribution License Version 1.0"), LicenseMatchKind.Other, "MG-BY-1.0"),
        (LicenseTokens.From("ModelGo Zero License Version 1.0"), LicenseMatchKind.Other, "MG0-1.0"),
        (LicenseTokens.From("Apache License Version 2.0, January 2004"), LicenseMatchKind.Other, "Apache-2.0"),
        (LicenseTokens.From("MIT License"), LicenseMatchKind.Other, "MIT"),
        (LicenseTokens.From("Permission is hereby granted, free of charge,"), LicenseMatchKind.Other, "MIT"),
        (LicenseTokens.From("GNU General Public License"), LicenseMatchKind.Other, "GPL"),
        (LicenseTokens.From("GNU Affero General Public License"), LicenseMatchKind.Other, "AGPL"),
        (LicenseTokens.From("GNU Lesser General Public License"), LicenseMatchKind.Other, "LGPL"),
        (LicenseTokens.From("Attribution-ShareAlike 4.0 International"), LicenseMatchKind.Other, "CC-BY-SA-4.0"),
        (LicenseTokens.From("Attribution 4.0 International"), LicenseMatchKind.Other, "CC-BY-4.0"),
        (LicenseTokens.From("Attribution-NonCommercial 4.0 International"), LicenseMatchKind.Other, "CC-BY-NC-4.0"),
        (LicenseTokens.From("Copyright (c) OpenRAIL"), LicenseMatchKind.Other, "OpenRAIL"),
    ];

    /// <summary>Identifies license file bytes.</summary>
    public static LicenseIdentification Identify(ReadOnlySpan<byte> bytes) => Identify(TextDecoder.Decode(bytes));

    /// <summary>Identifies a license text.</summary>
    public static LicenseIdentification Identify(string text)
    {
        var found = LicenseTokens.From(text);
        var canonical = Canonical.Value;

        var prefix = 0;
        var limit = Math.Min(found.Count, canonical.Count);
        while (prefix < limit && found.Words[prefix] == canonical.Words[prefix])
        {
            prefix++;
        }

        if (prefix == canonical.Count && found.Count == canonical.Count)
        {
            return new LicenseIdentification(LicenseMatchKind.Canonical, LicenseText.Id);
        }

        var title = Titles.FirstOrDefault(t => found.StartsWith(t.Title));
        if (title.Title is not null && title.Kind != LicenseMatchKind.Modified)
        {
            return new LicenseIdentification(title.Kind, title.Name);
        }

        var suffix = 0;
        while (suffix < limit - prefix && found.Words[found.Count - 1 - suffix] == canonical.Words[canonical.Count - 1 - suffix])
        {
            suffix++;
        }

        // A text that keeps the MG-BY-SA-2.0 title, or most of its words, is a modified copy.
        if (title.Title is null && (prefix + suffix) * 2 < canonical.Count)
        {
            return new LicenseIdentification(LicenseMatchKind.Unknown);
        }

        var contextStart = Math.Max(0, prefix - ContextWords);
        var context = string.Join(' ', canonical.Display.Skip(contextStart).Take(prefix - contextStart));
        var expected = Quote(context, canonical.Display, prefix, canonical.Count - suffix);
        var foundQuote = Quote(string.Join(' ', found.Display.Skip(contextStart).Take(prefix - contextStart)), found.Display, prefix, found.Count - suffix);
        var line = prefix < found.Count ? found.Lines[prefix] : found.Lines.Count > 0 ? found.Lines[^1] : 1;
        return new LicenseIdentification(LicenseMatchKind.Modified, LicenseText.Id, expected, foundQuote, line, prefix + 1);
    }

    private static string Quote(string context, IReadOnlyList<string> words, int start, int end)
    {
        var differing = words.Skip(start).Take(Math.Min(Math.Max(end - start, 0), QuotedWords)).ToList();
        if (differing.Count == 0 && start < words.Count)
        {
            // Nothing here where the other text has words: show what follows instead.
            return $"{context} [nothing] {words[start]}".Trim();
        }

        var text = string.Join(' ', differing);
        if (end - start > QuotedWords)
        {
            text += " …";
        }

        return differing.Count == 0 ? $"{context} [nothing]".Trim() : $"{context} {text}".Trim();
    }
}

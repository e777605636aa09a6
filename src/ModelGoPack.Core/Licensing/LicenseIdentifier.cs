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
        // "Apache License, Version 2.0" as a sentence names it too: a title's last word may carry punctuation.
        (LicenseTokens.From("Apache License Version 2.0"), LicenseMatchKind.Other, "Apache-2.0"),
        (LicenseTokens.From("MIT License"), LicenseMatchKind.Other, "MIT"),
        (LicenseTokens.From("Permission is hereby granted, free of charge,"), LicenseMatchKind.Other, "MIT"),
        (LicenseTokens.From("BSD 3-Clause License"), LicenseMatchKind.Other, "BSD-3-Clause"),
        (LicenseTokens.From("BSD 2-Clause License"), LicenseMatchKind.Other, "BSD-2-Clause"),
        (LicenseTokens.From("Redistribution and use in source and binary forms, with or without modification,"), LicenseMatchKind.Other, "BSD"),
        (LicenseTokens.From("GNU General Public License"), LicenseMatchKind.Other, "GPL"),
        (LicenseTokens.From("GNU Affero General Public License"), LicenseMatchKind.Other, "AGPL"),
        (LicenseTokens.From("GNU Lesser General Public License"), LicenseMatchKind.Other, "LGPL"),
        (LicenseTokens.From("GNU Library General Public License"), LicenseMatchKind.Other, "LGPL"),
        (LicenseTokens.From("Mozilla Public License Version 2.0"), LicenseMatchKind.Other, "MPL-2.0"),
        (LicenseTokens.From("Boost Software License"), LicenseMatchKind.Other, "BSL-1.0"),
        (LicenseTokens.From("This is free and unencumbered software released into the public domain."), LicenseMatchKind.Other, "Unlicense"),
        (LicenseTokens.From("Attribution-ShareAlike 4.0 International"), LicenseMatchKind.Other, "CC-BY-SA-4.0"),
        (LicenseTokens.From("Attribution 4.0 International"), LicenseMatchKind.Other, "CC-BY-4.0"),
        (LicenseTokens.From("Attribution-NonCommercial 4.0 International"), LicenseMatchKind.Other, "CC-BY-NC-4.0"),
        (LicenseTokens.From("Attribution-NonCommercial-ShareAlike 4.0 International"), LicenseMatchKind.Other, "CC-BY-NC-SA-4.0"),
        (LicenseTokens.From("Attribution-NonCommercial-NoDerivatives 4.0 International"), LicenseMatchKind.Other, "CC-BY-NC-ND-4.0"),
        (LicenseTokens.From("Attribution-NoDerivatives 4.0 International"), LicenseMatchKind.Other, "CC-BY-ND-4.0"),
        (LicenseTokens.From("CC0 1.0 Universal"), LicenseMatchKind.Other, "CC0-1.0"),
        (LicenseTokens.From("Copyright (c) OpenRAIL"), LicenseMatchKind.Other, "OpenRAIL"),
        (LicenseTokens.From("CreativeML Open RAIL-M"), LicenseMatchKind.Other, "CreativeML-OpenRAIL-M"),
        (LicenseTokens.From("BigScience RAIL License"), LicenseMatchKind.Other, "BigScience-RAIL"),
        (LicenseTokens.From("Llama 2 Community License Agreement"), LicenseMatchKind.Other, "Llama-2"),
        (LicenseTokens.From("Meta Llama 3 Community License Agreement"), LicenseMatchKind.Other, "Llama-3"),
        (LicenseTokens.From("Llama 3.1 Community License Agreement"), LicenseMatchKind.Other, "Llama-3.1"),
        (LicenseTokens.From("Llama 3.2 Community License Agreement"), LicenseMatchKind.Other, "Llama-3.2"),
        (LicenseTokens.From("Llama 3.3 Community License Agreement"), LicenseMatchKind.Other, "Llama-3.3"),
        (LicenseTokens.From("Llama 4 Community License Agreement"), LicenseMatchKind.Other, "Llama-4"),
        (LicenseTokens.From("Gemma Terms of Use"), LicenseMatchKind.Other, "Gemma"),
        (LicenseTokens.From("Tongyi Qianwen License Agreement"), LicenseMatchKind.Other, "Tongyi-Qianwen"),
        (LicenseTokens.From("DeepSeek License Agreement"), LicenseMatchKind.Other, "DeepSeek"),
    ];

    // How many words into a text its title is looked for: past a copyright line, a heading, or the start of a sentence
    // that names it ("These weights are licensed under the Apache License, Version 2.0").
    private const int TitleWindow = 64;

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

        var (title, titleWord) = FindTitle(found);
        if (title.Title is not null && title.Kind != LicenseMatchKind.Modified)
        {
            // A text that names MG-BY-SA-2.0 as well as, further in, another license ("MG-BY-SA-2.0 ... fine-tuned from a
            // model under the Apache License, Version 2.0") is not that license's text: what it says needs a reader.
            return titleWord > 0 && NamesModelGo(found) ? new LicenseIdentification(LicenseMatchKind.Unknown) : new LicenseIdentification(title.Kind, title.Name, TitleWord: titleWord);
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

    // The first title found in the text's first words, earliest first, and then in the list's order; with its word.
    private static ((LicenseTokens Title, LicenseMatchKind Kind, string Name) Title, int Word) FindTitle(LicenseTokens found)
    {
        for (var word = 0; word < Math.Min(found.Count, TitleWindow); word++)
        {
            foreach (var title in Titles)
            {
                if (found.StartsWith(title.Title, word))
                {
                    return (title, word);
                }
            }
        }

        return (default, 0);
    }

    // Whether a text names the MG-BY-SA license (its id, or "ModelGo Attribution-ShareAlike").
    private static bool NamesModelGo(LicenseTokens found)
    {
        for (var i = 0; i < found.Count; i++)
        {
            if (found.Words[i].StartsWith("mg-by-sa", StringComparison.Ordinal) || (found.Words[i] == "modelgo" && i + 1 < found.Count && found.Words[i + 1].StartsWith("attribution-sharealike", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
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

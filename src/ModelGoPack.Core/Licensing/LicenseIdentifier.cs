using System.Text.RegularExpressions;

namespace ModelGoPack.Licensing;

/// <summary>
/// Identifies a license file against the MG-BY-SA-2.0 text by the SPDX matching guidelines, and names
/// the superseded May 2025 text and other licenses by their titles.
/// </summary>
public static partial class LicenseIdentifier
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
        (LicenseTokens.From("Creative Commons Legal Code CC0 1.0 Universal"), LicenseMatchKind.Other, "CC0-1.0"),
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

    // How many words of a grant sentence may come before the license it names.
    private const int GrantWindow = 12;

    /// <summary>Identifies license file bytes.</summary>
    public static LicenseIdentification Identify(ReadOnlySpan<byte> bytes) => Identify(TextDecoder.Decode(bytes));

    /// <summary>
    /// Identifies a license text. Its leading copyright lines (bare notices: no grant, no license named) are no part of
    /// it, as the SPDX matching guidelines leave copyright notices out. A license is named by its title heading the text
    /// (at the start of its first or second line, after "The" or "Creative Commons" at most), or in a grant sentence
    /// that opens it ("These weights are licensed under the Apache License, Version 2.0."; see
    /// <see cref="LicenseIdentification.Sentence"/>); a title anywhere else is a mention, not the text's license. A text
    /// headed by the MG-BY-SA-2.0 title, or that keeps most of its words, is a modified copy.
    /// </summary>
    public static LicenseIdentification Identify(string text)
    {
        var found = LicenseTokens.From(text);
        var canonical = Canonical.Value;
        var start = BodyStart(text, found);
        var length = found.Count - start;

        var prefix = 0;
        var limit = Math.Min(length, canonical.Count);
        while (prefix < limit && found.Words[start + prefix] == canonical.Words[prefix])
        {
            prefix++;
        }

        if (prefix == canonical.Count && length == canonical.Count)
        {
            return new LicenseIdentification(LicenseMatchKind.Canonical, LicenseText.Id);
        }

        var heading = Heading(found, start);
        if (heading.Title is not null && heading.Kind != LicenseMatchKind.Modified)
        {
            return new LicenseIdentification(heading.Kind, heading.Name);
        }

        // A grant sentence names another license; one that names MG-BY-SA-2.0 points to it, and is no copy of its text.
        if (heading.Title is null && Granted(found, start) is { Kind: LicenseMatchKind.Other } granted)
        {
            return new LicenseIdentification(LicenseMatchKind.Other, granted.Name, Sentence: true);
        }

        var suffix = 0;
        while (suffix < limit - prefix && found.Words[found.Count - 1 - suffix] == canonical.Words[canonical.Count - 1 - suffix])
        {
            suffix++;
        }

        if (heading.Title is null && (prefix + suffix) * 2 < canonical.Count)
        {
            return new LicenseIdentification(LicenseMatchKind.Unknown);
        }

        var contextStart = Math.Max(0, prefix - ContextWords);
        var context = string.Join(' ', canonical.Display.Skip(contextStart).Take(prefix - contextStart));
        var expected = Quote(context, canonical.Display, prefix, canonical.Count - suffix);
        var body = found.Display.Skip(start).ToList();
        var foundQuote = Quote(string.Join(' ', body.Skip(contextStart).Take(prefix - contextStart)), body, prefix, length - suffix);
        var line = prefix < length ? found.Lines[start + prefix] : found.Lines.Count > 0 ? found.Lines[^1] : 1;
        return new LicenseIdentification(LicenseMatchKind.Modified, LicenseText.Id, expected, foundQuote, line, prefix + 1);
    }

    /// <summary>
    /// Whether a line is a bare copyright notice: "Copyright", "©" or "(c)" (or an SPDX-FileCopyrightText tag), in a
    /// comment or not, with a year and a holder, and nothing that grants or names a license ("Copyright 2026 Acme. At your
    /// option, Apache-2.0" is no bare notice). "All rights reserved." may follow.
    /// </summary>
    public static bool IsCopyrightLine(string line) => CopyrightLine().IsMatch(line) && !GrantWords().IsMatch(line);

    // The first word of a text's body: past its leading blank and bare copyright lines.
    private static int BodyStart(string text, LicenseTokens found)
    {
        var lines = text.Split('\n');
        var skipped = 0;
        while (skipped < lines.Length && (lines[skipped].Trim().Length == 0 || IsCopyrightLine(lines[skipped])))
        {
            skipped++;
        }

        var start = 0;
        while (start < found.Count && found.Lines[start] <= skipped)
        {
            start++;
        }

        return start;
    }

    // The title heading a text: at the start of its first or second line (counted from the text's very first word, and
    // from its body's, past copyright lines), after at most "The" or "Creative Commons" on that line.
    private static (LicenseTokens Title, LicenseMatchKind Kind, string Name) Heading(LicenseTokens found, int start)
    {
        foreach (var first in start == 0 ? [0] : new[] { 0, start })
        {
            var word = first;
            for (var lines = 0; word < found.Count && lines < 2; lines++)
            {
                var line = found.Lines[word];
                for (var lead = 0; lead <= 2 && word + lead < found.Count && found.Lines[word + lead] == line; lead++)
                {
                    var leading = found.Words.Skip(word).Take(lead).ToArray();
                    if (leading is [] or ["the"] or ["creative", "commons"] && Titles.FirstOrDefault(t => found.StartsWith(t.Title, word + lead)) is { Title: not null } title)
                    {
                        return title;
                    }
                }

                while (word < found.Count && found.Lines[word] == line)
                {
                    word++;
                }
            }
        }

        return default;
    }

    // The license a grant sentence opening the body names: "licensed (released, distributed, provided, offered,
    // available) under [the] TITLE" within its first words, before any comma, semicolon, colon or full stop.
    private static (LicenseTokens Title, LicenseMatchKind Kind, string Name) Granted(LicenseTokens found, int start)
    {
        var granted = false;
        for (var word = start; word < Math.Min(found.Count, start + GrantWindow); word++)
        {
            var under = word > start && (found.Words[word - 1] == "under" || (found.Words[word - 1] == "the" && word - 2 >= start && found.Words[word - 2] == "under"));
            if (granted && under && Titles.FirstOrDefault(t => found.StartsWith(t.Title, word)) is { Title: not null } title)
            {
                return title;
            }

            var current = found.Words[word];
            granted |= current is "licensed" or "licenced" or "released" or "distributed" or "provided" or "offered" or "available";
            if (current[^1] is ',' or ';' or ':' or '.')
            {
                return default;
            }
        }

        return default;
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

    [GeneratedRegex(@"^\s*(?:(?:#+|//+|\*+|--|;+|%+)\s*)?(?:SPDX-FileCopyrightText:|Copyright\b|\u00A9|\(c\))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex CopyrightLine();

    // Words that make a line more than a copyright notice: a grant, a license, terms.
    [GeneratedRegex(@"licen[cs]|\bunder\b|\boption|\bpermi|\bgrant|\bterms?\b|\buse[sd]?\b|\bdistribut|\bmodif|\bspdx-license|\bapache\b|\bmit\b|\bgpl|\bbsd\b|\bcc-|\bcreative commons\b|\bmg-by", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex GrantWords();
}

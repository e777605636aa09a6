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
        (LicenseTokens.From("Qwen License Agreement"), LicenseMatchKind.Other, "Qwen"),
        (LicenseTokens.From("Qwen Research License Agreement"), LicenseMatchKind.Other, "Qwen-Research"),
        (LicenseTokens.From("Falcon LLM License"), LicenseMatchKind.Other, "Falcon"),
        (LicenseTokens.From("TII Falcon License"), LicenseMatchKind.Other, "Falcon"),
        (LicenseTokens.From("BigScience Open RAIL-M License"), LicenseMatchKind.Other, "BigScience-OpenRAIL-M"),
        (LicenseTokens.From("Attribution 3.0 Unported"), LicenseMatchKind.Other, "CC-BY-3.0"),
        (LicenseTokens.From("Attribution-ShareAlike 3.0 Unported"), LicenseMatchKind.Other, "CC-BY-SA-3.0"),
        (LicenseTokens.From("Attribution-NonCommercial 3.0 Unported"), LicenseMatchKind.Other, "CC-BY-NC-3.0"),
        (LicenseTokens.From("Attribution-NonCommercial-ShareAlike 3.0 Unported"), LicenseMatchKind.Other, "CC-BY-NC-SA-3.0"),
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

        // The MG-BY-SA-2.0 title heads a copy of its text only when most of the text follows: over a line or two
        // ("See ../LICENSE") it points to the license.
        if (heading.Title is not null && length * 2 < canonical.Count)
        {
            heading = default;
        }

        // A grant sentence names another license, unless the text also names MG-BY-SA-2.0 ("The tokenizer is under the
        // MIT License; the weights under MG-BY-SA-2.0"), which a reader must weigh. One that names MG-BY-SA-2.0 points
        // to it, and is no copy of its text.
        if (heading.Title is null && Granted(found, start) is { Kind: LicenseMatchKind.Other } granted)
        {
            return NamesModelGo(found) ? new LicenseIdentification(LicenseMatchKind.Unknown) : new LicenseIdentification(LicenseMatchKind.Other, granted.Name, Sentence: true);
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
    public static bool IsCopyrightLine(string line)
    {
        // A notice is a line, not a page: a long one is never bare (and is not matched against at length).
        if (line.Length > 300 || CopyrightLine().Match(line) is not { Success: true } notice || GrantWords().IsMatch(line))
        {
            return false;
        }

        // What follows the years is a holder's name: its words capitalised (or no letters, or a name's joining words),
        // without digits; a sentence ("Weights also dedicated to the public domain") is more than a notice.
        var holder = notice.Groups["holder"].Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return holder.Length <= 12 && holder.All(word =>
        {
            var bare = word.Trim('.', ',', ';', '(', ')', '"', '\'');
            return !bare.Any(char.IsDigit) && (bare.Length == 0 || !char.IsLower(bare[0]) || HolderWords.Contains(bare));
        });
    }

    /// <summary>
    /// The holder a copyright line names, without its sign, years and "All rights reserved." ("Copyright 2026 Example
    /// Lab" gives "Example Lab", "(c) 2025 Big Lab, Inc." gives "Big Lab, Inc."); "" for a notice that names none
    /// ("Copyright 2026"); the line itself, trimmed, when it is no copyright notice (a bare name).
    /// </summary>
    public static string CopyrightHolder(string line) =>
        line.Length <= 300 && CopyrightLine().Match(line) is { Success: true } notice
            ? notice.Groups["holder"].Value.Trim().TrimEnd(',').Trim()
            : line.Trim();

    // The lowercase words a holder's name may hold: Meta Platforms, Inc. and affiliates; the Qwen team; Acme et al.
    private static readonly HashSet<string> HolderWords = new(StringComparer.Ordinal)
    {
        "and", "&", "the", "of", "its", "by", "for", "et", "al", "contributors", "affiliates", "authors", "team", "inc", "ltd", "llc", "co", "corp", "gmbh",
    };

    // The first word of a text's body: past its leading blank and bare copyright lines.
    private static int BodyStart(string text, LicenseTokens found)
    {
        var lines = text.Split('\n');
        var skipped = 0;
        while (skipped < lines.Length && (lines[skipped].Trim().Length == 0 || IsCopyrightLine(lines[skipped]) || Preamble().IsMatch(lines[skipped])))
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
                    if (leading is [] or ["the"] or ["creative", "commons"] && Titles.FirstOrDefault(t => found.StartsWith(t.Title, word + lead)) is { Title: not null } title
                        && IsHeadingLine(found, word + lead + title.Title.Count, line))
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

    // Whether what follows a title on its line makes it a heading: at most three words of more than a version, a date or
    // "Public License" ("Creative Commons Attribution 4.0 International Public License", "Boost Software License -
    // Version 1.0 - August 17th, 2003"), not a sentence ("MIT License covers the helper script in this folder").
    private static bool IsHeadingLine(LicenseTokens found, int after, int line)
    {
        var words = 0;
        for (var word = after; word < found.Count && found.Lines[word] == line; word++)
        {
            var current = found.Words[word].Trim('(', ')', ',', '.', ';', ':', '-');
            if (current.Any(char.IsLetter) && !HeadingWords.Contains(current) && ++words > 3)
            {
                return false;
            }
        }

        return true;
    }

    private static readonly HashSet<string> HeadingWords = new(StringComparer.Ordinal)
    {
        "version", "v", "public", "license", "licence", "agreement", "dated", "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december",
    };

    // Whether a text names the MG-BY-SA license: its id, or "ModelGo Attribution-ShareAlike".
    private static bool NamesModelGo(LicenseTokens found)
    {
        for (var i = 0; i < found.Count; i++)
        {
            if (found.Words[i].Contains("mg-by-sa", StringComparison.Ordinal) || (found.Words[i] == "modelgo" && i + 1 < found.Count && found.Words[i + 1].StartsWith("attribution-sharealike", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
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

    // A copyright notice: its sign (in a comment or not), its years, its holder, and "All rights reserved." at most.
    [GeneratedRegex(@"^\s*(?:(?:#+|//+|/?\*+|--|;+|%+|<!--)\s*)?(?:SPDX-FileCopyrightText:|Copyright\b|\u00A9|\(c\))(?:\s*(?:Copyright\b|\u00A9|\(c\)))*\s*(?:\d{4}(?:\s*[-\u2013,]\s*\d{4})*,?\s*)?(?<holder>.*?)\s*(?:All rights reserved\.?)?\s*(?:\*+/|-->)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex CopyrightLine();

    // A line before a license text that is no part of it: a heading "License", a code fence, an SPDX line that names
    // MG-BY-SA-2.0 alone.
    [GeneratedRegex(@"^\s*(?:(?:#+|//+|--|;+|%+)\s*)?(?:licen[cs]e:?|```\w*|~~~\w*|SPDX-License-Identifier:\s*(?:LicenseRef-)?MG-BY-SA-2\.0)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Preamble();

    // Words that make a line more than a copyright notice: a grant, a license, terms.
    [GeneratedRegex(@"licen[cs]|\bunder\b|\boption|\bpermi|\bgrant|\bterms?\b|\buse[sd]?\b|\bdistribut|\bmodif|\bspdx-license|\bapache\b|\bmit\b|\bgpl|\bbsd\b|\bcc-|\bcc0|\bmpl|\bpublic domain|\bdedicat|\bcreative commons\b|\bmg-by", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex GrantWords();
}

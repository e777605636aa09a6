using System.Text;
using ModelGoPack.Licensing;

namespace ModelGoPack.Tests;

public sealed class LicenseIdentifierTests
{
    // The canonical text as decoded: CRLF line endings, tabs after list markers, no BOM.
    private static string Canonical => LicenseText.Text;

    [Fact]
    public void Canonical_bytes_are_canonical()
    {
        var bytes = LicenseText.Bytes.ToArray();
        Assert.True(bytes.AsSpan().StartsWith("\uFEFF"u8), "the published text starts with a UTF-8 BOM");
        Assert.Contains("\r\n", Canonical, StringComparison.Ordinal);

        var result = LicenseIdentifier.Identify(bytes);

        Assert.Equal(LicenseMatchKind.Canonical, result.Kind);
        Assert.Equal(LicenseText.Id, result.Name);
        Assert.Null(result.Expected);
        Assert.Null(result.Found);
    }

    [Fact]
    public void Canonical_text_string_is_canonical()
    {
        Assert.Equal(LicenseMatchKind.Canonical, LicenseIdentifier.Identify(Canonical).Kind);
    }

    [Theory]
    [InlineData("utf8-lf-no-bom")]
    [InlineData("utf16le-bom")]
    [InlineData("latin1-no-bom")]
    [InlineData("rewrapped-60")]
    [InlineData("rewrapped-60-crlf")]
    [InlineData("tabs-to-spaces")]
    [InlineData("extra-whitespace")]
    [InlineData("curly-quotes")]
    [InlineData("double-to-single-straight-quotes")]
    [InlineData("low-high-quotes")]
    [InlineData("copyright-(c)")]
    [InlineData("copyright-(C)")]
    [InlineData("copyright-word-only")]
    [InlineData("copyright-symbol-only")]
    [InlineData("em-dash-in-title")]
    [InlineData("en-dash-and-double-hyphen")]
    [InlineData("upper-case")]
    public void Reencoded_copies_are_canonical(string variant)
    {
        var bytes = Variant(variant);
        Assert.False(bytes.AsSpan().SequenceEqual(LicenseText.Bytes.Span), $"variant {variant} must differ from the published bytes");

        var result = LicenseIdentifier.Identify(bytes);

        Assert.True(result.Kind == LicenseMatchKind.Canonical,
            $"{variant}: {result.Kind}, expected '{result.Expected}', found '{result.Found}' at line {result.Line}, word {result.WordIndex}");
        Assert.Equal(LicenseText.Id, result.Name);
    }

    [Fact]
    public void Rewrap_helper_rewraps_to_60_columns_keeping_markers_at_paragraph_starts()
    {
        var rewrapped = Rewrap(Canonical, 60);
        var lines = rewrapped.Split('\n');

        Assert.All(lines, line => Assert.True(line.Length <= 60, line));
        Assert.NotEqual(Lf(Canonical).Split('\n').Length, lines.Length);
        Assert.Contains("\n\n(a) Subject to the conditions in Section 2.2 of this\n", rewrapped, StringComparison.Ordinal);
        Assert.Contains("\n\n2.1 Grant of Rights\n", rewrapped, StringComparison.Ordinal);
        Assert.Contains("\n\n(iii) make, have made,", rewrapped, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("You a non-exclusive, non-sublicensable", "You a exclusive, non-sublicensable", "non-exclusive,", "exclusive,")]
    [InlineData("\"Licensor\" means the rights owner", "\"Licensee\" means the rights owner", "\"Licensor\"", "\"Licensee\"")]
    [InlineData("non-sublicensable, irrevocable, royalty-free", "non-sublicensable, revocable, royalty-free", "irrevocable,", "revocable,")]
    [InlineData("ARE EXPRESSLY DISCLAIMED BY THE LICENSOR.", "ARE NOT DISCLAIMED BY THE LICENSOR.", "EXPRESSLY", "NOT")]
    [InlineData("modifications to \r\nthis License.", "modifications to \r\nthis Licence.", "License.", "Licence.")]
    [InlineData("ModelGo Attribution-ShareAlike License\r\n", "ModelGo Attribution-ShareAlike Licence\r\n", "License", "Licence")]
    public void One_changed_word_is_modified_and_quoted(string original, string replacement, string oldWord, string newWord)
    {
        var modified = ReplaceOnce(Canonical, original, replacement);

        var result = LicenseIdentifier.Identify(Utf8Bom(modified));

        Assert.Equal(LicenseMatchKind.Modified, result.Kind);
        Assert.Equal(LicenseText.Id, result.Name);
        Assert.NotNull(result.Expected);
        Assert.NotNull(result.Found);
        Assert.EndsWith(oldWord, result.Expected, StringComparison.Ordinal);
        Assert.EndsWith(newWord, result.Found, StringComparison.Ordinal);
        Assert.DoesNotContain(oldWord, Words(result.Found));
        Assert.DoesNotContain(newWord, Words(result.Expected));

        var position = modified.IndexOf(replacement, StringComparison.Ordinal) + replacement.IndexOf(newWord, StringComparison.Ordinal);
        Assert.Equal(LineOf(modified, position), result.Line);
        Assert.InRange(result.WordIndex, 1, WordsBefore(modified, position) + 1);
    }

    [Fact]
    public void Changed_title_word_is_reported_at_line_1_word_3()
    {
        var modified = ReplaceOnce(Canonical, "ShareAlike License\r\n", "ShareAlike Licence\r\n");

        var result = LicenseIdentifier.Identify(Utf8Bom(modified));

        Assert.Equal(LicenseMatchKind.Modified, result.Kind);
        Assert.Equal("ModelGo Attribution-ShareAlike License", result.Expected);
        Assert.Equal("ModelGo Attribution-ShareAlike Licence", result.Found);
        Assert.Equal(1, result.Line);
        Assert.Equal(3, result.WordIndex);
    }

    [Fact]
    public void Changed_word_is_located_in_a_rewrapped_lf_copy()
    {
        var modified = ReplaceOnce(Rewrap(Canonical, 60), "Licensor hereby grants", "Licensee hereby grants");

        var result = LicenseIdentifier.Identify(Encoding.UTF8.GetBytes(modified));

        Assert.Equal(LicenseMatchKind.Modified, result.Kind);
        Assert.EndsWith("Licensor", result.Expected, StringComparison.Ordinal);
        Assert.EndsWith("Licensee", result.Found, StringComparison.Ordinal);
        Assert.Equal(LineOf(modified, modified.IndexOf("Licensee hereby", StringComparison.Ordinal)), result.Line);
    }

    [Fact]
    public void Added_word_is_modified()
    {
        var modified = ReplaceOnce(Canonical, "royalty-free, worldwide license", "royalty-free, perpetual, worldwide license");

        var result = LicenseIdentifier.Identify(Utf8Bom(modified));

        Assert.Equal(LicenseMatchKind.Modified, result.Kind);
        Assert.EndsWith("perpetual,", result.Found, StringComparison.Ordinal);
        Assert.Contains("[nothing]", result.Expected, StringComparison.Ordinal);
        Assert.DoesNotContain("perpetual", result.Expected, StringComparison.Ordinal);
        Assert.Equal(LineOf(modified, modified.IndexOf("perpetual", StringComparison.Ordinal)), result.Line);
    }

    [Fact]
    public void Removed_word_is_modified()
    {
        var modified = ReplaceOnce(Canonical, "royalty-free, worldwide license", "royalty-free, license");

        var result = LicenseIdentifier.Identify(Utf8Bom(modified));

        Assert.Equal(LicenseMatchKind.Modified, result.Kind);
        Assert.EndsWith("worldwide", result.Expected, StringComparison.Ordinal);
        Assert.Contains("[nothing]", result.Found, StringComparison.Ordinal);
        Assert.DoesNotContain("worldwide", result.Found, StringComparison.Ordinal);
    }

    [Fact]
    public void One_added_and_one_removed_word_with_the_same_word_count_is_modified()
    {
        var modified = ReplaceOnce(Canonical, "royalty-free, worldwide license", "royalty-free, perpetual, worldwide license");
        modified = ReplaceOnce(modified, "provide as part of the Distribution, \r\nprominent notices stating that You", "provide as part of the Distribution, \r\nnotices stating that You");
        Assert.Equal(Words(Canonical).Length, Words(modified).Length);

        var result = LicenseIdentifier.Identify(Utf8Bom(modified));

        Assert.Equal(LicenseMatchKind.Modified, result.Kind);
        Assert.Contains("perpetual,", result.Found, StringComparison.Ordinal);
        Assert.Equal(LineOf(modified, modified.IndexOf("perpetual", StringComparison.Ordinal)), result.Line);
    }

    [Fact]
    public void May_2025_text_is_superseded()
    {
        var bytes = Fixture("MG-BY-SA-2.0-May-2025.LICENSE");

        var result = LicenseIdentifier.Identify(bytes);

        Assert.Equal(LicenseMatchKind.Superseded, result.Kind);
        Assert.NotNull(result.Name);
    }

    [Fact]
    public void May_2025_text_with_lf_line_endings_is_superseded()
    {
        var text = Encoding.UTF8.GetString(Fixture("MG-BY-SA-2.0-May-2025.LICENSE"));
        Assert.Contains("\r\n", text, StringComparison.Ordinal);

        var result = LicenseIdentifier.Identify(Encoding.UTF8.GetBytes(Lf(text)));

        Assert.Equal(LicenseMatchKind.Superseded, result.Kind);
    }

    [Fact]
    public void Mg_by_2_0_is_another_license()
    {
        var result = LicenseIdentifier.Identify(Fixture("MG-BY-2.0.LICENSE"));

        Assert.Equal(LicenseMatchKind.Other, result.Kind);
        Assert.Equal("MG-BY-2.0", result.Name);
    }

    [Theory]
    [InlineData("Apache License\nVersion 2.0, January 2004\nhttp://www.apache.org/licenses/\n\nTERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION\n\n1. Definitions.\n")]
    [InlineData("\n                                 Apache License\r\n                           Version 2.0, January 2004\r\n                        http://www.apache.org/licenses/\r\n")]
    public void Apache_header_is_apache_2_0(string text)
    {
        var result = LicenseIdentifier.Identify(text);

        Assert.Equal(LicenseMatchKind.Other, result.Kind);
        Assert.Equal("Apache-2.0", result.Name);
    }

    // A license is named by its title heading the text (past bare copyright lines, on its first or second line, after
    // "The" or "Creative Commons" at most), or by a grant sentence opening it ("These weights are licensed under ...").
    [Theory]
    [InlineData("The MIT License (MIT)\n\nCopyright (c) 2026 Example\n", "MIT", false)]
    [InlineData("Copyright (c) 2026 Example\n\nPermission is hereby granted, free of charge, to any person\n", "MIT", false)]
    [InlineData("BSD 3-Clause License\n\nCopyright (c) 2026, Example\n", "BSD-3-Clause", false)]
    [InlineData("Copyright 2026 Example. All rights reserved.\n\nRedistribution and use in source and binary forms, with or without modification, are permitted\n", "BSD", false)]
    [InlineData("LLAMA 2 COMMUNITY LICENSE AGREEMENT\nLlama 2 Version Release Date: July 18, 2023\n", "Llama-2", false)]
    [InlineData("META LLAMA 3 COMMUNITY LICENSE AGREEMENT\n", "Llama-3", false)]
    [InlineData("Attribution-NonCommercial-ShareAlike 4.0 International\n\n=====\n", "CC-BY-NC-SA-4.0", false)]
    [InlineData("Copyright 2026 Example\n\n                                 Apache License\n                           Version 2.0, January 2004\n", "Apache-2.0", false)]
    [InlineData("These weights are licensed under the Apache License, Version 2.0.\n", "Apache-2.0", true)]
    [InlineData("Creative Commons Legal Code\n\nCC0 1.0 Universal\n", "CC0-1.0", false)]
    [InlineData("GNU LESSER GENERAL PUBLIC LICENSE\nVersion 2.1, February 1999\n\nThis version of the GNU General Public License\n", "LGPL", false)]
    [InlineData("Gemma Terms of Use\n", "Gemma", false)]
    public void A_title_heading_the_text_or_a_grant_sentence_names_the_license(string text, string name, bool sentence)
    {
        var result = LicenseIdentifier.Identify(text);

        Assert.Equal((LicenseMatchKind.Other, name, sentence), (result.Kind, result.Name, result.Sentence));
    }

    // Every title the identifier knows names its license, at the top of a text, after a copyright line, and in a grant.
    [Theory]
    [InlineData("ModelGo Attribution-NonCommercial-NoDerivatives License Version 2.0", "MG-BY-NC-ND-2.0")]
    [InlineData("ModelGo Attribution-NonCommercial-ResponsibleAI License Version 2.0", "MG-BY-NC-RAI-2.0")]
    [InlineData("ModelGo Attribution-NonCommercial License Version 2.0", "MG-BY-NC-2.0")]
    [InlineData("ModelGo Attribution-NoDerivatives License Version 2.0", "MG-BY-ND-2.0")]
    [InlineData("ModelGo Attribution-ResponsibleAI License Version 2.0", "MG-BY-RAI-2.0")]
    [InlineData("ModelGo Attribution License Version 2.0", "MG-BY-2.0")]
    [InlineData("ModelGo Zero License Version 2.0", "MG0-2.0")]
    [InlineData("ModelGo Attribution-NonCommercial-NoDerivatives License Version 1.0", "MG-BY-NC-ND-1.0")]
    [InlineData("ModelGo Attribution-NonCommercial-OpenSource License Version 1.0", "MG-BY-NC-OS-1.0")]
    [InlineData("ModelGo Attribution-NonCommercial-ResponsibleAI License Version 1.0", "MG-BY-NC-RAI-1.0")]
    [InlineData("ModelGo Attribution-NonCommercial License Version 1.0", "MG-BY-NC-1.0")]
    [InlineData("ModelGo Attribution-NoDerivatives License Version 1.0", "MG-BY-ND-1.0")]
    [InlineData("ModelGo Attribution-OpenSource License Version 1.0", "MG-BY-OS-1.0")]
    [InlineData("ModelGo Attribution ResponsibleAI License Version 1.0", "MG-BY-RAI-1.0")]
    [InlineData("ModelGo Attribution License Version 1.0", "MG-BY-1.0")]
    [InlineData("ModelGo Zero License Version 1.0", "MG0-1.0")]
    [InlineData("Apache License Version 2.0", "Apache-2.0")]
    [InlineData("MIT License", "MIT")]
    [InlineData("Permission is hereby granted, free of charge,", "MIT")]
    [InlineData("BSD 3-Clause License", "BSD-3-Clause")]
    [InlineData("BSD 2-Clause License", "BSD-2-Clause")]
    [InlineData("Redistribution and use in source and binary forms, with or without modification,", "BSD")]
    [InlineData("GNU General Public License", "GPL")]
    [InlineData("GNU Affero General Public License", "AGPL")]
    [InlineData("GNU Lesser General Public License", "LGPL")]
    [InlineData("GNU Library General Public License", "LGPL")]
    [InlineData("Mozilla Public License Version 2.0", "MPL-2.0")]
    [InlineData("Boost Software License", "BSL-1.0")]
    [InlineData("This is free and unencumbered software released into the public domain.", "Unlicense")]
    [InlineData("Attribution-ShareAlike 4.0 International", "CC-BY-SA-4.0")]
    [InlineData("Attribution 4.0 International", "CC-BY-4.0")]
    [InlineData("Attribution-NonCommercial 4.0 International", "CC-BY-NC-4.0")]
    [InlineData("Attribution-NonCommercial-ShareAlike 4.0 International", "CC-BY-NC-SA-4.0")]
    [InlineData("Attribution-NonCommercial-NoDerivatives 4.0 International", "CC-BY-NC-ND-4.0")]
    [InlineData("Attribution-NoDerivatives 4.0 International", "CC-BY-ND-4.0")]
    [InlineData("CC0 1.0 Universal", "CC0-1.0")]
    [InlineData("Copyright (c) OpenRAIL", "OpenRAIL")]
    [InlineData("CreativeML Open RAIL-M", "CreativeML-OpenRAIL-M")]
    [InlineData("BigScience RAIL License", "BigScience-RAIL")]
    [InlineData("Llama 2 Community License Agreement", "Llama-2")]
    [InlineData("Meta Llama 3 Community License Agreement", "Llama-3")]
    [InlineData("Llama 3.1 Community License Agreement", "Llama-3.1")]
    [InlineData("Llama 3.2 Community License Agreement", "Llama-3.2")]
    [InlineData("Llama 3.3 Community License Agreement", "Llama-3.3")]
    [InlineData("Llama 4 Community License Agreement", "Llama-4")]
    [InlineData("Gemma Terms of Use", "Gemma")]
    [InlineData("Tongyi Qianwen License Agreement", "Tongyi-Qianwen")]
    [InlineData("DeepSeek License Agreement", "DeepSeek")]
    [InlineData("Qwen License Agreement", "Qwen")]
    [InlineData("Qwen Research License Agreement", "Qwen-Research")]
    [InlineData("Falcon LLM License", "Falcon")]
    [InlineData("TII Falcon License", "Falcon")]
    [InlineData("BigScience Open RAIL-M License", "BigScience-OpenRAIL-M")]
    [InlineData("Attribution 3.0 Unported", "CC-BY-3.0")]
    [InlineData("Attribution-ShareAlike 3.0 Unported", "CC-BY-SA-3.0")]
    [InlineData("Attribution-NonCommercial 3.0 Unported", "CC-BY-NC-3.0")]
    [InlineData("Attribution-NonCommercial-ShareAlike 3.0 Unported", "CC-BY-NC-SA-3.0")]
    public void Every_known_title_names_its_license(string title, string name)
    {
        Assert.Equal((LicenseMatchKind.Other, name, false), (LicenseIdentifier.Identify(title + "\n\nMore terms follow.\n") is var top ? (top.Kind, top.Name, top.Sentence) : default));
        Assert.Equal((LicenseMatchKind.Other, name, false), (LicenseIdentifier.Identify("Copyright 2026 Example\n\n" + title + "\n") is var below ? (below.Kind, below.Name, below.Sentence) : default));
        Assert.Equal((LicenseMatchKind.Other, name, true), (LicenseIdentifier.Identify("These files are licensed under the " + title + ".\n") is var grant ? (grant.Kind, grant.Name, grant.Sentence) : default));
    }

    // A title anywhere else is a mention, not the text's license: past the second line, after other words on its line,
    // in a sentence that grants nothing, or after a comma or a full stop.
    [Theory]
    [InlineData("See ../LICENSE.\nThe code is adapted from a project.\nMIT License\n")]
    [InlineData("Notes: MIT License\n")]
    [InlineData("The conversion script was adapted from llama.cpp, which is under the MIT License.\n")]
    [InlineData("Unlike the base model, which is released under the Apache License, Version 2.0, these weights are covered by the root LICENSE.\n")]
    [InlineData("The tokenizer comes from GPT-2 and is under the MIT License.\n")]
    [InlineData("These weights are ours. They are licensed under the MIT License.\n")]
    [InlineData("Copyright 2026 Acme, licensed under the MIT License\n")]
    public void A_title_mentioned_elsewhere_names_nothing(string text) =>
        Assert.Equal(LicenseMatchKind.Unknown, LicenseIdentifier.Identify(text).Kind);

    // A text is what heads it, whatever it names later; one that names MG-BY-SA-2.0 by its title in a grant points to
    // the license, and is no modified copy of its text.
    [Theory]
    [InlineData("These weights are MG-BY-SA-2.0. The code comes from a project under the MIT License.\n", LicenseMatchKind.Unknown)]
    [InlineData("Licensed under the ModelGo Attribution-ShareAlike License; the tokenizer under the Apache License, Version 2.0.\n", LicenseMatchKind.Unknown)]
    [InlineData("MIT License\n\nThis file is not MG-BY-SA-2.0.\n", LicenseMatchKind.Other)]
    [InlineData("The code comes from a project under the MIT License.\n", LicenseMatchKind.Unknown)]
    [InlineData("The files in this folder are licensed under the ModelGo Attribution-ShareAlike License, Version 2.0, Dec 2025 (MG-BY-SA-2.0).\n", LicenseMatchKind.Unknown)]
    public void A_text_is_what_heads_it_and_a_grant_of_MG_BY_SA_is_no_copy(string text, LicenseMatchKind kind) =>
        Assert.Equal(kind, LicenseIdentifier.Identify(text).Kind);

    // Bare copyright lines are no part of a text (the SPDX matching guidelines leave them out); a copyright line that
    // grants something is.
    [Theory]
    [InlineData("Copyright 2026 Acme\n\n", LicenseMatchKind.Canonical)]
    [InlineData("# Copyright (c) 2026 Acme. All rights reserved.\nSPDX-FileCopyrightText: 2026 Jane Doe\n\n", LicenseMatchKind.Canonical)]
    [InlineData("\u00A9 2026 Acme\n", LicenseMatchKind.Canonical)]
    [InlineData("Copyright 2026 Acme. At your option, use these weights under Apache-2.0.\n\n", LicenseMatchKind.Modified)]
    [InlineData("This text is the license of the weights.\n\n", LicenseMatchKind.Modified)]
    public void Bare_copyright_lines_before_the_MG_BY_SA_text_are_no_part_of_it(string lead, LicenseMatchKind kind)
    {
        var result = LicenseIdentifier.Identify(lead + Canonical);

        Assert.Equal(kind, result.Kind);
        Assert.Equal(kind == LicenseMatchKind.Modified ? 1 : 0, result.WordIndex);
    }

    [Theory]
    [InlineData("The quick brown fox jumps over the lazy dog. This model was trained on a laptop over a weekend and is released for everyone to enjoy.")]
    [InlineData("")]
    [InlineData("   \r\n\t\n")]
    public void Random_prose_is_unknown(string text)
    {
        var result = LicenseIdentifier.Identify(Encoding.UTF8.GetBytes(text));

        Assert.Equal(LicenseMatchKind.Unknown, result.Kind);
        Assert.Null(result.Name);
    }

    [Theory]
    [InlineData("in Section 2.2 of this License", "in Section 2.3 of this License", "2.2", "2.3")]
    [InlineData("in Section 2.1, You acknowledge", "in Section 2.2, You acknowledge", "2.1,", "2.2,")]
    public void Changed_section_number_in_running_text_is_modified(string original, string replacement, string oldNumber, string newNumber)
    {
        var modified = ReplaceOnce(Canonical, original, replacement);

        var result = LicenseIdentifier.Identify(Utf8Bom(modified));

        Assert.Equal(LicenseMatchKind.Modified, result.Kind);
        Assert.EndsWith(oldNumber, result.Expected, StringComparison.Ordinal);
        Assert.EndsWith(newNumber, result.Found, StringComparison.Ordinal);
        Assert.Equal(LineOf(modified, modified.IndexOf(replacement, StringComparison.Ordinal)), result.Line);
    }

    [Theory]
    [InlineData("\r\n2.2\tConditions\r\n", "\r\n2.4\tConditions\r\n")]
    [InlineData("\r\n(a)\tSubject to", "\r\n(b)\tSubject to")]
    [InlineData("\r\n(vi)\tlicense Derivative", "\r\n(7)\tlicense Derivative")]
    [InlineData("\r\n3.\tDISCLAIMER", "\r\nc)\tDISCLAIMER")]
    public void Renumbered_list_markers_at_line_start_are_ignored(string original, string replacement)
    {
        var modified = ReplaceOnce(Canonical, original, replacement);

        var result = LicenseIdentifier.Identify(Utf8Bom(modified));

        Assert.True(result.Kind == LicenseMatchKind.Canonical, $"{result.Kind}: expected '{result.Expected}', found '{result.Found}' at line {result.Line}");
    }

    [Fact]
    public void Section_number_wrapped_to_a_line_start_in_running_text_is_still_a_word()
    {
        // Re-wrapped at about 40 columns, "Section 2.2 of this License" puts "2.2" at a line start:
        // it is followed by a lower-case word, so it is text, not a list marker.
        var wrapped = Canonical.Replace("in Section 2.2 of this License", "in Section\r\n2.2 of this License", StringComparison.Ordinal);
        Assert.NotEqual(Canonical, wrapped);

        Assert.Equal(LicenseMatchKind.Canonical, LicenseIdentifier.Identify(wrapped).Kind);
        Assert.Equal(LicenseMatchKind.Modified, LicenseIdentifier.Identify(wrapped.Replace("\r\n2.2 of", "\r\n2.3 of", StringComparison.Ordinal)).Kind);
    }

    private static byte[] Variant(string name) => name switch
    {
        "utf8-lf-no-bom" => Encoding.UTF8.GetBytes(Lf(Canonical)),
        "utf16le-bom" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Canonical)],
        "latin1-no-bom" => Latin1(Canonical),
        "rewrapped-60" => Encoding.UTF8.GetBytes(Rewrap(Canonical, 60)),
        "rewrapped-60-crlf" => Utf8Bom(Rewrap(Canonical, 60).Replace("\n", "\r\n", StringComparison.Ordinal)),
        "tabs-to-spaces" => Utf8Bom(Changed(Canonical, Canonical.Replace("\t", "    ", StringComparison.Ordinal))),
        "extra-whitespace" => Utf8Bom(Changed(Canonical, Canonical.Replace(" ", "  \t ", StringComparison.Ordinal).Replace("\r\n\r\n", "\r\n \r\n\r\n", StringComparison.Ordinal) + "\r\n\r\n")),
        "curly-quotes" => Utf8Bom(CurlyQuotes(Canonical)),
        "double-to-single-straight-quotes" => Utf8Bom(Changed(Canonical, Canonical.Replace('"', '\''))),
        "low-high-quotes" => Utf8Bom(Changed(Canonical, ReplaceAlternating(Canonical, '"', '\u201E', '\u201C').Replace('\'', '\u2018'))),
        "copyright-(c)" => Utf8Bom(Changed(Canonical, Canonical.Replace("\u00A9", "(c)", StringComparison.Ordinal))),
        "copyright-(C)" => Latin1(Changed(Canonical, Canonical.Replace("\u00A9", "(C)", StringComparison.Ordinal))),
        "copyright-word-only" => Utf8Bom(ReplaceOnce(Canonical, "Copyright \u00A9 2025", "Copyright 2025")),
        "copyright-symbol-only" => Utf8Bom(ReplaceOnce(Canonical, "Copyright \u00A9 2025", "\u00A9 2025")),
        "em-dash-in-title" => Utf8Bom(ReplaceOnce(Canonical, "ModelGo Attribution-ShareAlike", "ModelGo Attribution\u2014ShareAlike")),
        "en-dash-and-double-hyphen" => Utf8Bom(ReplaceOnce(ReplaceOnce(Canonical, "non-exclusive", "non\u2013exclusive"), "royalty-free", "royalty--free")),
        "upper-case" => Utf8Bom(Changed(Canonical, Canonical.ToUpperInvariant())),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown variant"),
    };

    private static byte[] Latin1(string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        Assert.Equal(text, Encoding.Latin1.GetString(bytes));
        Assert.DoesNotContain((byte)0xC2, bytes);
        return bytes;
    }

    private static byte[] Utf8Bom(string text) => [.. "\uFEFF"u8, .. Encoding.UTF8.GetBytes(text)];

    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    private static string Lf(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string Changed(string original, string changed)
    {
        Assert.NotEqual(original, changed);
        return changed;
    }

    private static string ReplaceOnce(string text, string original, string replacement)
    {
        var index = text.IndexOf(original, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{original}' is in the text");
        Assert.True(index == text.LastIndexOf(original, StringComparison.Ordinal), $"'{original}' occurs once in the text");
        return string.Concat(text.AsSpan(0, index), replacement, text.AsSpan(index + original.Length));
    }

    private static string ReplaceAlternating(string text, char quote, char open, char close)
    {
        var builder = new StringBuilder(text.Length);
        var opening = true;
        foreach (var c in text)
        {
            if (c == quote)
            {
                builder.Append(opening ? open : close);
                opening = !opening;
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string CurlyQuotes(string text)
    {
        var curly = ReplaceAlternating(text, '"', '\u201C', '\u201D').Replace('\'', '\u2019');
        Assert.Contains('\u201C', curly);
        Assert.Contains('\u2019', curly);
        Assert.DoesNotContain('"', curly);
        return curly;
    }

    // Rewraps each blank-line-separated paragraph to the width, with LF line endings. A paragraph's
    // first word (its list marker, if any) stays at the start of its first line.
    private static string Rewrap(string text, int width)
    {
        var paragraphs = Lf(text).Split("\n\n");
        var wrapped = new List<string>();
        foreach (var paragraph in paragraphs)
        {
            var lines = new List<string>();
            var line = new StringBuilder();
            foreach (var word in paragraph.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.Length > 0 && line.Length + 1 + word.Length > width)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }

                if (line.Length > 0)
                {
                    line.Append(' ');
                }

                line.Append(word);
            }

            if (line.Length > 0)
            {
                lines.Add(line.ToString());
            }

            wrapped.Add(string.Join('\n', lines));
        }

        return string.Join("\n\n", wrapped) + "\n";
    }

    private static string[] Words(string? text) => (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static int LineOf(string text, int position)
    {
        Assert.True(position >= 0);
        return text.AsSpan(0, position).Count('\n') + 1;
    }

    private static int WordsBefore(string text, int position) => Words(text[..position]).Length;

    // Each lowercase word a holder's name may hold keeps a copyright line bare; another lowercase word makes it text.
    [Theory]
    [InlineData("and")]
    [InlineData("&")]
    [InlineData("the")]
    [InlineData("of")]
    [InlineData("its")]
    [InlineData("by")]
    [InlineData("for")]
    [InlineData("et")]
    [InlineData("al")]
    [InlineData("contributors")]
    [InlineData("affiliates")]
    [InlineData("authors")]
    [InlineData("team")]
    [InlineData("inc")]
    [InlineData("ltd")]
    [InlineData("llc")]
    [InlineData("co")]
    [InlineData("corp")]
    [InlineData("gmbh")]
    public void A_holders_joining_words_keep_a_copyright_line_bare(string word)
    {
        Assert.True(LicenseIdentifier.IsCopyrightLine($"Copyright 2026 Acme {word} Zeta"));
        Assert.False(LicenseIdentifier.IsCopyrightLine($"Copyright 2026 Acme {word} weights"));
    }

    [Theory]
    [InlineData("Copyright 2026 Acme 2", false)]                                         // a digit in the holder: more than a name
    [InlineData("Copyright 2026 Acme2", false)]
    [InlineData("Copyright 2026 A B C D E F G H I J K L", true)]                         // twelve words
    [InlineData("Copyright 2026 A B C D E F G H I J K L M", false)]                      // thirteen
    [InlineData("Copyright 2026 Acme. All rights reserved.", true)]
    public void A_bare_copyright_line_is_a_short_name(string line, bool bare) =>
        Assert.Equal(bare, LicenseIdentifier.IsCopyrightLine(line));

    [Fact]
    public void A_copyright_line_of_300_characters_may_be_bare_and_a_longer_one_is_not()
    {
        var name = "Copyright 2026 " + string.Join(" ", Enumerable.Repeat("Acmeacmeacmeacmeacme", 12));
        Assert.True(LicenseIdentifier.IsCopyrightLine(name.PadRight(300)));
        Assert.False(LicenseIdentifier.IsCopyrightLine(name.PadRight(301)));
    }

    // The words a heading may hold past its title (a version, a date, "Public License") are no sentence: with three other
    // words the title still heads the text, with a fourth it is a mention.
    [Theory]
    [InlineData("version")]
    [InlineData("v")]
    [InlineData("public")]
    [InlineData("license")]
    [InlineData("licence")]
    [InlineData("agreement")]
    [InlineData("dated")]
    [InlineData("january")]
    [InlineData("february")]
    [InlineData("march")]
    [InlineData("april")]
    [InlineData("may")]
    [InlineData("june")]
    [InlineData("july")]
    [InlineData("august")]
    [InlineData("september")]
    [InlineData("october")]
    [InlineData("november")]
    [InlineData("december")]
    public void Heading_words_past_a_title_keep_it_a_heading(string word)
    {
        Assert.Equal("MIT", LicenseIdentifier.Identify($"MIT License alpha beta gamma {word}\n\nMore terms follow.\n").Name);
        Assert.Null(LicenseIdentifier.Identify($"MIT License alpha beta gamma delta\n\nMore terms follow.\n").Name);
    }

    [Theory]
    [InlineData("MIT License 2026 2027 2028 2029 - 1.0", "MIT")]  // numbers and marks are no words of a sentence
    [InlineData("MIT License alpha beta gamma x1", null)]         // a word with a letter is one
    public void Only_words_with_letters_count_against_a_heading(string line, string? name) =>
        Assert.Equal(name, LicenseIdentifier.Identify(line + "\n\nMore terms follow.\n").Name);

    [Theory]
    [InlineData("These weights are licensed under Apache License, Version 2.0.\n")]             // "under" without "the"
    [InlineData("These weights are released and distributed under the Apache License, Version 2.0.\n")] // two verbs
    public void Grant_sentences_of_other_forms_name_the_license(string text)
    {
        var result = LicenseIdentifier.Identify(text);
        Assert.Equal((LicenseMatchKind.Other, "Apache-2.0", true), (result.Kind, result.Name, result.Sentence));
    }

    [Theory]
    [InlineData("licensed")]
    [InlineData("licenced")]
    [InlineData("released")]
    [InlineData("distributed")]
    [InlineData("provided")]
    [InlineData("offered")]
    [InlineData("available")]
    public void Each_grant_verb_opens_a_grant_sentence(string verb)
    {
        var result = LicenseIdentifier.Identify($"These weights are {verb} under the Apache License, Version 2.0.\n");
        Assert.Equal((LicenseMatchKind.Other, "Apache-2.0", true), (result.Kind, result.Name, result.Sentence));
    }

    // A grant of another license beside a mention of MG-BY-SA-2.0, by its id or its title, needs a reader.
    [Theory]
    [InlineData("The tokenizer is licensed under the MIT License; the weights are under MG-BY-SA-2.0.\n", LicenseMatchKind.Unknown)]
    [InlineData("The tokenizer is licensed under the MIT License; the weights are under the ModelGo Attribution-ShareAlike License.\n", LicenseMatchKind.Unknown)]
    [InlineData("The tokenizer is licensed under the MIT License; the weights are under the ModelGo License.\n", LicenseMatchKind.Other)]
    [InlineData("The tokenizer is licensed under the MIT License.\nModelGo\n", LicenseMatchKind.Other)]
    public void A_grant_beside_a_mention_of_MG_BY_SA_needs_a_reader(string text, LicenseMatchKind kind) =>
        Assert.Equal(kind, LicenseIdentifier.Identify(text).Kind);
}

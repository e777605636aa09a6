using System.Text.Json.Nodes;
using ModelGoPack.Diagnostics;
using ModelGoPack.Emit;
using ModelGoPack.Licensing;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>License texts as reviews found them: headers, SPDX lines, pointers and real-world openings.</summary>
public sealed partial class LicenseFileTests
{
    // A canonical text with a copyright header is the license (the SPDX matching guidelines leave copyright notices out).
    [Theory]
    [InlineData("weights/LICENSE.md")]
    [InlineData("LICENSE")]
    public void The_MG_text_with_a_copyright_header_is_not_MGP1001(string path)
    {
        using var project = Derivative();
        project.File(path, "Copyright 2026 Acme\n\n" + Canonical).Write();

        var result = Check(project);

        Assert.False(result.Diagnostics.Any(d => d.Code == "MGP1001"), Scenarios.ScenarioRelease.Describe(result));
    }

    // A pointer to the root license over a derivative's weights is a text the tool cannot read as a grant: MGP6008, which
    // the publisher settles with an SPDX-License-Identifier: MG-BY-SA-2.0 line, or a reviewer with a waiver. (Reading
    // "licensed under MG-BY-SA-2.0" as the license would let "..., or Apache-2.0 at your option" pass as well.)
    [Theory]
    [InlineData("weights/LICENSE", "See ../LICENSE\n")]
    [InlineData("weights/LICENSE.md", "These weights are licensed under MG-BY-SA-2.0; see the LICENSE file at the root of this repository.\n")]
    public void A_pointer_to_the_root_license_over_weights_is_MGP6008(string path, string text)
    {
        using var project = Derivative();
        project.File(path, text).Write();

        var result = Check(project);

        var d = Assert.Single(result.Diagnostics, d => d.Path == path);
        Assert.Equal(("MGP6008", Severity.Error), (d.Code, d.Severity));
    }

    // Real-world license openings.
    [Theory]
    [InlineData("META LLAMA 3 COMMUNITY LICENSE AGREEMENT\nMeta Llama 3 Version Release Date: April 18, 2024\n\n\"Agreement\" means the terms and conditions for use, reproduction, distribution and modification of the Llama Materials set forth herein.\n", "Llama-3")]
    [InlineData("LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\nLlama 3.1 Version Release Date: July 23, 2024\n", "Llama-3.1")]
    [InlineData("Gemma Terms of Use\n\nLast modified: February 21, 2024\n", "Gemma")]
    [InlineData("Tongyi Qianwen LICENSE AGREEMENT\n\nTongyi Qianwen Release Date: August 3, 2023\n", "Tongyi-Qianwen")]
    [InlineData("Creative Commons Attribution-NonCommercial 4.0 International Public License\n\nBy exercising the Licensed Rights (defined below), You accept and agree\n", "CC-BY-NC-4.0")]
    [InlineData("Attribution-NonCommercial 4.0 International\n\n=======================================================================\n\nCreative Commons Corporation (\"Creative Commons\") is not a law firm\n", "CC-BY-NC-4.0")]
    [InlineData("Copyright (c) 2022 Robin Rombach and Patrick Esser and contributors\n\nCreativeML Open RAIL-M\ndated August 22, 2022\n", "CreativeML-OpenRAIL-M")]
    [InlineData("Qwen LICENSE AGREEMENT\n\nQwen LICENSE AGREEMENT Release Date: September 19, 2024\n\nBy clicking to agree or by using or distributing any portion or element of the Qwen Materials, you will be deemed to have recognized and accepted the content of this Agreement, which is effective immediately.\n", "Qwen")]
    [InlineData("BigScience Open RAIL-M License\ndated August 18, 2022\n", "BigScience-OpenRAIL-M")]
    [InlineData("MIT License\n\nCopyright (c) Microsoft Corporation.\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n", "MIT")]
    [InlineData("Copyright 2024 Google LLC\n\nLicensed under the Apache License, Version 2.0 (the \"License\");\nyou may not use this file except in compliance with the License.\n", "Apache-2.0")]
    public void Real_world_openings(string text, string? name)
    {
        var id = LicenseFiles.Identify(System.Text.Encoding.UTF8.GetBytes(text));
        Assert.Equal(name is null ? LicenseMatchKind.Unknown : LicenseMatchKind.Other, id.Kind);
        Assert.Equal(name, id.Name);
    }

    // license_link forms.
    [Theory]
    [InlineData("docs\\LICENSE-MIT")]
    [InlineData("https://huggingface.co/org/tiny-model/blob/main/docs%2FLICENSE-MIT")]
    [InlineData("HTTPS://HF.CO/org/tiny-model/blob/main/docs/LICENSE-MIT")]
    [InlineData("https://huggingface.co/org/tiny-model/blob/refs%2Fpr%2F1/docs/LICENSE-MIT")]
    [InlineData("docs/LICENSE-MIT#L1")]
    [InlineData("./docs/%4CICENSE-MIT")]
    public void A_license_link_to_the_MIT_text_is_MGP6003(string link)
    {
        using var project = new ModelProjectBuilder();
        project.File("README.md", $"---\nlicense: other\nlicense_name: mg-by-sa-2.0\nlicense_link: \"{link.Replace("\\", "\\\\")}\"\n---\n# tiny-model\n\nA tiny model.\n")
            .File("docs/LICENSE-MIT", Mit).Write();

        var result = Check(project);

        Assert.True(result.Diagnostics.Any(d => d.Code == "MGP6003"), Scenarios.ScenarioRelease.Describe(result));
    }

    // A root LICENSE with a preamble before the MG-BY-SA-2.0 text is a modified copy (MGP1001), quoted where it differs.
    [Fact]
    public void Root_preamble_naming_Apache_then_MG_text_is_MGP1001()
    {
        using var project = Derivative();
        project.File("LICENSE", "This model was fine-tuned from a model under the Apache License, Version 2.0. It is released under:\n\n" + Canonical).Write();

        var result = Check(project);

        Assert.True(result.Diagnostics.Any(d => d.Code == "MGP1001" && d.Path == "LICENSE"), Scenarios.ScenarioRelease.Describe(result));
    }

    [Fact]
    public void Control_a_static_library_is_native_code()
    {
        using var project = new ModelProjectBuilder();
        project.Bytes("lib/foo_static.lib", [.. "!<arch>\n/               0           0     0     0       4         `\n\0\0\0\0"u8.ToArray()]).Write();

        var result = Check(project);

        Assert.True(result.Diagnostics.Any(d => d.Code == "MGP5007"), Scenarios.ScenarioRelease.Describe(result));
    }

    // An Apache text that mentions MG-BY-SA later is MGP6006, which no MGP6008 waiver covers: pack refuses it.
    [Fact]
    public void A_waived_MGP6008_over_an_Apache_text_is_not_packed()
    {
        using var project = Derivative();
        project.Config["waivers"] = new JsonArray(new JsonObject { ["code"] = "MGP6008", ["justification"] = "Read it: it says MG-BY-SA-2.0." });
        project.File("weights/LICENSE", "Copyright 2026 Acme\n\n" + Apache + "\n   1. Definitions.\n\n   ...\n\nNote: the base model these weights were tuned from is under MG-BY-SA-2.0.\n").Write();

        var output = Path.Combine(project.Scratch, "b");
        var packed = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, BundleFormat.Directory);
        var verified = packed.Compliant ? ModelGoPackEngine.Verify(packed.OutputPath!) : null;

        Assert.False(packed.Compliant && verified!.Compliant, "pack and verify both compliant: " + string.Join("\n", verified?.Diagnostics ?? []));
    }

    // A full license text after a copyright line, or a long unrecognised text, named as a header template, over weights.
    [Theory]
    [InlineData("weights/LICENSE-HEADER", "Copyright 2026 Acme\n\n" + Apache + "\n   1. Definitions.\n\n      \"License\" shall mean the terms and conditions for use, reproduction,\n")]
    [InlineData("weights/LICENSE_TEMPLATE.txt", "Qwen LICENSE AGREEMENT\n\nQwen LICENSE AGREEMENT Release Date: September 19, 2024\n\nBy clicking to agree or by using or distributing any portion or element of the Qwen Materials, you will be deemed to have recognized and accepted the content of this Agreement.\n")]
    public void A_full_text_named_as_a_template_over_weights_is_an_error(string path, string text)
    {
        using var project = Derivative();
        project.File(path, text).Write();

        var result = Check(project);

        Assert.False(result.Compliant, Scenarios.ScenarioRelease.Describe(result));
    }

    // Pathological lines in a license file (4 MiB allowed) end in a verdict, not a regex timeout.
    [Theory]
    [InlineData("spaces")]
    [InlineData("stars")]
    public void A_pathological_license_file_does_not_crash(string kind)
    {
        using var project = Derivative();
        var text = kind == "spaces"
            ? "SPDX-License-Identifier: " + string.Concat(Enumerable.Repeat(" \t", 200_000)) + "x\n"
            : "SPDX-License-Identifier: MG-BY-SA-2.0\n" + new string('*', 400_000) + "x\n";
        project.File("docs/LICENSE", text).Write();

        var result = Check(project);

        Assert.DoesNotContain(result.Diagnostics, d => d.Code.StartsWith("MGP9", StringComparison.Ordinal) && d.Severity == Severity.Error);
    }

    // Only an upstream's Hub url makes a Hub link the upstream's: its code repo on another host of the same owner/name does not.
    [Fact]
    public void An_upstream_code_repo_of_the_same_owner_and_name_does_not_hide_the_own_link()
    {
        using var project = Derivative();
        project.File("README.md", "---\nlicense: other\nlicense_name: mg-by-sa-2.0\nlicense_link: https://huggingface.co/acme/tiny-model/blob/main/docs/terms.md\n---\n# tiny-model\n\nA tiny model.\n")
            .File("docs/terms.md", Apache).Write();
        ((JsonObject)project.Array("upstream")[0]!)["url"] = "https://github.com/acme/tiny-model";
        project.Write();

        var result = Check(project);

        Assert.True(result.Diagnostics.Any(d => d.Code == "MGP6003"), Scenarios.ScenarioRelease.Describe(result));
    }

    // A third review: copyright lines and SPDX comments that grant more, pointers headed by the title, markup around the
    // text, sentences about other files, part names, templates, oversized files, long blank runs, REUSE texts.
    [Theory]
    [InlineData("LICENSE.md", "Copyright 2026 Acme. Weights also dedicated to the public domain (CC0 1.0).\n\n")]
    [InlineData("weights/LICENSE", "Copyright 2026 Acme. Anyone may also take these weights without any conditions at all.\n\n")]
    [InlineData("weights/LICENSE", "(c) Acme 2026: these weights can be sold, shared and changed by anyone without any conditions.\n\n")]
    public void A_copyright_line_that_grants_in_other_words_is_no_bare_notice(string path, string line)
    {
        using var project = Derivative();
        project.File(path, line + LicenseText.Text.TrimStart('\uFEFF')).Write();

        var result = Check(project);

        Assert.False(result.Compliant, Scenarios.ScenarioRelease.Describe(result)); // MGP1001 (text added) or MGP6008
    }

    [Theory]
    [InlineData("weights/LICENSE", "SPDX-License-Identifier: MG-BY-SA-2.0\nCopyright 2026 Acme. Weights also dedicated to the public domain (CC0 1.0).\n")]
    [InlineData("weights/adapter.safetensors.license", "SPDX-FileCopyrightText: 2026 Acme; also MPL-2.0 at your choice\nSPDX-License-Identifier: MG-BY-SA-2.0\n")]
    public void An_MG_SPDX_line_beside_a_granting_copyright_line_is_not_the_license(string path, string text)
    {
        using var project = Derivative();
        project.File(path, text).Write();

        Assert.Contains(Check(project).Diagnostics, d => d.Code is "MGP6006" or "MGP6008" && d.Path == path);
    }

    [Theory]
    [InlineData("weights/LICENSE", "SPDX-License-Identifier: MG-BY-SA-2.0 # or Apache-2.0, at your option\n")]
    [InlineData("weights/adapter.safetensors.license", "SPDX-License-Identifier: MG-BY-SA-2.0 // Apache-2.0 also applies to this adapter\n")]
    [InlineData("weights/LICENSE", "SPDX-License-Identifier: MG-BY-SA-2.0 OR # Apache-2.0\n")]
    [InlineData("weights/LICENSE", "SPDX-License-Identifier: MG-BY-SA-2.0 OR")]
    public void An_MG_SPDX_line_whose_comment_or_missing_operand_may_grant_more_needs_a_reader(string path, string text)
    {
        using var project = Derivative();
        project.File(path, text).Write();

        var result = Check(project);

        Assert.False(result.Compliant, Scenarios.ScenarioRelease.Describe(result));
        Assert.Contains(result.Diagnostics, d => d.Code is "MGP6006" or "MGP6008" && d.Path == path);
    }

    [Theory]
    [InlineData("weights/LICENSE.md", "ModelGo Attribution-ShareAlike License, Version 2.0, Dec 2025\n\nSee the LICENSE file at the root of this repository for the full text.\n")]
    [InlineData("weights/LICENSE.md", "# License\nModelGo Attribution-ShareAlike License Version 2.0, Dec 2025 (MG-BY-SA-2.0). The full text is in ../LICENSE.\n")]
    [InlineData("docs/LICENSE.md", "ModelGo Attribution-ShareAlike License, Version 2.0, Dec 2025\n\nSee ../LICENSE.\n")]
    public void A_pointer_headed_by_the_MG_title_is_no_modified_license(string path, string text)
    {
        using var project = Derivative();
        project.File(path, text).Write();

        var diagnostics = Check(project).Diagnostics;

        // Not a changed license, but a text for a reader: over the weights MGP6008, elsewhere MGP1008.
        Assert.DoesNotContain(diagnostics, d => d.Code is "MGP1001" or "MGP6006");
        Assert.Contains(diagnostics, d => d.Code == (path.StartsWith("weights/", StringComparison.Ordinal) ? "MGP6008" : "MGP1008") && d.Path == path);
    }

    [Theory]
    [InlineData("LICENSE.md", "# License\n\n", "")]
    [InlineData("LICENSE.md", "# ", "")]
    [InlineData("LICENSE", "SPDX-License-Identifier: MG-BY-SA-2.0\n\n", "")]
    [InlineData("LICENSE.md", "```\n", "\n```\n")]
    public void The_MG_text_in_markdown_or_under_its_SPDX_line_is_the_license(string path, string before, string after)
    {
        using var project = new ModelProjectBuilder();
        project.File(path, before + LicenseText.Text.TrimStart('\uFEFF') + after).Write();

        Assert.DoesNotContain(Check(project).Diagnostics, d => d.Code is "MGP1001" or "MGP1003");
    }

    [Theory]
    [InlineData("weights/LICENSE", "The tokenizer files are distributed under the MIT License; the weights are under MG-BY-SA-2.0 (see ../LICENSE).\n")]
    [InlineData("weights/LICENSE.md", "These weights: MG-BY-SA-2.0 (see ../LICENSE).\nMIT License covers the helper script convert.py in this folder.\n")]
    public void A_sentence_about_other_files_that_says_the_weights_are_MG_is_not_MGP6006(string path, string text)
    {
        using var project = Derivative();
        project.File(path, text).File("weights/convert.py", "print(1)\n").Write();

        Assert.DoesNotContain(Check(project).Diagnostics, d => d.Code == "MGP6006");
    }

    [Fact]
    public void A_third_party_name_does_not_hide_a_grant_over_the_weights()
    {
        using var project = Derivative();
        project.File("weights/LICENSE-THIRD-PARTY", "These weights are licensed under the Apache License, Version 2.0.\n").Write();

        var result = Check(project);

        Assert.False(result.Compliant, Scenarios.ScenarioRelease.Describe(result));
        Assert.Contains(result.Diagnostics, d => d.Code is "MGP6006" or "MGP6008" && d.Path == "weights/LICENSE-THIRD-PARTY");
    }

    [Theory]
    [InlineData("weights/LICENSE-TOKENIZER")]
    [InlineData("weights/LICENSE-3RD-PARTY")]
    public void A_tokenizer_or_3rd_party_license_beside_weights_is_limited(string path)
    {
        using var project = Derivative();
        project.File(path, Mit).File("weights/tokenizer.json", "{}").Write();

        Assert.DoesNotContain(Check(project).Diagnostics, d => d.Code == "MGP6006");
    }

    [Fact]
    public void A_short_unrecognised_template_over_weights_needs_a_reader()
    {
        using var project = Derivative();
        project.File("weights/LICENSE-HEADER", "Copyright 2026 Acme. These weights are dedicated to the public domain (CC0 1.0).\n").Write();

        Assert.Contains(Check(project).Diagnostics, d => d.Code is "MGP6006" or "MGP6008");
    }

    [Fact]
    public void A_license_file_past_4_MiB_over_weights_is_unrecognised_not_skipped()
    {
        using var project = Derivative();
        project.File("weights/LICENSE", Apache + new string('\n', 4 * 1024 * 1024 + 10)).Write();

        var result = Check(project);

        Assert.False(result.Compliant, Scenarios.ScenarioRelease.Describe(result));
        Assert.Equal("MGP6008", Assert.Single(result.Diagnostics, d => d.Path == "weights/LICENSE").Code);
    }

    [Fact]
    public void A_long_blank_run_after_an_SPDX_expression_does_not_crash_check()
    {
        using var project = new ModelProjectBuilder();
        project.File("docs/LICENSE", "SPDX-License-Identifier: MIT" + new string(' ', 100_000) + "x\n").Write();

        var result = Check(project);

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP8099");
        Assert.Equal("MGP1007", Assert.Single(result.Diagnostics, d => d.Path == "docs/LICENSE").Code);
    }

    [Fact]
    public void A_LicenseRef_MG_is_the_license_its_REUSE_text_is()
    {
        using var project = Derivative();
        project.File("weights/adapter.safetensors.license", "SPDX-FileCopyrightText: 2026 Acme\nSPDX-License-Identifier: LicenseRef-MG-BY-SA-2.0\n")
            .File("LICENSES/LicenseRef-MG-BY-SA-2.0.txt", Apache).Write();

        var result = Check(project);

        Assert.False(result.Compliant, Scenarios.ScenarioRelease.Describe(result));
        var d = Assert.Single(result.Diagnostics, d => d.Path == "LICENSES/LicenseRef-MG-BY-SA-2.0.txt");
        Assert.Equal("MGP1001", d.Code);
        Assert.StartsWith("LICENSES/LicenseRef-MG-BY-SA-2.0.txt is named as the MG-BY-SA-2.0 text of a REUSE LICENSES folder, but it is the Apache-2.0 license: ", d.Message, StringComparison.Ordinal);
    }

    // verify judges a license file too large to read as check does: a text it cannot recognise, over the weights MGP6008.
    [Fact]
    public void Verify_judges_a_license_file_past_4_MiB_as_check_does()
    {
        using var project = Derivative();
        project.Write();
        var bundle = project.Pack(BundleFormat.Directory).OutputPath!;
        BundleFolder.Replace(bundle, "weights/LICENSE", Apache + new string('\n', 4 * 1024 * 1024 + 10), rehash: true);

        var verified = ModelGoPackEngine.Verify(bundle);

        Assert.Equal("MGP6008", Assert.Single(verified.Diagnostics, d => d.Path == "weights/LICENSE").Code);
    }

    // A REUSE annotation of a file every bundle holds (LICENSE, NOTICE, README.md) annotates that file in check, as in
    // verify, though the project may not hold it yet.
    [Theory]
    [InlineData("NOTICE.license")]
    [InlineData("README.md.license")]
    public void An_annotation_of_a_generated_file_is_judged_alike_by_check_and_verify(string path)
    {
        using var project = new ModelProjectBuilder();
        project.File(path, "SPDX-License-Identifier: CC0-1.0\n");
        File.Delete(Path.Combine(project.Root, "README.md"));
        project.Write();
        var bundle = project.Pack(BundleFormat.Directory).OutputPath!;

        var check = Assert.Single(Check(project).Diagnostics, d => d.Path == path);
        var verify = Assert.Single(ModelGoPackEngine.Verify(bundle).Diagnostics, d => d.Path == path);

        Assert.Equal(("MGP1007", "MGP1007"), (check.Code, verify.Code));
    }

    // Each part qualifier limits its license to the files of that part its folder holds (MGP1007), and beside the
    // weights alone covers them (MGP6006).
    [Theory]
    [InlineData("LICENSE-DOC", "guide.md", "DOC")]
    [InlineData("LICENSE-DOCS", "guide.md", "DOCS")]
    [InlineData("LICENSE-DOCUMENTATION", "guide.md", "DOCUMENTATION")]
    [InlineData("LICENSE-DATA", "train.jsonl", "DATA")]
    [InlineData("LICENSE-DATASET", "train.jsonl", "DATASET")]
    [InlineData("LICENSE-DATASETS", "train.jsonl", "DATASETS")]
    [InlineData("LICENSE-CORPUS", "train.jsonl", "CORPUS")]
    [InlineData("LICENSE-ASSETS", "logo.png", "ASSETS")]
    [InlineData("LICENSE-IMAGES", "logo.png", "IMAGES")]
    [InlineData("LICENSE-MEDIA", "logo.png", "MEDIA")]
    [InlineData("LICENSE-FONTS", "logo.png", "FONTS")]
    [InlineData("LICENSE-EXAMPLES", "demo.py", "EXAMPLES")]
    [InlineData("LICENSE-SAMPLES", "logo.png", "SAMPLES")]
    [InlineData("LICENSE-NOTEBOOKS", "train.jsonl", "NOTEBOOKS")]
    [InlineData("LICENSE-TOKENIZER", "tokenizer.json", "TOKENIZER")]
    [InlineData("LICENSE-THIRD-PARTY", "guide.md", "third-party files")]
    [InlineData("LICENSE-THIRDPARTY", "logo.png", "third-party files")]
    [InlineData("LICENSE-3RD-PARTY", "train.jsonl", "third-party files")]
    [InlineData("LICENSE-3RDPARTY", "tokenizer.json", "third-party files")]
    public void Each_part_qualifier_limits_its_license_to_the_files_of_that_part(string name, string file, string part)
    {
        using var limited = Derivative();
        limited.File($"weights/{name}", Mit).File($"weights/{file}", file.EndsWith(".png", StringComparison.Ordinal) ? "\u0089PNG" : file.EndsWith(".json", StringComparison.Ordinal) ? "{\"version\": \"1.0\"}" : "x\n").Write();

        var finding = Assert.Single(Check(limited).Diagnostics, d => d.Path == $"weights/{name}");
        Assert.Equal("MGP1007", finding.Code);
        Assert.Contains($"the {part} of weights/", finding.Message, StringComparison.Ordinal);

        // Beside the weights alone, it covers them.
        using var whole = Derivative();
        whole.File($"weights/{name}", Mit).Write();
        Assert.Equal("MGP6006", Assert.Single(Check(whole).Diagnostics, d => d.Path == $"weights/{name}").Code);
    }

    // SPDX expressions over a derivative's weights: MG-BY-SA-2.0 alone is the license, another id another license
    // (MGP6006), and what the tool cannot resolve needs a reader (MGP6008).
    [Theory]
    [InlineData("SPDX-License-Identifier: (MG-BY-SA-2.0)\n", null)]
    [InlineData("SPDX-License-Identifier: ((MG-BY-SA-2.0) AND MG-BY-SA-2.0)\n", null)]
    [InlineData("SPDX-License-Identifier: LicenseRef-MG-BY-SA-2.0\n", null)]
    [InlineData("# SPDX-License-Identifier: MG-BY-SA-2.0\n# SPDX-FileContributor: Jane Doe\n", null)]
    [InlineData("// SPDX-FileCopyrightText: 2026 Acme\n// SPDX-License-Identifier: MG-BY-SA-2.0\n", null)]
    [InlineData("SPDX-License-Identifier: MG-BY-SA-2.0 WITH Classpath-exception-2.0\n", "MGP6006")]
    [InlineData("SPDX-License-Identifier: ( )\n", "MGP6008")]
    [InlineData("SPDX-License-Identifier: LicenseRef-Custom\n", "MGP6008")]
    [InlineData("SPDX-License-Identifier: MG-BY-SA-2.0 OR LicenseRef-Custom\n", "MGP6008")]
    [InlineData("SPDX-License-Identifier: (MG-BY-SA-2.0 OR\n# Apache-2.0)\n", "MGP6006")]
    [InlineData("SPDX-License-Identifier: MG-BY-SA-2.0 OR\nApache-2.0", "MGP6006")]
    [InlineData("SPDX-License-Identifier: (MG-BY-SA-2.0 OR\nMG-BY-SA-2.0 OR\nMG-BY-SA-2.0 OR\nMG-BY-SA-2.0 OR\nMG-BY-SA-2.0 OR\nMG-BY-SA-2.0 OR\nMG-BY-SA-2.0 OR\nMG-BY-SA-2.0 OR\nApache-2.0)\n", "MGP6006")] // closed on its eighth line after
    [InlineData("SPDX-License-Identifier: (MG-BY-SA-2.0 OR\nMG-BY-SA-2.0 OR\nMG-BY-SA-2.0 OR\nMG-BY-SA-2.0 OR\nMG-BY-SA-2.0 OR\nMG-BY-SA-2.0 OR\nMG-BY-SA-2.0 OR\nMG-BY-SA-2.0 OR\nMG-BY-SA-2.0 OR\nApache-2.0)\n", "MGP6008")] // still open after eight
    public void SPDX_expressions_over_a_derivatives_weights(string text, string? code)
    {
        using var project = Derivative();
        project.File("weights/LICENSE", text).Write();

        var findings = Check(project).Diagnostics.Where(d => d.Path == "weights/LICENSE").Select(d => d.Code).ToList();

        Assert.True((code is null ? [] : new List<string> { code }).SequenceEqual(findings), string.Join("\n", Check(project).Diagnostics.Where(d => d.Path == "weights/LICENSE").Select(d => d.Message)));
    }

    [Theory]
    [InlineData("LICENSES/MG-BY-SA-2.0")]
    [InlineData("LICENSES/MG-BY-SA-2.0.txt")]
    [InlineData("LICENSES/LicenseRef-MG-BY-SA-2.0.md")]
    public void A_REUSE_text_named_MG_BY_SA_that_is_another_license_is_the_license_changed(string path)
    {
        using var project = new ModelProjectBuilder();
        project.File(path, Mit).Write();

        Assert.Contains(Check(project).Diagnostics, d => d.Code == "MGP1001" && d.Path == path);
    }
}

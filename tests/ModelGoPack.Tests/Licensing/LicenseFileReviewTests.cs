using System.Text.Json.Nodes;
using ModelGoPack.Diagnostics;
using ModelGoPack.Emit;
using ModelGoPack.Licensing;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// Inputs two adversarial reviews of the license-file rules found: each once passed a breach of share-alike
/// (2.2(a)(vi)) or of Section 6, refused a compliant release, or read a file verify and check disagree on: texts that
/// name a license without being it, copyright and comment lines that hide a grant, part and template names, and the
/// links and SPDX forms real releases use. Each asserts what the license requires.
/// </summary>
public sealed partial class LicenseFileTests
{
    private const string Lgpl = "                   GNU LESSER GENERAL PUBLIC LICENSE\n                       Version 2.1, February 1999\n";

    private const string Gpl = "                    GNU GENERAL PUBLIC LICENSE\n                       Version 3, 29 June 2007\n";

    // An SPDX line's value is an expression (REUSE allows any): one that lets the weights be taken under another license
    // than MG-BY-SA-2.0 alone, in any comment, on any line, breaks share-alike.
    [Theory]
    [InlineData("weights/adapter.safetensors.license", "SPDX-License-Identifier: Apache-2.0 OR MIT\n")]
    [InlineData("weights/adapter.safetensors.license", "SPDX-License-Identifier: MG-BY-SA-2.0 OR Apache-2.0\n")]
    [InlineData("weights/adapter.safetensors.license", "SPDX-License-Identifier: MG-BY-SA-2.0 AND Apache-2.0\n")]
    [InlineData("weights/adapter.safetensors.license", "SPDX-License-Identifier: (Apache-2.0)\n")]
    [InlineData("weights/adapter.safetensors.license", "SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception\n")]
    [InlineData("weights/adapter.safetensors.license", "SPDX-License-Identifier: MG-BY-SA-2.0\nSPDX-License-Identifier: Apache-2.0\n")]
    [InlineData("weights/LICENSE", "SPDX-License-Identifier: Apache-2.0 OR MIT\n")]
    [InlineData("weights/LICENSE", "/* SPDX-License-Identifier: Apache-2.0 */\n")]
    [InlineData("weights/LICENSE.md", "<!-- SPDX-License-Identifier: Apache-2.0 -->\n")]
    [InlineData("weights/LICENSE", "SPDX-License-Identifier: MG-BY-SA-2.0\nSPDX-License-Identifier: Apache-2.0\n")]
    public void An_SPDX_expression_over_weights_of_a_derivative_is_MGP6006(string path, string text)
    {
        using var project = Derivative();
        project.File(path, text).Write();

        var result = Check(project);

        Assert.True(result.Diagnostics.Any(d => d.Code == "MGP6006" && d.Path == path), Scenarios.ScenarioRelease.Describe(result));
        Assert.False(result.Compliant);
    }

    // Real license file names are read: GCC's COPYING3 and COPYING.LIB, LICENSE2, LICENSE.CC (Creative Commons).
    [Theory]
    [InlineData("weights/COPYING3", Gpl)]
    [InlineData("weights/COPYING.LIB", Lgpl)]
    [InlineData("weights/COPYING3.LIB", Lgpl)]
    [InlineData("weights/LICENSE2", Apache)]
    [InlineData("weights/LICENSE.CC", Apache)]
    public void A_license_file_of_a_real_world_name_over_weights_is_read(string path, string text)
    {
        using var project = Derivative();
        project.File(path, text).Write();

        var result = Check(project);

        Assert.True(result.Diagnostics.Any(d => d.Code == "MGP6006" && d.Path == path), Scenarios.ScenarioRelease.Describe(result));
    }

    [Theory]
    [InlineData("docs/COPYING.LIB")]
    [InlineData("docs/COPYING3")]
    public void A_modified_MG_BY_SA_text_named_COPYING_LIB_is_MGP1001(string path)
    {
        using var project = new ModelProjectBuilder();
        project.File(path, Modified).Write();

        var result = Check(project);

        Assert.True(result.Diagnostics.Any(d => d.Code == "MGP1001" && d.Path == path), Scenarios.ScenarioRelease.Describe(result));
    }

    // A part qualifier whose folder holds none of that part limits nothing: the weights are what it covers.
    [Theory]
    [InlineData("weights/LICENSE-DATA")]
    [InlineData("weights/LICENSE-ASSETS.txt")]
    [InlineData("weights/LICENSE-SOURCE")]
    [InlineData("LICENSE-DATA")]
    public void A_part_license_in_a_folder_of_only_weights_covers_the_weights(string path)
    {
        using var project = Derivative();
        project.File(path, Apache).Write();

        var result = Check(project);

        Assert.True(result.Diagnostics.Any(d => d.Code == "MGP6006" && d.Path == path), Scenarios.ScenarioRelease.Describe(result));
    }

    // Common license texts over a derivative's weights: named (MGP6006) or, when they cannot be, MGP6008; never a pass.
    [Theory]
    [InlineData("The MIT License (MIT)\n\nCopyright (c) 2026 Example\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n")]
    [InlineData("Copyright (c) 2026 Example\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n")]
    [InlineData("BSD 3-Clause License\n\nCopyright (c) 2026, Example\n\nRedistribution and use in source and binary forms, with or without\n")]
    [InlineData("LLAMA 2 COMMUNITY LICENSE AGREEMENT\nLlama 2 Version Release Date: July 18, 2023\n")]
    [InlineData("Attribution-NonCommercial-ShareAlike 4.0 International\n\n=======================================================================\n")]
    [InlineData("Copyright 2026 Example\n\n                                 Apache License\n                           Version 2.0, January 2004\n")]
    [InlineData("These weights are licensed under the Apache License, Version 2.0.\n")]
    public void An_unrecognised_license_text_over_a_derivatives_weights_is_not_passed_silently(string text)
    {
        using var project = Derivative();
        project.File("weights/LICENSE", text).Write();

        var result = Check(project);

        Assert.False(result.Compliant, Scenarios.ScenarioRelease.Describe(result));
        Assert.Contains(result.Diagnostics, d => d.Code is "MGP6006" or "MGP6008" && d.Path == "weights/LICENSE" && d.Severity == Severity.Error);
    }

    // An SPDX line naming MG-BY-SA-2.0 makes a file the license only when it says nothing else.
    [Fact]
    public void An_MG_SPDX_line_does_not_hide_the_rest_of_an_unknown_text()
    {
        using var project = Derivative();
        project.File("weights/LICENSE", "SPDX-License-Identifier: MG-BY-SA-2.0\n\nNotwithstanding the above, these weights may also be used under the Apache License 2.0.\n").Write();

        var result = Check(project);

        var d = Assert.Single(result.Diagnostics, d => d.Path == "weights/LICENSE");
        Assert.Equal(("MGP6008", Severity.Error), (d.Code, d.Severity));
        Assert.False(result.Compliant);
    }

    // license_link forms a browser resolves to the same file are that file.
    [Theory]
    [InlineData("docs/../docs/LICENSE-MIT")]
    [InlineData("docs/./LICENSE-MIT")]
    [InlineData("docs//LICENSE-MIT")]
    [InlineData("docs/MIT%20License.txt")]
    [InlineData("https://hf.co/org/tiny-model/blob/main/docs/LICENSE-MIT")]
    [InlineData("https://huggingface.co/org/tiny-model/blob/main/docs/x/%2e%2e/LICENSE-MIT")]
    [InlineData("https://huggingface.co/org/tiny-model/blob/main//docs/LICENSE-MIT")]
    [InlineData("https://huggingface.co/org/tiny-model/blob/main/docs/LICENSE-MIT?download=true")]
    [InlineData("https://www.huggingface.co/org/tiny-model/resolve/main/docs/LICENSE-MIT")]
    [InlineData("https://huggingface.co/org/tiny%2Dmodel/blob/main/docs/LICENSE-MIT")]
    public void A_license_link_to_the_MIT_text_is_MGP6003_whatever_its_spelling(string link)
    {
        using var project = new ModelProjectBuilder();
        project.File("README.md", $"---\nlicense: other\nlicense_name: mg-by-sa-2.0\nlicense_link: \"{link}\"\n---\n# tiny-model\n\nA tiny model.\n")
            .File("docs/LICENSE-MIT", Mit).File("docs/MIT License.txt", Mit).Write();

        var result = Check(project);

        Assert.True(result.Diagnostics.Any(d => d.Code == "MGP6003" && d.Message.Contains(" is the MIT license)", StringComparison.Ordinal)), Scenarios.ScenarioRelease.Describe(result));
    }

    // A file of an upstream's repo is never a missing file, even when a quantized re-release keeps the upstream's name.
    [Fact]
    public void A_link_to_the_upstreams_repo_of_the_same_name_is_never_a_missing_file()
    {
        using var project = new ModelProjectBuilder("Base");
        project.File("README.md", "---\nlicense: other\nlicense_name: mg-by-sa-2.0\nlicense_link: https://huggingface.co/base-org/Base/blob/main/LICENSE.md\n---\n# Base\n\nA tiny model.\n")
            .Upstream("Base", "derivative", "quantization").Modification("2026-02-01", "Quantized").Write();
        ((JsonObject)project.Array("upstream")[0]!)["url"] = "https://huggingface.co/base-org/Base";
        project.Write();

        var result = Check(project);

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP6007");
    }

    // verify reads the license files check reads: a root license copy of another case.
    [Theory]
    [InlineData("license.md", "Apache")]
    [InlineData("License.txt", "Modified")]
    public void Verify_judges_a_root_license_copy_of_another_case_as_check_does(string name, string kind)
    {
        using var project = Derivative();
        project.Write();
        var bundle = project.Pack(BundleFormat.Directory).OutputPath!;
        BundleFolder.Replace(bundle, name, kind == "Apache" ? Apache : Modified, rehash: true);

        using var check = Derivative();
        check.File(name, kind == "Apache" ? Apache : Modified).Write();
        var checkResult = Check(check);
        Assert.False(checkResult.Compliant, Scenarios.ScenarioRelease.Describe(checkResult));

        var verified = ModelGoPackEngine.Verify(bundle);

        Assert.False(verified.Compliant, string.Join("\n", verified.Diagnostics));
        Assert.Equal(checkResult.Diagnostics.Where(d => d.Path == name).Select(d => d.Code).Order(), verified.Diagnostics.Where(d => d.Path == name).Select(d => d.Code).Order());
    }

    // A name with a qualifier after a space is a license name.
    [Theory]
    [InlineData("weights/LICENSE (Apache)")]
    public void A_name_that_reads_as_LICENSE_over_weights_is_read(string path)
    {
        using var project = Derivative();
        project.File(path, Apache).Write();

        var result = Check(project);

        Assert.True(result.Diagnostics.Any(d => d.Code == "MGP6006" && d.Path == path), Scenarios.ScenarioRelease.Describe(result));
    }

    // A folder named LICENSES that holds weights is no REUSE folder: its LICENSE covers them.
    [Fact]
    public void A_LICENSE_in_a_folder_named_LICENSES_that_holds_weights_covers_them()
    {
        using var project = Derivative();
        Safetensors.Write(Path.Combine(project.Root, "licenses", "w.safetensors"), ("w.weight", "F32", [2, 2]));
        project.File("licenses/LICENSE", Apache).Write();

        var result = Check(project);

        Assert.True(result.Diagnostics.Any(d => d.Code == "MGP6006" && d.Path == "licenses/LICENSE" && d.Message.Contains("'licenses/w.safetensors'", StringComparison.Ordinal)), Scenarios.ScenarioRelease.Describe(result));
    }

    // Names in other cases and qualifiers that name the model are read as the rules say.
    [Theory]
    [InlineData("weights/adapter.safetensors.LICENSE", "SPDX-License-Identifier: Apache-2.0\n", "MGP6006")]
    [InlineData("weights/adapter.safetensors.license", "SPDX-License-Identifier: apache-2.0\n", "MGP6006")]
    [InlineData("weights/adapter.safetensors.license", "SPDX-License-Identifier: mg-by-sa-2.0\n", null)]
    [InlineData("weights/LICENSE-DATA-MODEL", Apache, "MGP6006")]
    [InlineData("weights/LICENSE_CODE_AND_WEIGHTS.md", Apache, "MGP6006")]
    [InlineData("weights/license", Apache, "MGP6006")]
    [InlineData("WEIGHTS/LICENSE", Apache, null)]
    [InlineData("weights/LICENSE-CODE", "MODIFIED", "MGP1001")]
    [InlineData("weights/LICENSE_HEADER.txt", "MODIFIED", "MGP1001")]
    public void Names_in_other_cases_and_model_qualifiers_are_read_as_the_rules_say(string path, string text, string? code)
    {
        using var project = Derivative();
        project.File(path, text == "MODIFIED" ? Modified : text).Write();

        var result = Check(project);

        var found = result.Diagnostics.Where(d => d.Code is "MGP6006" or "MGP1001" && d.Path == path).Select(d => d.Code).FirstOrDefault();
        Assert.True(code == found, Scenarios.ScenarioRelease.Describe(result));
    }

    // A full license text named as a header template is its folder's license: renaming LICENSE does not evade MGP6006.
    [Theory]
    [InlineData("weights/LICENSE.TEMPLATE")]
    [InlineData("weights/LICENSE-HEADER")]
    public void A_full_license_text_named_as_a_template_over_weights_is_MGP6006(string path)
    {
        using var project = Derivative();
        project.File(path, Apache + "\n   1. Definitions.\n\n      \"License\" shall mean the terms and conditions for use, reproduction,\n").Write();

        var result = Check(project);

        Assert.True(result.Diagnostics.Any(d => d.Code == "MGP6006" && d.Path == path), Scenarios.ScenarioRelease.Describe(result));
    }

    // GNU's COPYING.LIB (the LGPL text) in a third-party folder is a license text, not a native binary.
    [Fact]
    public void A_COPYING_LIB_text_is_not_a_native_binary()
    {
        using var project = new ModelProjectBuilder();
        project.File("third_party/libfoo/COPYING.LIB", Lgpl).File("third_party/libfoo/foo.c", "int x;\n").Write();

        var result = Check(project);

        Assert.True(result.Compliant, Scenarios.ScenarioRelease.Describe(result));
        Assert.Equal(Inspection.ArtifactRole.Notice, result.Artifacts.Single(a => a.Path == "third_party/libfoo/COPYING.LIB").Role);
    }

    // A relative link target spelt with a dot segment is judged as the file it names.
    [Theory]
    [InlineData("docs/../docs/TERMS.md")]
    [InlineData("docs/./TERMS.md")]
    public void A_link_to_an_Apache_terms_file_is_MGP6003(string link)
    {
        using var project = new ModelProjectBuilder();
        project.File("README.md", $"---\nlicense: other\nlicense_name: mg-by-sa-2.0\nlicense_link: {link}\n---\n# tiny-model\n\nA tiny model.\n")
            .File("docs/TERMS.md", Apache).Write();

        var result = Check(project);

        Assert.False(result.Compliant, Scenarios.ScenarioRelease.Describe(result));
        Assert.Contains(result.Diagnostics, d => d.Code == "MGP6003" && d.Message.Contains("(docs/TERMS.md is the Apache-2.0 license)", StringComparison.Ordinal));
    }

    private static string Superseded => LicenseText.Text.TrimStart('\uFEFF').Replace("Version 2.0, Dec 2025", "Version 2.0, May 2025", StringComparison.Ordinal);

    private static string Canonical => LicenseText.Text.TrimStart('\uFEFF');

    // A pointer that names the license by its full title is not a modified license text.
    [Theory]
    [InlineData("docs/LICENSE.md")]
    [InlineData("weights/LICENSE")]
    public void A_pointer_naming_the_MG_title_is_not_MGP1001(string path)
    {
        using var project = Derivative();
        project.File(path, "The files in this folder are licensed under the ModelGo Attribution-ShareAlike License, Version 2.0, Dec 2025 (MG-BY-SA-2.0). See ../LICENSE for the full text.\n").Write();

        var result = Check(project);

        Assert.False(result.Diagnostics.Any(d => d.Code is "MGP1001" or "MGP6006"), Scenarios.ScenarioRelease.Describe(result));
    }

    // A pointer or third-party listing that mentions another license in passing is not that license's text, and a
    // third-party license covers the third-party files the release holds (MGP6006 cannot be waived).
    [Theory]
    [InlineData("weights/LICENSE", "The weights in this folder are covered by the repository's LICENSE file (../LICENSE). The conversion script was adapted from llama.cpp, which is under the MIT License.\n")]
    [InlineData("weights/LICENSE.md", "Unlike the base model, which is released under the Apache License, Version 2.0, these weights are covered by the root LICENSE.\n")]
    [InlineData("LICENSE-THIRD-PARTY.txt", "This release bundles third-party components:\n\n- tokenizer/merges.txt from GPT-2, MIT License\n- scripts/convert.py from llama.cpp, MIT License\n")]
    [InlineData("LICENSE-THIRD-PARTY.txt", Apache)]
    public void A_text_mentioning_another_license_is_not_a_false_MGP6006(string path, string text)
    {
        using var project = Derivative();
        project.File(path, text).File("scripts/convert.py", "print(1)\n").Write();

        var result = Check(project);

        Assert.False(result.Diagnostics.Any(d => d.Code == "MGP6006"), Scenarios.ScenarioRelease.Describe(result));
    }

    // A full Apache text (after a copyright line) is the Apache license whatever it mentions later: MGP6006, not waivable.
    [Fact]
    public void Another_license_that_mentions_MG_later_is_still_MGP6006()
    {
        using var project = Derivative();
        project.File("weights/LICENSE", "Copyright 2026 Acme\n\n" + Apache + "\n   1. Definitions.\n\n   ...\n\nNote: the base model these weights were tuned from is under MG-BY-SA-2.0.\n").Write();

        var result = Check(project);

        Assert.True(result.Diagnostics.Any(d => d.Code == "MGP6006"), Scenarios.ScenarioRelease.Describe(result));
    }

    // A modified MG-BY-SA text with a one-line preamble that names another license: Section 6.
    [Theory]
    [InlineData(false, "docs/LICENSE")]
    [InlineData(true, "weights/LICENSE")]
    public void A_modified_MG_text_after_a_preamble_naming_MIT_is_MGP1001(bool derivative, string path)
    {
        using var project = derivative ? Derivative() : new ModelProjectBuilder();
        project.File(path, "The tokenizer files here come from GPT-2 and are under the MIT License. Everything else is under:\n\n" + Modified).Write();

        var result = Check(project);

        Assert.True(result.Diagnostics.Any(d => d.Code == "MGP1001" && d.Path == path), Scenarios.ScenarioRelease.Describe(result));
    }

    // The superseded May 2025 text after a copyright line.
    [Theory]
    [InlineData("docs/LICENSE")]
    [InlineData("LICENSE")]
    public void A_superseded_text_after_a_copyright_line_is_MGP1002(string path)
    {
        using var project = new ModelProjectBuilder();
        project.File(path, "Copyright 2026 Acme\n\n" + Superseded).Write();

        var result = Check(project);

        Assert.True(result.Diagnostics.Any(d => d.Code is "MGP1002" && d.Path == path), Scenarios.ScenarioRelease.Describe(result));
    }

    // An MG SPDX line beside a "Copyright" or SPDX- line that grants another license is no bare MG-BY-SA-2.0 header.
    [Theory]
    [InlineData("SPDX-License-Identifier: MG-BY-SA-2.0\nCopyright 2026 Acme. At your option you may instead use these weights under Apache-2.0.\n")]
    [InlineData("SPDX-License-Identifier: MG-BY-SA-2.0\nSPDX-FileComment: these weights are also offered under Apache-2.0\n")]
    [InlineData("# SPDX-License-Identifier: MG-BY-SA-2.0\n# (c) Acme -- dual licensed, Apache-2.0 at your option\n")]
    public void An_MG_SPDX_line_with_a_grant_on_a_copyright_line_is_not_canonical(string text)
    {
        using var project = Derivative();
        project.File("weights/LICENSE", text).Write();

        var result = Check(project);

        Assert.False(result.Compliant, Scenarios.ScenarioRelease.Describe(result));
    }

    // REUSE: MG-BY-SA-2.0 is no SPDX list id, so REUSE writes LicenseRef-MG-BY-SA-2.0 with its text in LICENSES/.
    [Fact]
    public void A_REUSE_LicenseRef_for_MG_with_the_canonical_text_is_not_MGP6006()
    {
        using var project = Derivative();
        project.File("weights/adapter.safetensors.license", "SPDX-FileCopyrightText: 2026 Acme\nSPDX-License-Identifier: LicenseRef-MG-BY-SA-2.0\n")
            .File("LICENSES/LicenseRef-MG-BY-SA-2.0.txt", Canonical).Write();

        var result = Check(project);

        Assert.False(result.Diagnostics.Any(d => d.Code == "MGP6006"), Scenarios.ScenarioRelease.Describe(result));
    }

    // SPDX line forms: in a code fence, indented, in lowercase.
    [Theory]
    [InlineData("weights/LICENSE.md", "```\nSPDX-License-Identifier: MG-BY-SA-2.0\n```\n")]
    [InlineData("weights/LICENSE", "    SPDX-License-Identifier: MG-BY-SA-2.0\n")]
    [InlineData("weights/LICENSE", "SPDX-License-Identifier: mg-by-sa-2.0\n")]
    public void An_MG_SPDX_line_in_common_forms_is_compliant(string path, string text)
    {
        using var project = Derivative();
        project.File(path, text).Write();

        var result = Check(project);

        Assert.True(result.Compliant, Scenarios.ScenarioRelease.Describe(result));
    }

    [Theory]
    [InlineData("weights/LICENSE", "SPDX-License-Identifier:\nSPDX-License-Identifier: Apache-2.0\n", "MGP6006")]
    [InlineData("weights/LICENSE", "```\nSPDX-License-Identifier: Apache-2.0\n```\n", "MGP6006")]
    [InlineData("weights/LICENSE", "SPDX-License-Identifier: MG-BY-SA-2.0+\n", "MGP6006")]
    [InlineData("weights/LICENSE", "SPDX-License-Identifier: (MG-BY-SA-2.0 OR\n    Apache-2.0)\n", "MGP6006")]
    [InlineData("weights/LICENSE", "SPDX-License-Identifier:\n", "MGP6008")]
    [InlineData("weights/LICENSE", "SPDX-License-Identifier: MG-BY-SA-2.0 # see ../LICENSE\n", "MGP6008")] // a comment may say more: a reader settles it
    public void Held_SPDX_forms(string path, string text, string code)
    {
        using var project = Derivative();
        project.File(path, text).Write();

        var result = Check(project);

        Assert.True(result.Diagnostics.Any(d => d.Code == code), Scenarios.ScenarioRelease.Describe(result));
    }

    // A part qualifier beside weights and their ordinary companions (a weight index, .gitattributes, config.yaml, a README) covers the weights.
    [Theory]
    [InlineData("weights/LICENSE-ASSETS", "weights/model.safetensors.index.json", "{\"weight_map\": {}}")]
    [InlineData("weights/LICENSE-SOURCE", "weights/config.yaml", "hidden: 4\n")]
    [InlineData("weights/LICENSE-ASSETS", "weights/.gitattributes", "*.safetensors filter=lfs\n")]
    [InlineData("weights/LICENSE-EXAMPLES", "weights/README.md", "# adapter\n")]
    public void A_part_license_beside_weights_and_their_companions_covers_the_weights(string path, string companion, string text)
    {
        using var project = Derivative();
        project.File(path, Apache).File(companion, text).Write();

        var result = Check(project);

        Assert.True(result.Diagnostics.Any(d => d.Code == "MGP6006" && d.Path == path), Scenarios.ScenarioRelease.Describe(result));
    }

    // The README (which the bundle generates) is no part a qualifier names: verify judges a root LICENSE-DOCS as check does.
    [Fact]
    public void Verify_and_check_agree_on_a_root_part_license()
    {
        using var project = Derivative();
        File.Delete(Path.Combine(project.Root, "README.md"));
        project.Write();
        var bundle = project.Pack(BundleFormat.Directory).OutputPath!;
        BundleFolder.Replace(bundle, "LICENSE-DOCS", Apache, rehash: true);

        using var check = Derivative();
        File.Delete(Path.Combine(check.Root, "README.md"));
        check.File("LICENSE-DOCS", Apache).Write();
        var checkResult = Check(check);

        var verified = ModelGoPackEngine.Verify(bundle);

        Assert.True(checkResult.Compliant == verified.Compliant, Scenarios.ScenarioRelease.Describe(checkResult) + "\n--- verify:\n" + string.Join("\n", verified.Diagnostics));
        Assert.Equal(checkResult.Diagnostics.Where(d => d.Code is "MGP6006" or "MGP1007").Select(d => d.Code), verified.Diagnostics.Where(d => d.Code is "MGP6006" or "MGP1007").Select(d => d.Code));
    }

    // A static library (an ar archive, "!<arch>") whose name starts like a notice is still a native binary.
    [Fact]
    public void A_static_library_named_like_a_notice_is_native_code()
    {
        using var project = new ModelProjectBuilder();
        project.Bytes("lib/licensecc_static.lib", [.. "!<arch>\n/               0           0     0     0       4         `\n\0\0\0\0"u8.ToArray()]).Write();

        var result = Check(project);

        Assert.True(result.Diagnostics.Any(d => d.Code == "MGP5007"), Scenarios.ScenarioRelease.Describe(result) + "|" + string.Join(",", ModelGoPackEngine.Inspect(new ProjectRequest { ProjectDirectory = project.Root }).Diagnostics.Select(d => d.Code)));
    }
}

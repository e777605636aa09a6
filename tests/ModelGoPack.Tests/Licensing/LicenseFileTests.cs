using System.Text.Json.Nodes;
using ModelGoPack.Diagnostics;
using ModelGoPack.Emit;
using ModelGoPack.Licensing;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// Every license file of a release, at any depth (LICENSE*, LICENCE*, COPYING*, *.license), and the model card's
/// license_link, are license statements. Section 6 bars a modified MG-BY-SA-2.0 text wherever it is (MGP1001); another
/// license covers its folder, which for a derivative's weights contradicts share-alike, clause 2.2(a)(vi) (MGP6006),
/// and is otherwise reported with what it covers (MGP1007); a license_link to another license is MGP6003.
/// </summary>
public sealed partial class LicenseFileTests
{
    private const string Apache = "                                 Apache License\n                           Version 2.0, January 2004\n                        http://www.apache.org/licenses/\n\n   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION\n";

    private const string Mit = "MIT License\n\nCopyright (c) 2026 Example\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n";

    private static string Modified => LicenseText.Text.Replace("royalty-free", "royalty-bearing", StringComparison.Ordinal);

    [Theory]
    [InlineData("weights/LICENSE")]
    [InlineData("docs/LICENCE.txt")]
    [InlineData("COPYING")]
    [InlineData("third_party/model.license")]
    public void A_modified_MG_BY_SA_text_anywhere_is_MGP1001_at_its_first_difference(string path)
    {
        using var project = new ModelProjectBuilder();
        project.File(path, Modified).Write();

        var result = Check(project);

        var d = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(("MGP1001", path), (d.Code, d.Path));
        Assert.Contains("royalty-bearing", d.Message, StringComparison.Ordinal);
        Assert.True(d.Line > 1);
    }

    [Fact]
    public void The_superseded_text_in_a_subfolder_is_MGP1002()
    {
        using var project = new ModelProjectBuilder();
        project.Bytes("legal/LICENSE-MG", File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "MG-BY-SA-2.0-May-2025.LICENSE"))).Write();

        var result = Check(project);

        Assert.Equal(("MGP1002", "legal/LICENSE-MG"), Only(result));
        Assert.StartsWith("legal/LICENSE-MG is the superseded MG-BY-SA \"Version 2.0, May 2025\" text. ", result.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_finds_a_modified_text_in_a_subfolder_of_a_received_bundle()
    {
        using var project = new ModelProjectBuilder();
        project.File("docs/LICENSE", LicenseText.Text).Write();
        var bundle = project.Pack(BundleFormat.Directory).OutputPath!;
        BundleFolder.Replace(bundle, "docs/LICENSE", Modified, rehash: true);

        var result = ModelGoPackEngine.Verify(bundle);

        Assert.False(result.Compliant);
        Assert.Equal(("MGP1001", "docs/LICENSE"), Only(result));
    }

    [Fact]
    public void Another_license_in_a_subfolder_of_an_original_is_reported_with_what_it_covers_not_an_error()
    {
        using (var alone = new ModelProjectBuilder())
        {
            alone.File("vendor/LICENSE", Apache).File("vendor/a.py", "x = 1\n").Write();
            Assert.Contains("it covers vendor/ (1 other file). ", Assert.Single(Check(alone).Diagnostics).Message, StringComparison.Ordinal);
        }

        using var project = new ModelProjectBuilder();
        project.File("third_party/tokenizers/LICENSE", Apache).File("third_party/tokenizers/lib.py", "x = 1\n").File("third_party/tokenizers/README.md", "tok\n").Write();

        var result = Check(project);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("MGP1007", Severity.Warning, "third_party/tokenizers/LICENSE"), (d.Code, d.Severity, d.Path));
        Assert.StartsWith("third_party/tokenizers/LICENSE is the Apache-2.0 license; it covers third_party/tokenizers/ (2 other files). ", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("derivative", "weights/LICENSE", "MGP6006")]
    [InlineData("extracted", "weights/COPYING", "MGP6006")]
    [InlineData("derivative", "LICENSE-APACHE", "MGP6006")]
    [InlineData("derivative", "scripts/LICENSE", "MGP1007")]
    [InlineData("original", "weights/LICENSE", "MGP1007")]
    public void Another_license_over_the_weights_of_a_derivative_or_extracted_model_contradicts_share_alike(string relation, string path, string code)
    {
        using var project = new ModelProjectBuilder();
        if (relation != "original")
        {
            project.Upstream("Base", relation, relation == "derivative" ? "fine-tuning" : "distillation");
        }

        if (relation == "derivative")
        {
            project.Modification("2026-05-01", "Fine-tuned");
        }

        Safetensors.Write(Path.Combine(project.Root, "weights", "adapter.safetensors"), ("lora.weight", "F32", [4, 4]));
        project.File("scripts/train.py", "print(1)\n").File(path, Apache).Write();

        var result = Check(project);

        var d = Assert.Single(result.Diagnostics, d => d.Code is "MGP6006" or "MGP1007");
        Assert.Equal((code, path), (d.Code, d.Path));
        Assert.Equal(code == "MGP6006", !result.Compliant);
        if (code == "MGP6006")
        {
            Assert.Contains("is the Apache-2.0 license, and it covers ", d.Message, StringComparison.Ordinal);
            Assert.Contains("'weights/adapter.safetensors'", d.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_license_over_many_weight_files_names_three_and_counts_the_rest()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Base", "extracted", "distillation");
        foreach (var i in Enumerable.Range(1, 5))
        {
            Safetensors.Write(Path.Combine(project.Root, "weights", $"part{i}.safetensors"), ("w.weight", "F32", [2, 2]));
        }

        project.File("weights/LICENSE", Apache).Write();

        var d = Assert.Single(Check(project).Diagnostics, d => d.Code == "MGP6006");

        Assert.Contains("holds the model weights 'weights/part1.safetensors', 'weights/part2.safetensors', 'weights/part3.safetensors' and 2 more; this project is an Extracted Model of an MG-BY-SA-2.0 model. ", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SPDX-License-Identifier: MIT\nSPDX-FileCopyrightText: 2026 Example\n", "MGP1007")]
    [InlineData("# SPDX-License-Identifier: GPL-3.0-only\n", "MGP1007")]
    [InlineData("SPDX-License-Identifier: MG-BY-SA-2.0\n", null)]
    [InlineData("Some notes about licensing.\n", "MGP1008")]
    [InlineData("SPDX-License-Identifier: MIT\n", "MGP1007")]
    public void A_REUSE_license_file_is_the_license_its_SPDX_line_names_and_an_unknown_text_is_a_note(string text, string? code)
    {
        using var project = new ModelProjectBuilder();
        project.File("model.safetensors.license", text).Write();

        var result = Check(project);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        Assert.Equal(code, result.Diagnostics.SingleOrDefault()?.Code);
        if (code == "MGP1007")
        {
            Assert.Contains($"model.safetensors.license is the {text.Split(':')[1].Split('\n')[0].Trim()} license; it covers model.safetensors, the file it annotates. ", result.Diagnostics[0].Message, StringComparison.Ordinal);
        }
        else if (code == "MGP1008")
        {
            Assert.StartsWith("model.safetensors.license is named like a license file, but ModelGoPack does not recognise its text; it would cover model.safetensors. ", result.Diagnostics[0].Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("banner.png.license", "MGP1007", "; it covers banner.png, the file it annotates. ")]
    [InlineData("weights/notes.txt.license", "MGP1007", "; it covers weights/notes.txt, the file it annotates. ")]
    [InlineData("weights/adapter.safetensors.license", "MGP6006", ", and it covers the model weights 'weights/adapter.safetensors'; this project is Derivative Materials of an MG-BY-SA-2.0 model. ")]
    [InlineData("weights/gone.png.license", "MGP1008", " of weights/gone.png, a file the release does not hold; it covers no file. ")]
    public void A_REUSE_license_file_covers_the_file_it_annotates_not_its_folder(string path, string code, string says)
    {
        using var project = Derivative();
        project.Bytes("banner.png", [0x89, 0x50, 0x4E, 0x47]).File("weights/notes.txt", "notes\n")
            .File(path, "SPDX-FileCopyrightText: 2026 Photographer\nSPDX-License-Identifier: CC-BY-4.0\n").Write();

        var result = Check(project);

        var d = Assert.Single(LicenseFindings(result));
        Assert.Equal((code, path, 2), (d.Code, d.Path, d.Line));
        Assert.StartsWith($"{path} is the CC-BY-4.0 license{says}", d.Message, StringComparison.Ordinal);
        Assert.Equal(code != "MGP6006", result.Compliant);
    }

    [Theory]
    [InlineData("LICENSE_HEADER.txt", "// SPDX-License-Identifier: Apache-2.0\n", 1)]
    [InlineData("weights/license-template.md", "Copyright 2026 Example\n  -- SPDX-License-Identifier: Apache-2.0  \r\n", 2)]
    [InlineData("weights/COPYING.BOILERPLATE", "Copyright 2026 Example\n\nLicensed under the Apache License, Version 2.0 (the \"License\");\nyou may not use this file except in compliance with the License.\n", 1)]
    [InlineData("weights/LICENSE_HEADERS.txt", "# SPDX-License-Identifier: Apache-2.0\n", 1)]
    [InlineData("weights/license.templates", "# SPDX-License-Identifier: Apache-2.0\n", 1)]
    public void A_license_header_template_licenses_no_folder_whatever_its_text(string path, string text, int line)
    {
        using var project = Derivative();
        project.File(path, text).Write();

        var result = Check(project);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        var d = Assert.Single(LicenseFindings(result));
        Assert.Equal(("MGP1007", path, line), (d.Code, d.Path, d.Line));
        Assert.StartsWith($"{path} is a template of the Apache-2.0 license header that source files carry: it licenses no folder, only the files that carry the header. ", d.Message, StringComparison.Ordinal);
    }


    // A short text ModelGoPack does not recognise, holding a copyright line, named as a header's template, is that
    // template: a note. Without the copyright line, or long, it is a text over the weights (MGP6008).
    [Theory]
    [InlineData("weights/LICENSE_HEADER.txt", "/*\n * Copyright (c) {year} {owner}. All rights reserved.\n * Proprietary and confidential.\n */\n", "MGP1008")]
    [InlineData("weights/LICENSE_HEADER.txt", "/*\n * Proprietary and confidential.\n */\n", "MGP6008")]
    [InlineData("weights/LICENSE_TEMPLATE.txt", "Copyright (c) {year} {owner}.\n", "MGP1008")]
    public void An_unrecognised_header_template_is_a_note_only_when_it_looks_like_a_header(string path, string text, string code)
    {
        using var project = Derivative();
        project.File(path, text).Write();

        var d = Assert.Single(LicenseFindings(Check(project)));

        Assert.Equal((code, path), (d.Code, d.Path));
        Assert.Equal(code == "MGP1008", d.Message.Contains("it would cover the files that carry the header.", StringComparison.Ordinal));
    }

    // REUSE keeps license texts in LICENSES/ and says in each file's SPDX line which one licenses it: such a text
    // licenses no folder, but it is a license text, and a modified MG-BY-SA-2.0 one breaches Section 6.
    [Theory]
    [InlineData("LICENSES/Apache-2.0.txt", "MGP1007", true)]
    [InlineData("weights/LICENSES/Apache-2.0", "MGP1007", true)]
    [InlineData("weights/licenses/MG-BY-SA-2.0.txt", "MGP1001", false)]
    [InlineData("weights/LICENSES/notes.md", "MGP1008", true)]
    public void A_REUSE_LICENSES_text_licenses_no_folder_but_is_judged_as_a_license_text(string path, string code, bool compliant)
    {
        using var project = Derivative();
        project.File(path, code switch { "MGP1001" => Modified, "MGP1008" => "Some notes about licensing.\n", _ => Apache }).Write();

        var result = Check(project);

        Assert.Equal(compliant, result.Compliant);
        var d = Assert.Single(result.Diagnostics, d => d.Code is "MGP1001" or "MGP1007" or "MGP1008" or "MGP6006");
        Assert.Equal((code, path), (d.Code, d.Path));
        if (code != "MGP1001")
        {
            Assert.EndsWith("the files that name it in an SPDX-License-Identifier line. " + (code == "MGP1007" ? DiagnosticCatalog.PartUnderOtherLicense.Help : DiagnosticCatalog.LicenseFileUnidentified.Help), d.Message, StringComparison.Ordinal);
            Assert.Equal(code == "MGP1007", d.Message.StartsWith($"{path} is the Apache-2.0 license text of a REUSE LICENSES folder: it licenses no folder, only ", StringComparison.Ordinal));
        }
    }

    // Share-alike (2.2(a)(vi)) asks what the weights are licensed under: a text over them the tool cannot read may say
    // anything, so it is an error a reviewer who read it can waive, never a note that passes.
    [Theory]
    [InlineData("weights/LICENSE", true, "it covers weights/, which holds the model weights 'weights/adapter.safetensors'; this project is Derivative Materials of an MG-BY-SA-2.0 model. ")]
    [InlineData("weights/adapter.safetensors.license", true, "it covers the model weights 'weights/adapter.safetensors'; this project is Derivative Materials of an MG-BY-SA-2.0 model. ")]
    [InlineData("LICENCE.rst", true, "it covers the whole release, which holds the model weights 'model.safetensors', 'weights/adapter.safetensors'; ")]
    [InlineData("docs/LICENSE", false, "it would cover docs/. ")]
    [InlineData("weights/LICENSE-CODE", false, "it would cover the CODE of weights/. ")]
    [InlineData("weights/LICENSE_HEADER.txt", true, "it covers weights/, which holds the model weights 'weights/adapter.safetensors'; ")] // no header: no copyright line
    public void An_unrecognised_text_over_a_derivatives_weights_is_MGP6008_and_elsewhere_MGP1008(string path, bool weights, string says)
    {
        using var project = Derivative();
        project.File(path, "These files are shared for research. Ask us before you use them.\n").File("docs/guide.md", "# Guide\n").File("weights/convert.py", "x = 1\n").Write();

        var result = Check(project);

        var d = Assert.Single(LicenseFindings(result));
        Assert.Equal((weights ? "MGP6008" : "MGP1008", path, weights ? Severity.Error : Severity.Info), (d.Code, d.Path, d.Severity));
        Assert.StartsWith($"{path} is named like a license file, but ModelGoPack does not recognise its text", d.Message, StringComparison.Ordinal);
        Assert.Contains(says, d.Message, StringComparison.Ordinal);
        Assert.Equal(!weights, result.Compliant);
    }

    [Fact]
    public void An_unrecognised_text_over_an_original_models_weights_is_a_note()
    {
        using var project = new ModelProjectBuilder();
        project.File("LICENSE-WEIGHTS", "These files are shared for research.\n").Write();

        var result = Check(project);

        Assert.True(result.Compliant);
        Assert.Equal(("MGP1008", "LICENSE-WEIGHTS"), (Assert.Single(LicenseFindings(result)).Code, result.Diagnostics.Single(d => d.Code == "MGP1008").Path));
    }

    [Fact]
    public void A_reviewer_who_read_the_text_waives_MGP6008()
    {
        using var project = Derivative();
        project.File("weights/LICENSE", "Released under the same terms as the model: see ../LICENSE.\n");
        project.Config["waivers"] = new JsonArray(new JsonObject { ["code"] = "MGP6008", ["path"] = "weights/LICENSE", ["justification"] = "It points to the MG-BY-SA-2.0 LICENSE (read 2026-12-05)." });
        project.Write();

        var result = Check(project);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP6008" && d.Severity == Severity.Error);
    }

    // A plain LICENSE whose only content is an SPDX line is the file a reader of the folder looks for: it licenses the
    // folder as a full text would, and over a derivative's weights that is share-alike broken (2.2(a)(vi)).
    [Theory]
    [InlineData("weights/LICENSE", "\n\n# SPDX-License-Identifier: Apache-2.0\n", 3)]
    [InlineData("weights/COPYING", "Copyright 2026 Example\n  -- SPDX-License-Identifier: Apache-2.0  \r\nAll rights granted.\n", 2)]
    [InlineData("weights/LICENSE-APACHE.txt", "SPDX-License-Identifier: Apache-2.0\n", 1)]
    public void A_license_named_only_by_an_SPDX_line_licenses_its_folder(string path, string text, int line)
    {
        using var project = Derivative();
        project.File(path, text).Write();

        var result = Check(project);

        Assert.False(result.Compliant);
        var d = Assert.Single(LicenseFindings(result));
        Assert.Equal(("MGP6006", path, line), (d.Code, d.Path, d.Line));
        Assert.StartsWith($"{path} is the Apache-2.0 license, and it covers weights/, which holds the model weights 'weights/adapter.safetensors'; ", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LICENSE-CODE", "MGP1007", "; its name limits it to the CODE of the whole release. ")]
    [InlineData("weights/license_scripts.md", "MGP1007", "; its name limits it to the scripts of weights/. ")]
    [InlineData("COPYING.DATA", "MGP1007", "; its name limits it to the DATA of the whole release. ")]
    [InlineData("weights/LICENSE-CODE-MIT.txt", "MGP1007", "; its name limits it to the CODE of weights/. ")]
    [InlineData("LICENSE-MODEL", "MGP6006", ", and it covers the whole release, which holds the model weights 'model.safetensors', 'weights/adapter.safetensors'; ")]
    [InlineData("weights/LICENSE-WEIGHTS.txt", "MGP6006", ", and it covers weights/, which holds the model weights 'weights/adapter.safetensors'; ")]
    [InlineData("LICENSE-MODEL-CODE", "MGP6006", ", and it covers the whole release, which holds ")]
    [InlineData("weights/LICENSE.Apache-2.0", "MGP6006", ", and it covers weights/, which holds ")]
    [InlineData("weights/LICENSE-DOCS", "MGP6006", ", and it covers weights/, which holds ")] // weights/ holds no documents: the weights are what it covers
    [InlineData("weights/LICENSE_DATA.md", "MGP6006", ", and it covers weights/, which holds ")]
    public void A_license_name_qualified_by_a_part_of_the_release_covers_that_part_of_its_folder(string path, string code, string says)
    {
        using var project = Derivative();
        project.File("train.py", "print(1)\n").File("weights/convert.py", "print(2)\n").File("data/sample.jsonl", "{}\n").File(path, Mit).Write();

        var result = Check(project);

        var d = Assert.Single(LicenseFindings(result));
        Assert.Equal((code, path, 1), (d.Code, d.Path, d.Line));
        Assert.StartsWith($"{path} is the MIT license{says}", d.Message, StringComparison.Ordinal);
        Assert.Equal(code != "MGP6006", result.Compliant);
    }

    [Theory]
    [InlineData("docs/LICENSE-DOCS", "the DOCS of docs/")]
    [InlineData("scripts/COPYING-CODE.license", "scripts/COPYING-CODE")]
    public void A_qualified_license_name_of_an_unknown_text_would_cover_its_part(string path, string covers)
    {
        using var project = Derivative();
        project.File(path, "Some notes about licensing.\n").File("docs/guide.md", "# Guide\n").Write();

        var d = Assert.Single(LicenseFindings(Check(project)));

        Assert.Equal(("MGP1008", path), (d.Code, d.Path));
        Assert.StartsWith($"{path} is named like a license file, but ModelGoPack does not recognise its text; it would cover {covers}. ", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("weights/license.ts", "// SPDX-License-Identifier: MIT\nexport const license = 'MIT';\n")]
    [InlineData("weights/LICENSE.py", "# SPDX-License-Identifier: MIT\nLICENSE = 'MIT'\n")]
    [InlineData("weights/licence_check.go", "// SPDX-License-Identifier: MIT\npackage main\n")]
    public void A_code_file_named_like_a_license_is_not_read_as_one(string path, string text)
    {
        using var project = Derivative();
        project.File(path, text).Write();

        var result = Check(project);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        Assert.Empty(LicenseFindings(result));
    }

    [Fact]
    public void Each_license_file_counts_the_files_and_weights_of_its_own_folder_and_those_below_it()
    {
        using var project = Derivative();
        Safetensors.Write(Path.Combine(project.Root, "weights", "a", "b", "x.safetensors"), ("w.weight", "F32", [2, 2]));
        Safetensors.Write(Path.Combine(project.Root, "weights", "z.safetensors"), ("w.weight", "F32", [2, 2]));
        project.File("weights/LICENSE", Apache).File("weights/a/LICENSE", Apache).File("weights/a/b/c/LICENSE", Apache).File("weights/a/b/c/readme.txt", "c\n")
            .File("vendor/LICENSE", Apache).File("vendor/a.py", "x = 1\n").File("vendor/lib/LICENSE", Apache).File("vendor/lib/COPYING", Apache)
            .File("vendor/lib/b.py", "x = 1\n").File("vendor/lib/deep/c.py", "x = 1\n").Write();

        var messages = LicenseFindings(Check(project)).ToDictionary(d => d.Path!, d => $"{d.Code} {d.Message}");

        Assert.Equal(6, messages.Count);
        Assert.StartsWith("MGP6006 weights/LICENSE is the Apache-2.0 license, and it covers weights/, which holds the model weights 'weights/a/b/x.safetensors', 'weights/adapter.safetensors', 'weights/z.safetensors'; ", messages["weights/LICENSE"], StringComparison.Ordinal);
        Assert.StartsWith("MGP6006 weights/a/LICENSE is the Apache-2.0 license, and it covers weights/a/, which holds the model weights 'weights/a/b/x.safetensors'; ", messages["weights/a/LICENSE"], StringComparison.Ordinal);
        Assert.StartsWith("MGP1007 weights/a/b/c/LICENSE is the Apache-2.0 license; it covers weights/a/b/c/ (1 other file). ", messages["weights/a/b/c/LICENSE"], StringComparison.Ordinal);
        Assert.StartsWith("MGP1007 vendor/LICENSE is the Apache-2.0 license; it covers vendor/ (5 other files). ", messages["vendor/LICENSE"], StringComparison.Ordinal);
        Assert.StartsWith("MGP1007 vendor/lib/LICENSE is the Apache-2.0 license; it covers vendor/lib/ (3 other files). ", messages["vendor/lib/LICENSE"], StringComparison.Ordinal);
        Assert.StartsWith("MGP1007 vendor/lib/COPYING is the Apache-2.0 license; it covers vendor/lib/ (3 other files). ", messages["vendor/lib/COPYING"], StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_judges_a_REUSE_file_and_a_qualified_name_of_a_received_bundle_as_check_does()
    {
        using var project = new ModelProjectBuilder();
        project.File("model.safetensors.license", "SPDX-License-Identifier: MIT\n").File("LICENSE-CODE", Mit).File("train.py", "print(1)\n").Write();
        var bundle = project.Pack(BundleFormat.Directory).OutputPath!;

        var found = LicenseFindings(ModelGoPackEngine.Verify(bundle)).Select(d => (d.Code, d.Path)).Order().ToList();

        Assert.Equal([("MGP1007", "LICENSE-CODE"), ("MGP1007", "model.safetensors.license")], found);
    }

    [Theory]
    [InlineData("https://www.apache.org/licenses/LICENSE-2.0", "the address of the Apache-2.0 license")]
    [InlineData("http://apache.org/licenses/LICENSE-2.0.txt", "the address of the Apache-2.0 license")]
    [InlineData("https://opensource.org/licenses/MIT", "the address of the MIT license")]
    [InlineData("https://opensource.org/license/apache-2-0/", "the address of the apache-2-0 license")]
    [InlineData("https://creativecommons.org/licenses/by-nc/4.0/", "the address of the CC-BY-NC-4.0 license")]
    [InlineData("https://creativecommons.org/licenses/by-sa/4.0/legalcode", "the address of the CC-BY-SA-4.0 license")]
    [InlineData("https://spdx.org/licenses/Llama-3.html", "the address of the Llama-3 license")]
    [InlineData("docs/LICENSE-MIT", "docs/LICENSE-MIT is the MIT license")]
    [InlineData("./docs/LICENSE-MIT", "docs/LICENSE-MIT is the MIT license")]
    [InlineData("https://huggingface.co/org/tiny-model/blob/main/docs/LICENSE-MIT", "docs/LICENSE-MIT is the MIT license")]
    [InlineData("https://hub.HuggingFace.co/Org/TINY-MODEL/raw/v1/docs/LICENSE-MIT", "docs/LICENSE-MIT is the MIT license")]
    [InlineData("docs/TERMS.md", "docs/TERMS.md is not the MG-BY-SA-2.0 text")]
    public void A_license_link_to_another_license_is_MGP6003_at_its_line(string link, string says)
    {
        using var project = Card(link);
        project.File("docs/LICENSE-MIT", Mit).File("docs/TERMS.md", "You may do anything.\n").Write();

        var d = Assert.Single(Check(project).Diagnostics, d => d.Code == "MGP6003");

        Assert.StartsWith($"README.md's front matter says 'license_link: {link}' ({says}). ", d.Message, StringComparison.Ordinal);
        Assert.Equal(("README.md", 4), (d.Path, d.Line));
    }

    [Theory]
    [InlineData("LICENSE")]
    [InlineData("./LICENSE")]
    [InlineData("https://huggingface.co/org/tiny-model/blob/main/LICENSE")]
    [InlineData("docs/MG-LICENSE.txt")]
    [InlineData("https://example.org/modelgo/MG-BY-SA-2.0")]
    [InlineData("https://huggingface.co/base-org/Base/blob/main/LICENSE.md")]
    [InlineData("https://huggingface.co/ModelGo/licenses/blob/main/docs/LICENSE-MIT")]
    [InlineData("https://evilhuggingface.co/org/tiny-model/blob/main/docs/NO-SUCH-FILE")]
    public void A_license_link_to_the_MG_BY_SA_text_or_an_unknown_address_passes(string link)
    {
        using var project = Card(link);
        project.File("LICENSE", LicenseText.Text).File("docs/MG-LICENSE.txt", LicenseText.Text).Write();

        var result = Check(project);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
    }

    [Theory]
    [InlineData("license:\n  - other\n  - apache-2.0", false, "'license: apache-2.0'.")]
    [InlineData("license: other\nlicense_name: llama3", false, "'license_name: llama3'.")]
    [InlineData("license: mit", true, "'license: mit'. A derivative or Extracted Model must be licensed under MG-BY-SA-2.0 (clause 2.2(a)(vi)). ")]
    [InlineData("license:\n  - other\nlicense_link: https://opensource.org/licenses/MIT", true, "'license_link: https://opensource.org/licenses/MIT' (the address of the MIT license). A derivative")]
    public void The_card_names_the_license_it_states_and_a_derivative_is_told_of_share_alike(string frontMatter, bool derivative, string says)
    {
        using var project = new ModelProjectBuilder();
        if (derivative)
        {
            project.Upstream("Base", "derivative", "fine-tuning").Modification("2026-05-01", "Fine-tuned");
        }

        project.File("README.md", $"---\n{frontMatter}\n---\n# tiny-model\n").Write();

        var d = Assert.Single(Check(project).Diagnostics, d => d.Code == "MGP6003");

        Assert.Contains($"README.md's front matter says {says}", d.Message, StringComparison.Ordinal);
        Assert.Equal(derivative, d.Message.Contains("A derivative or Extracted Model must", StringComparison.Ordinal));
    }

    [Fact]
    public void A_license_link_to_a_file_the_release_does_not_hold_is_MGP6007()
    {
        using var project = Card("docs/NO-SUCH-FILE");
        project.Write();

        var d = Assert.Single(Check(project).Diagnostics);

        Assert.Equal(("MGP6007", "README.md", 4), (d.Code, d.Path, d.Line));
        Assert.StartsWith("README.md's front matter says 'license_link: docs/NO-SUCH-FILE', but the release holds no file 'docs/NO-SUCH-FILE'. ", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_reads_the_license_link_of_a_received_card()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var bundle = project.Pack(BundleFormat.Directory).OutputPath!;
        var card = File.ReadAllText(Path.Combine(bundle, "README.md")).Replace("license_link: LICENSE", "license_link: https://www.apache.org/licenses/LICENSE-2.0", StringComparison.Ordinal);
        Assert.Contains("apache.org", card, StringComparison.Ordinal);
        BundleFolder.Replace(bundle, "README.md", card, rehash: true);

        Assert.Equal(("MGP6003", "README.md"), Only(ModelGoPackEngine.Verify(bundle)));
    }

    // The config knows the model's name, not its Hub id: a repo named otherwise may be the project's own.
    [Theory]
    [InlineData("https://huggingface.co/base-org/Base/blob/main/docs/LICENSE.md", "tiny-model", false)] // the upstream's file
    [InlineData("https://huggingface.co/someone/base/blob/main/docs/LICENSE.md", "tiny-model", false)] // the upstream's, by its name in any case
    [InlineData("https://huggingface.co/ModelGo/licenses/blob/main/docs/NOTICE.md", "tiny-model", false)] // elsewhere: the release holds no such file
    [InlineData("https://huggingface.co/acme/tiny-model-v2/blob/main/docs/LICENSE.md", "tiny-model", true)] // its own repo, named otherwise
    [InlineData("https://huggingface.co/acme/tiny-model/blob/main/docs/LICENSE.md", "Tiny.Model", true)] // its own repo, named otherwise
    [InlineData("https://huggingface.co/acme/Tiny-Model/blob/main/docs/LICENSE.md", "tiny_model", true)]
    public void A_Hub_license_link_is_judged_unless_it_is_an_upstreams_file_or_one_the_release_does_not_hold(string link, string name, bool judged)
    {
        using var project = new ModelProjectBuilder(name);
        project.File("README.md", $"---\nlicense: other\nlicense_name: mg-by-sa-2.0\nlicense_link: {link}\n---\n# {name}\n\nA tiny model.\n")
            .Upstream("Base", "derivative", "fine-tuning").Modification("2026-02-01", "Fine-tuned").File("docs/LICENSE.md", Mit).Write();

        var result = Check(project);

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP6007");
        Assert.True(judged == result.Diagnostics.Any(d => d.Code == "MGP6003" && d.Message.Contains("(docs/LICENSE.md is the MIT license)", StringComparison.Ordinal)), string.Join("\n", result.Diagnostics));
        Assert.Equal(!judged, result.Compliant);
    }

    [Theory]
    [InlineData("https://huggingface.co/acme/tiny-model/blob/main/docs/GONE.md", "tiny-model", true)]
    [InlineData("https://huggingface.co/acme/TINY-MODEL/raw/v1/docs/GONE.md", "Tiny_Model", true)]
    [InlineData("https://huggingface.co/acme/tiny-model-v2/blob/main/docs/GONE.md", "tiny-model", false)]
    [InlineData("https://huggingface.co/ModelGo/licenses/blob/main/docs/GONE.md", "tiny-model", false)]
    public void A_missing_Hub_file_is_MGP6007_only_in_the_projects_own_repo(string link, string name, bool missing)
    {
        using var project = new ModelProjectBuilder(name);
        project.File("README.md", $"---\nlicense: other\nlicense_name: mg-by-sa-2.0\nlicense_link: {link}\n---\n# {name}\n\nA tiny model.\n").Write();

        var result = Check(project);

        Assert.Equal(missing, result.Diagnostics.Any(d => d.Code == "MGP6007" && d.Message.EndsWith("but the release holds no file 'docs/GONE.md'. " + DiagnosticCatalog.LicenseLinkMissing.Help, StringComparison.Ordinal)));
        Assert.Equal(missing ? 1 : 0, result.Diagnostics.Count);
    }

    // A derivative with weights in weights/ beside the root's model.safetensors.
    private static ModelProjectBuilder Derivative()
    {
        var project = new ModelProjectBuilder();
        project.Upstream("Base", "derivative", "fine-tuning").Modification("2026-02-01", "Fine-tuned");
        Safetensors.Write(Path.Combine(project.Root, "weights", "adapter.safetensors"), ("lora.weight", "F32", [4, 4]));
        return project;
    }

    private static List<Diagnostic> LicenseFindings(CheckResult result) => [.. result.Diagnostics.Where(d => d.Code is "MGP1007" or "MGP1008" or "MGP6006" or "MGP6008")];

    private static ModelProjectBuilder Card(string link)
    {
        var project = new ModelProjectBuilder();
        project.File("README.md", $"---\nlicense: other\nlicense_name: mg-by-sa-2.0\nlicense_link: {link}\n---\n# tiny-model\n\nA tiny model.\n");
        return project;
    }

    private static CheckResult Check(ModelProjectBuilder project) => ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

    private static (string, string?) Only(CheckResult result)
    {
        var d = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        return (d.Code, d.Path);
    }
}

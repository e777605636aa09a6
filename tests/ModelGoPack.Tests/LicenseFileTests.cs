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
public sealed class LicenseFileTests
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
        Rewrite(bundle, "docs/LICENSE", Modified);

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
            Assert.Contains($"model.safetensors.license is the {text.Split(':')[1].Split('\n')[0].Trim()} license; it covers the whole release (", result.Diagnostics[0].Message, StringComparison.Ordinal);
        }
        else if (code == "MGP1008")
        {
            Assert.StartsWith("model.safetensors.license is named like a license file, but ModelGoPack does not recognise its text; it would cover the whole release. ", result.Diagnostics[0].Message, StringComparison.Ordinal);
        }
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
        Rewrite(bundle, "README.md", card);

        Assert.Equal(("MGP6003", "README.md"), Only(ModelGoPackEngine.Verify(bundle)));
    }

    // Changes a file of a folder bundle and lists its new digest, as a publisher who edited it by hand would.
    private static void Rewrite(string bundle, string path, string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        File.WriteAllBytes(Path.Combine(bundle, path), bytes);
        var manifestPath = Path.Combine(bundle, "modelgo-manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        var entry = manifest["files"]!.AsArray().OfType<JsonObject>().Single(f => (string?)f["path"] == path);
        entry["size"] = bytes.Length;
        entry["sha256"] = Bundle.Sha256(bytes);
        File.WriteAllText(manifestPath, manifest.ToJsonString());
    }

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

/// <summary>The parts of license-file discovery a publisher cannot see directly: which files, which link targets, which addresses.</summary>
public sealed class LicenseFileDiscoveryTests
{
    [Fact]
    public void Other_license_files_are_every_license_name_but_the_root_copy_and_the_link_target_in_ordinal_order()
    {
        var card = Inspection.ModelCard.Parse("---\nlicense_link: docs/terms.md\n---\n# m\n");
        string[] paths = ["z/COPYING", "LICENSE", "LICENSE.md", "a/LICENSE-MIT", "docs/terms.md", "docs/other.md", "b/x.license", "licenses/README.md", "LICENSE_HEADER.txt",
            "license_plate_detector.safetensors", "src/license_check.py", "LICENSEE.md", "copyright.txt"];

        Assert.Equal(["LICENSE_HEADER.txt", "a/LICENSE-MIT", "b/x.license", "docs/terms.md", "z/COPYING"], Evaluation.LicenseFileRules.OtherLicenseFiles(paths, card));
        Assert.Equal(["LICENSE_HEADER.txt", "a/LICENSE-MIT", "b/x.license", "z/COPYING"], Evaluation.LicenseFileRules.OtherLicenseFiles(paths, null));
    }

    [Theory]
    [InlineData("LICENSE", "LICENSE")]
    [InlineData("./././docs/LICENSE.md", "docs/LICENSE.md")]
    [InlineData("LICENSE#terms", "LICENSE")]
    [InlineData("LICENSE?plain=1", "LICENSE")]
    [InlineData("https://huggingface.co/org/m/resolve/v1.0/LICENSE", "LICENSE")]
    [InlineData("https://huggingface.co/org/m/blob/main/docs/My%20License.txt", "docs/My License.txt")]
    [InlineData("https://example.org/org/m/blob/main/LICENSE", null)]
    [InlineData("https://huggingface.co/org/m", null)]
    [InlineData("ftp://example.org/LICENSE", null)]
    [InlineData("file:///etc/passwd", null)]
    [InlineData("/etc/passwd", null)]
    [InlineData("#license", null)]
    [InlineData("../LICENSE", null)]
    [InlineData("?x", null)]
    public void A_license_link_names_a_release_file_only_by_a_relative_path_or_a_Hub_url_of_the_repo(string link, string? path) =>
        Assert.Equal(path, Evaluation.LicenseFileRules.LinkedPath(Inspection.ModelCard.Parse($"---\nlicense_link: \"{link}\"\n---\n# m\n")));

    [Theory]
    [InlineData("https://choosealicense.com/licenses/mit/", "mit")]
    [InlineData("https://www.apache.org/licenses/LICENSE-2.0.html", "Apache-2.0")]
    [InlineData("https://opensource.org/licenses/BSD-3-Clause.php", "BSD-3-Clause")]
    [InlineData("https://creativecommons.org/licenses/by-nc-sa/4.0/deed.en", "CC-BY-NC-SA-4.0")]
    [InlineData("https://www.apache.org/foundation/", null)]
    [InlineData("https://creativecommons.org/publicdomain/zero/1.0/", null)]
    [InlineData("https://example.org/licenses/MIT", null)]
    [InlineData("LICENSE", null)]
    [InlineData("mailto:legal@example.org", null)]
    public void Well_known_license_addresses_are_named(string link, string? license) =>
        Assert.Equal(license, Evaluation.LicenseFileRules.LinkedLicense(link));
}

/// <summary>A model whose files only start with the word "license" is not a license file, nor read as one.</summary>
public sealed class LicenseNameTests
{
    [Fact]
    public void A_license_plate_detector_is_not_a_license_file()
    {
        using var project = new ModelProjectBuilder("license-plate-detector");
        File.Delete(Path.Combine(project.Root, "model.safetensors"));
        Safetensors.Write(Path.Combine(project.Root, "license_plate_detector.safetensors"), ("backbone.weight", "F32", [1200, 1000]));
        project.File("license_plate.py", "print('detect')\n").Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
    }
}

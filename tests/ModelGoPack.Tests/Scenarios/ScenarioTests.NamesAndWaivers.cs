using System.Text.Json.Nodes;
using ModelGoPack.Diagnostics;
using ModelGoPack.Tests.Support;
using static ModelGoPack.Tests.Scenarios.ScenarioRelease;
using static ModelGoPack.Tests.Support.BundleFolder;

namespace ModelGoPack.Tests.Scenarios;

/// <summary>Scenarios of Section 2.3 (the licensor's name) and of waivers, and the rest of the scenarios after them.</summary>
public sealed partial class ScenarioTests
{
    // §2.3: "You shall not refer to the Licensor or use the Licensor's ... trade names ... for any publicity ... without
    // the Licensor's prior written consent." The card's title is the model's headline. Breach of §2.3.
    [Fact]
    public void Licensor_name_in_the_card_title_without_consent_breaches_2_3()
    {
        using var project = FineTune();
        project.File("README.md", Card.Replace("# Acme Tiny Chat", $"# {Licensor} Tiny Chat: the official small {Licensor} model", StringComparison.Ordinal));

        Breach(Check(project), 7);
    }

    // §2.3: the package's Title, shown by every feed, is publicity too. Breach of §2.3.
    [Fact]
    public void Licensor_name_in_the_package_Title_without_consent_breaches_2_3()
    {
        using var project = FineTune();

        Breach(Check(project, publicity: new Dictionary<string, string> { ["Title"] = $"{Licensor} Tiny Chat" }), 7);
    }

    // §2.3 allows the use with "the Licensor's prior written consent": the consent is recorded as a waiver with its
    // justification. Compliant.
    [Fact]
    public void Licensor_name_in_the_card_title_with_written_consent_is_compliant()
    {
        using var project = FineTune();
        project.File("README.md", Card.Replace("# Acme Tiny Chat", $"# {Licensor} Tiny Chat", StringComparison.Ordinal));
        project.Config["waivers"] = new JsonArray(new JsonObject
        {
            ["code"] = "MGP7001",
            ["justification"] = $"Written consent of {Licensor} to name the model after them, letter of 2026-04-02 (ref. NW-2026-118).",
        });

        Compliant(Check(project));
    }

    // §2.3 forbids publicity, not attribution: the licensor named in a lineage section of the card body, where (ii)
    // and (iv) want the upstream credited, is not publicity. Compliant.
    [Fact]
    public void Licensor_named_only_in_the_cards_lineage_section_is_compliant()
    {
        using var project = FineTune();
        project.File("README.md", Card + $"\n## Lineage\n\nFine-tuned from {Base}, released by {Licensor} under MG-BY-SA-2.0. See NOTICE.\n");

        Compliant(Check(project));
    }

    // ---------------------------------------------------------------- waivers

    // (v) asks for the Preferred Adaptable Form of the Licensed Materials and the Derivative Materials. The release
    // carries the unmodified upstream build of a third-party runtime library (lib/libsentencepiece.so, Apache-2.0),
    // which is neither; a reviewer records that judgement as a waiver with its justification. Compliant.
    [Fact]
    public void Waiver_of_a_judgement_on_a_vendored_third_party_binary_with_justification_is_compliant()
    {
        using var project = Chat();
        project.Bytes("lib/libsentencepiece.so", [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        project.Config["waivers"] = new JsonArray(new JsonObject
        {
            ["code"] = "MGP5007",
            ["path"] = "lib/*.so",
            ["justification"] = "Unmodified sentencepiece 0.2.0 release build (Apache-2.0), source at https://github.com/google/sentencepiece; not part of the Licensed Materials.",
        });

        Compliant(Check(project));
    }

    // (vi) is an obligation of the License, not a judgement: no justification makes an Apache fine-tune share-alike.
    // The waiver is refused (an input error) and the breach stands. Breach of (vi).
    [Fact]
    public void Waiver_of_share_alike_is_refused_and_the_breach_of_vi_stands()
    {
        using var project = FineTune();
        project.Config["license"] = "Apache-2.0";
        project.Config["waivers"] = new JsonArray(new JsonObject { ["code"] = "MGP6001", ["justification"] = "Our lawyers say Apache is compatible." });

        var result = Check(project);

        Breach(result, 6);
        Breach(result, 8);
    }

    // (iv) is an obligation: a waiver saying the base's notice "is in the README anyway" does not retain it in the
    // Distribution. The waiver is refused and the breach stands. Breach of (iv).
    [Fact]
    public void Waiver_of_a_missing_upstream_notice_is_refused_and_the_breach_of_iv_stands()
    {
        using var project = FineTune();
        File.Delete(Path.Combine(project.Root, "upstream", Base, "NOTICE"));
        project.Config["waivers"] = new JsonArray(new JsonObject { ["code"] = "MGP4002", ["justification"] = "The authors are credited in README.md." });

        var result = Check(project);

        Breach(result, 4);
        Breach(result, 8);
    }

    // ---------------------------------------------------------------- the command line

    // A compliant fine-tune checked through the command line: exit 0, no error line.
    [Fact]
    public void Cli_check_of_a_compliant_fine_tune_exits_0()
    {
        using var project = FineTune();
        project.Write();

        var (exit, stdout, _) = CliRunner.Run("check", project.Root);

        Assert.Equal(0, exit);
        Assert.Empty(CliErrorRanges(stdout));
    }

    // (ii): pack through the command line refuses a fine-tune without its dated modification (exit 1) and writes no
    // bundle. Breach of (ii).
    [Fact]
    public void Cli_pack_refuses_a_fine_tune_without_a_dated_modification_and_writes_nothing()
    {
        using var project = FineTune();
        project.Config.Remove("modifications");
        project.Write();
        var output = Path.Combine(project.Scratch, "out");

        var (exit, stdout, _) = CliRunner.Run("pack", project.Root, "-o", output);

        Assert.Equal(1, exit);
        Assert.Contains(2, CliErrorRanges(stdout));
        Assert.False(Directory.Exists(output));
    }

    // A compliant extracted model packed to a zip and verified by the recipient through the command line: every
    // obligation holds in the bundle as received. Exit 0 both times.
    [Fact]
    public void Cli_pack_to_zip_and_verify_of_a_compliant_extracted_model_exit_0()
    {
        using var project = Distilled("distillation");
        project.Write();
        var zip = Path.Combine(project.Scratch, "acme-tiny-chat.zip");

        var packed = CliRunner.Run("pack", project.Root, "--format", "zip", "--output", zip);
        var verified = CliRunner.Run("verify", zip);

        Assert.Equal(0, packed.ExitCode);
        Assert.Equal(0, verified.ExitCode);
        Assert.Empty(CliErrorRanges(verified.Stdout));
    }

    // ---------------------------------------------------------------- verify: bundles altered after packing

    // The bundle as packed, verified by the recipient: every obligation holds in what was received. Compliant.
    [Fact]
    public void Verify_of_the_bundle_as_packed_is_compliant()
    {
        using var project = Distilled("distillation");

        Compliant(ModelGoPackEngine.Verify(PackedFolder(project)));
    }

    // The weights were swapped after packing and the manifest not updated: what was received is not what the
    // publisher's notices and manifest describe. Not compliant; a received-bundle error.
    [Fact]
    public void Verify_of_a_bundle_whose_weights_were_swapped_without_rehashing_is_not_compliant()
    {
        using var project = Distilled("distillation");
        var bundle = PackedFolder(project);
        Safetensors.Write(Path.Combine(bundle, "model.safetensors"), Llama("BF16", "F16"));

        Breach(ModelGoPackEngine.Verify(bundle), 9);
    }

    // An Extracted Model's LICENSE replaced by MIT, its manifest entry re-hashed, and waivers of the license findings
    // written into the manifest. The file received is judged as it is: it is not a copy of this License (i), and it
    // offers the Extracted Model under another license (vi); no waiver changes what the file says. Breach of (i) and
    // (vi); an error of either is right, and the forged waivers make the bundle's own claims an input error.
    [Fact]
    public void Verify_of_a_bundle_with_LICENSE_swapped_for_MIT_rehashed_and_waived_in_the_manifest_breaches_i_and_vi()
    {
        using var project = Distilled("distillation");
        var bundle = PackedFolder(project);
        Replace(bundle, "LICENSE", Mit, rehash: true);
        EditManifest(bundle, manifest => manifest["waivers"] = new JsonArray(
            new JsonObject { ["code"] = "MGP1003", ["path"] = "LICENSE", ["justification"] = "MIT is compatible.", ["findings"] = new JsonArray("LICENSE") },
            new JsonObject { ["code"] = "MGP6004", ["path"] = "LICENSE", ["justification"] = "MIT is compatible.", ["findings"] = new JsonArray("LICENSE") }));

        var result = ModelGoPackEngine.Verify(bundle);

        Breach(result, 1, 6);
        Breach(result, 9);
        Assert.Equal(ExitCodes.InputErrors, result.ExitCode);
    }

    // An original model whose LICENSE was swapped for MIT after packing, with a re-hashed manifest, received as a zip
    // and verified through the command line: the file is not a copy of this License. Breach of (i), non-zero exit.
    [Fact]
    public void Cli_verify_of_a_zip_of_an_original_with_LICENSE_swapped_for_MIT_and_rehashed_breaches_i()
    {
        using var project = Chat();
        var bundle = PackedFolder(project);
        Replace(bundle, "LICENSE", Mit, rehash: true);
        var zip = Path.Combine(project.Scratch, "received.zip");
        System.IO.Compression.ZipFile.CreateFromDirectory(bundle, zip);

        var (exit, stdout, _) = CliRunner.Run("verify", zip);

        Assert.NotEqual(0, exit);
        Assert.Contains(1, CliErrorRanges(stdout));
    }

    // LICENSE replaced by a modified MG-BY-SA text, manifest re-hashed: Section 6 forbids modifying the License.
    // Breach of §6/(i).
    [Fact]
    public void Verify_of_a_bundle_with_a_modified_MG_text_rehashed_breaches_section_6()
    {
        using var project = Distilled("distillation");
        var bundle = PackedFolder(project);
        Replace(bundle, "LICENSE", Modified, rehash: true);

        Breach(ModelGoPackEngine.Verify(bundle), 1);
    }

    // LICENSE deleted and dropped from the manifest, so the manifest and files agree: (i) "provide a copy of this
    // License" is not met. Breach of (i).
    [Fact]
    public void Verify_of_a_bundle_whose_LICENSE_was_removed_with_its_manifest_entry_breaches_i()
    {
        using var project = Distilled("distillation");
        var bundle = PackedFolder(project);
        File.Delete(Path.Combine(bundle, "LICENSE"));
        EditManifest(bundle, manifest =>
        {
            var files = manifest["files"]!.AsArray();
            files.Remove(Files(manifest).Single(f => (string?)f["path"] == "LICENSE"));
        });

        Breach(ModelGoPackEngine.Verify(bundle), 1);
    }

    // NOTICE rewritten without the Extracted Model statement (it only thanks the teacher for "Output"), manifest
    // re-hashed: (iii) is not met in what was received. Breach of (iii).
    [Fact]
    public void Verify_of_a_bundle_whose_NOTICE_lost_the_extraction_statement_breaches_iii()
    {
        using var project = Distilled("distillation");
        var bundle = PackedFolder(project);
        Replace(bundle, "NOTICE", $"acme-tiny-chat. Output quality improved thanks to {Teacher}.\n{Teacher}\nCopyright 2025 {Licensor}\nAuthors: the {Licensor} research team\n", rehash: true);

        Breach(ModelGoPackEngine.Verify(bundle), 3);
    }

    // NOTICE rewritten without the teacher's copyright line, manifest re-hashed: (iv) "retain ... any existing copyright
    // notice" is not met. Breach of (iv).
    [Fact]
    public void Verify_of_a_bundle_whose_NOTICE_lost_the_upstream_copyright_breaches_iv()
    {
        using var project = Distilled("distillation");
        var bundle = PackedFolder(project);
        var notice = File.ReadAllText(Path.Combine(bundle, "NOTICE"));
        Assert.Contains($"Copyright 2025 {Licensor}\n", notice, StringComparison.Ordinal);
        Replace(bundle, "NOTICE", notice.Replace($"Copyright 2025 {Licensor}\n", "", StringComparison.Ordinal), rehash: true);

        Breach(ModelGoPackEngine.Verify(bundle), 4);
    }

    // The BF16 weights replaced by an int8 copy and re-hashed: the bundle received holds no Preferred Adaptable Form.
    // Breach of (v).
    [Fact]
    public void Verify_of_a_bundle_whose_weights_were_replaced_by_int8_and_rehashed_breaches_v()
    {
        using var project = Distilled("distillation");
        var bundle = PackedFolder(project);
        var int8 = Path.Combine(project.Scratch, "int8.safetensors");
        Safetensors.Write(int8, Llama("I8", "I8"));
        Replace(bundle, "model.safetensors", File.ReadAllBytes(int8), rehash: true);

        Breach(ModelGoPackEngine.Verify(bundle), 5);
    }

    // An extra weight file added after packing and listed nowhere: the publisher's notices and manifest say nothing of
    // it, so the received bundle cannot be vouched for as the Distribution the publisher made. Not compliant; a
    // received-bundle error.
    [Fact]
    public void Verify_of_a_bundle_with_an_extra_unlisted_weight_file_is_not_compliant()
    {
        using var project = Distilled("distillation");
        var bundle = PackedFolder(project);
        Safetensors.Write(Path.Combine(bundle, "model-int4.safetensors"), Llama("F16", "I8"));

        Breach(ModelGoPackEngine.Verify(bundle), 9);
    }

    // ---------------------------------------------------------------- releases

    /// <summary>A fine-tune of Northwind-7B: derivative upstream with its notice, a dated modification, base_model in the card.</summary>
    private static ModelProjectBuilder FineTune()
    {
        var project = Chat();
        Upstream(project, Base, "derivative", "fine-tuning", Licensor);
        project.Modification("2026-05-10", "Supervised fine-tuning on Acme support dialogues", "model.safetensors");
        project.File("README.md", Card.Replace("pipeline_tag: text-generation\n", $"pipeline_tag: text-generation\nbase_model: northwind-ai/{Base}\n", StringComparison.Ordinal));
        return project;
    }

    /// <summary>A student trained on Output of Northwind-70B-Instruct: extracted upstream with its notice.</summary>
    private static ModelProjectBuilder Distilled(string? method)
    {
        var project = Chat();
        Upstream(project, Teacher, "extracted", method, Licensor);
        return project;
    }

    /// <summary>Packs the project into a folder bundle, asserting that it was compliant and written.</summary>
    private static string PackedFolder(ModelProjectBuilder project)
    {
        var result = Pack(project);
        Compliant(result);
        return result.OutputPath!;
    }

    /// <summary>
    /// A llama.cpp export of <see cref="Chat"/>'s model: the token embedding and output head (rows of
    /// the 256-token vocabulary, so Q4_K's 256-element blocks fit) in <paramref name="type"/>; the linears, whose rows of
    /// 8 and 16 no block type fits, in F16 as llama.cpp leaves them; norms F32.
    /// </summary>
    private static void WriteGguf(string path, int type) =>
        Gguf.Write(
            path,
            [("general.architecture", "llama"), ("general.name", "Acme Tiny Chat"), ("llama.context_length", 2048u), ("tokenizer.ggml.model", "llama")],
            ("token_embd.weight", type, [256, 8]),
            ("output.weight", type, [256, 8]),
            ("blk.0.attn_q.weight", Gguf.F16, [8, 8]),
            ("blk.0.ffn_down.weight", Gguf.F16, [16, 8]),
            ("blk.0.attn_norm.weight", Gguf.F32, [8]),
            ("output_norm.weight", Gguf.F32, [8]));
}

using System.Text.Json.Nodes;
using ModelGoPack.Licensing;
using ModelGoPack.Tests.Support;
using static ModelGoPack.Tests.Scenarios.ScenarioRelease;

namespace ModelGoPack.Tests.Scenarios;

/// <summary>
/// Realistic releases judged by the real engine, each verdict worked out from the text of MG-BY-SA-2.0 alone (the
/// December 2025 text: Definitions, clauses 2.2(a)(i) to (vi), Section 2.3 and Section 6), not from ModelGoPack's
/// documentation. The clause reasoning is in the comment of each scenario. A breach must be refused with an error in
/// the range of the clause it breaks (MGP1xxx (i)/§6, 2xxx (ii), 3xxx (iii), 4xxx (iv), 5xxx (v), 6xxx (vi), 7xxx §2.3,
/// 8xxx modelgo.json input, 9xxx the received bundle); a compliant release must draw no error at all. The few releases
/// the text does not settle say so and accept either verdict.
/// </summary>
public sealed partial class ScenarioTests
{
    private const string Base = "Northwind-7B";
    private const string Teacher = "Northwind-70B-Instruct";
    private const string Licensor = "Northwind AI";
    private const string ExtractedTemplate = "{{ project.name }}{{ for u in extracted }}\n{{ u.statement }}{{ end }}\n{{ for n in notices }}{{ n.text }}{{ end }}";

    // ---------------------------------------------------------------- original releases, Preferred Adaptable Form (v)

    // An original model, no upstream. (i): the bundle must carry a copy of the License; the project ships none, and pack
    // supplies the canonical text. (ii), (iii), (iv) and (vi) concern Derivative Materials, Extracted Models and the
    // notices of Licensed Materials received: there are none. (v): BF16 weights with config.json (architecture) and the
    // tokenizer its config names are the form preferred for adapting. Compliant.
    [Fact]
    public void Original_BF16_release_without_a_LICENSE_file_packs_with_the_canonical_copy()
    {
        using var project = Chat();

        var result = Pack(project);

        Compliant(result);
        Assert.Equal(LicenseText.Bytes.ToArray(), File.ReadAllBytes(Path.Combine(result.OutputPath!, "LICENSE")));
    }

    // (v): F16 is a full-precision training and inference dtype; every matrix is adaptable. Compliant.
    [Fact]
    public void Original_F16_release_is_compliant() => Compliant(Check(Chat("F16")));

    // (v): F32 master weights are the most adaptable form there is. Compliant.
    [Fact]
    public void Original_F32_release_is_compliant() => Compliant(Check(Chat("F32")));

    // (v): integer position ids and a step counter are not weights in a reduced precision; the matrices are BF16.
    // Compliant.
    [Fact]
    public void BF16_release_with_integer_position_ids_and_step_counter_is_compliant()
    {
        using var project = Chat();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), [.. Llama("BF16", "BF16"), ("model.position_ids", "I64", [1, 64]), ("model.step", "I32", [1])]);

        Compliant(Check(project));
    }

    // (i): a LICENSE that is the canonical text with LF line ends is still "a copy of this License"; Section 6 forbids
    // modifying the License, and line ends are not its text. Compliant.
    [Fact]
    public void Canonical_license_with_LF_line_ends_at_the_root_is_compliant()
    {
        using var project = Chat();
        project.File("LICENSE", Canonical.Replace("\r\n", "\n", StringComparison.Ordinal));

        Compliant(Check(project));
    }

    // (v): every matrix is int8 and no full-precision copy is provided: an int8 export is not "the form ... preferred
    // for making modifications to" the model. Breach of (v).
    [Fact]
    public void Quantized_only_int8_release_breaches_v()
    {
        using var project = Chat();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), Llama("I8", "I8"));

        Breach(Check(project), 5);
    }

    // (v): a llama.cpp Q4_K_M file alone (no safetensors, no F16 GGUF). Q4_K is lossy 4-bit quantization; no one
    // fine-tunes from it by preference. Breach of (v). Judged through the command line: exit 1, compliance errors.
    [Fact]
    public void Quantized_only_GGUF_release_breaches_v_through_the_CLI()
    {
        using var project = Chat();
        File.Delete(Path.Combine(project.Root, "model.safetensors"));
        WriteGguf(Path.Combine(project.Root, "acme-tiny-chat-Q4_K_M.gguf"), Gguf.Q4_K);
        project.Write();

        var (exit, stdout, _) = CliRunner.Run("check", project.Root);

        Assert.Equal(1, exit);
        Assert.Contains(5, CliErrorRanges(stdout));
    }

    // (v), mixed precision: embeddings, lm_head and norms kept in F16 (most of the elements of a small model with a
    // large vocabulary), every linear layer int8 with a per-channel scale, and no full-precision copy of those
    // matrices anywhere. The linear layers are the model's adaptable substance; they exist only quantized. Breach of (v).
    [Fact]
    public void Mixed_precision_F16_embeddings_and_int8_linears_breach_v()
    {
        using var project = Chat("F16");
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), Tensors("F16", layer => Linears(layer).SelectMany(l => new (string, string, int[])[]
        {
            ($"{l.Name}.weight", "I8", l.Shape),
            ($"{l.Name}.weight_scale", "F32", [l.Shape[0], 1]),
        })));

        Breach(Check(project), 5);
    }

    // (v), mixed precision: an AutoGPTQ 4-bit export (qweight, qzeros, scales, g_idx; quantize_config.json beside a
    // config.json without quantization_config, as older exports ship), F16 embeddings. The 4-bit matrices have no
    // full-precision counterpart in the release. Breach of (v).
    [Fact]
    public void Mixed_precision_GPTQ_linears_with_quantize_config_json_breach_v()
    {
        using var project = Chat("F16");
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), Gptq());
        project.File("quantize_config.json", """{"bits": 4, "group_size": 128, "desc_act": false, "sym": true}""");

        Breach(Check(project), 5);
    }

    // (v), mixed precision: bitsandbytes NF4 (packed uint8 weights with absmax and quant_map), F16 embeddings and norms.
    // The packed 4-bit matrices are the only copy of the linear layers. Breach of (v).
    [Fact]
    public void Mixed_precision_bitsandbytes_NF4_linears_breach_v()
    {
        using var project = Chat("F16");
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), Tensors("F16", layer => Linears(layer).SelectMany(l => new (string, string, int[])[]
        {
            ($"{l.Name}.weight", "U8", [l.Shape[0] * l.Shape[1] / 2, 1]),
            ($"{l.Name}.weight.absmax", "F32", [1]),
            ($"{l.Name}.weight.quant_map", "F32", [16]),
            ($"{l.Name}.weight.quant_state.bitsandbytes__nf4", "U8", [64]),
        })));

        Breach(Check(project), 5);
    }

    // (v): a Q4_K_M GGUF export beside the BF16 safetensors it was made from. The recipient gets the Preferred
    // Adaptable Form; the export is an extra. Compliant.
    [Fact]
    public void Quantized_GGUF_export_beside_the_BF16_weights_is_compliant()
    {
        using var project = Chat();
        WriteGguf(Path.Combine(project.Root, "gguf", "acme-tiny-chat-Q4_K_M.gguf"), Gguf.Q4_K);

        Compliant(Check(project));
    }

    // (v): a GPTQ export in gptq/ (its own config.json declaring quantization_config) beside the BF16 weights of the same
    // layers at the root. Every quantized matrix has its full-precision counterpart. Compliant.
    [Fact]
    public void GPTQ_export_beside_the_BF16_weights_of_the_same_layers_is_compliant()
    {
        using var project = Chat();
        Safetensors.Write(Path.Combine(project.Root, "gptq", "model.safetensors"), Gptq());
        project.File("gptq/config.json", """{"architectures": ["LlamaForCausalLM"], "model_type": "llama", "torch_dtype": "float16", "quantization_config": {"quant_method": "gptq", "bits": 4, "group_size": 128}}""");

        Compliant(Check(project));
    }

    // UNSETTLED. (v): an F16 GGUF alone. Its matrices are full precision and llama.cpp can load and convert them, but
    // whether a GGUF file is "the form ... preferred for making modifications" when the model was trained in PyTorch is
    // a question of fact the License does not answer. Either verdict; a refusal must come from (v).
    [Fact]
    public void F16_GGUF_alone_is_not_settled_by_the_text()
    {
        using var project = Chat();
        File.Delete(Path.Combine(project.Root, "model.safetensors"));
        WriteGguf(Path.Combine(project.Root, "acme-tiny-chat-F16.gguf"), Gguf.F16);

        Either(Check(project), 5);
    }

    // UNSETTLED. (v) asks to "provide a copy ... in Preferred Adaptable Form to the recipient". Here the release holds
    // int8 weights only, and a reviewer's waiver says the BF16 weights are published at a stated address under the same
    // license. Whether a pointer to a separate download "provides" the copy is not settled by the text. Either verdict;
    // a refusal must come from (v).
    [Fact]
    public void Int8_release_with_a_waiver_pointing_at_separately_published_full_weights_is_not_settled_by_the_text()
    {
        using var project = Chat();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), Llama("I8", "I8"));
        project.Config["waivers"] = new JsonArray(new JsonObject
        {
            ["code"] = "MGP5002",
            ["path"] = "model.safetensors",
            ["justification"] = "The BF16 weights are published at https://huggingface.co/acme/acme-tiny-chat-bf16 under MG-BY-SA-2.0.",
        });

        Either(Check(project), 5);
    }

    // ---------------------------------------------------------------- the license copy and its text: (i) and Section 6

    // Section 6: "Nothing in this License permits You to modify this License as applied to the Licensed Materials." A
    // LICENSE at the root whose clause (vi) no longer names Extracted Models is a modified License. Breach of §6/(i).
    [Fact]
    public void Modified_MG_text_at_the_root_breaches_section_6()
    {
        using var project = Chat();
        project.File("LICENSE", Modified);

        Breach(Check(project), 1);
    }

    // Section 6 applies to every copy distributed with the model, not only the one at the root: a modified MG-BY-SA
    // text in gguf/LICENSE beside the export is a modified License applied to the Licensed Materials. Breach of §6/(i).
    [Fact]
    public void Modified_MG_text_in_a_subfolder_breaches_section_6()
    {
        using var project = Chat();
        WriteGguf(Path.Combine(project.Root, "gguf", "acme-tiny-chat-Q4_K_M.gguf"), Gguf.Q4_K);
        project.File("gguf/LICENSE", Modified);

        Breach(Check(project), 1);
    }

    // (i): a copy of the unmodified License in a subfolder beside an export is just another copy of this License.
    // Compliant.
    [Fact]
    public void Canonical_MG_text_in_a_subfolder_is_compliant()
    {
        using var project = Chat();
        WriteGguf(Path.Combine(project.Root, "gguf", "acme-tiny-chat-Q4_K_M.gguf"), Gguf.Q4_K);
        project.File("gguf/LICENSE", Canonical);

        Compliant(Check(project));
    }

    // (i): the LICENSE at the root is MIT. The model is declared MG-BY-SA-2.0, and the file that stands as its license
    // is not "a copy of this License". Breach of (i).
    [Fact]
    public void MIT_text_as_LICENSE_of_an_original_breaches_i()
    {
        using var project = Chat();
        project.File("LICENSE", Mit);

        Breach(Check(project), 1);
    }

    // A fine-tune whose LICENSE is MIT: not a copy of this License (i), and the Derivative Materials are offered under
    // another license (vi). Breach of (i) and (vi); an error of either is right.
    [Fact]
    public void MIT_text_as_LICENSE_of_a_derivative_breaches_i_and_vi()
    {
        using var project = FineTune();
        project.File("LICENSE", Mit);

        Breach(Check(project), 1, 6);
    }

    // (i) asks for "a copy of this License": MG-BY-SA "Version 2.0" of May 2025 is a different text (it has no
    // Extracted Models clause), not the December 2025 License the upstream was received under. Breach of (i).
    [Fact]
    public void Superseded_May_2025_text_breaches_i()
    {
        using var project = Chat();
        project.File("LICENSE", Superseded);

        Breach(Check(project), 1);
    }

    // ---------------------------------------------------------------- Derivative Materials: (ii), (iv), (vi)

    // A fine-tune of an MG-BY-SA-2.0 base: Derivative Materials. (ii) a dated modification notice, rendered into NOTICE
    // with its date; (iv) the base's copyright and author notice kept verbatim; (vi) licensed MG-BY-SA-2.0; (i) the
    // License copied; (v) BF16. Compliant, and the NOTICE says so.
    [Fact]
    public void Fine_tune_with_a_dated_modification_is_compliant_and_its_NOTICE_states_the_date()
    {
        using var project = FineTune();

        var result = Pack(project);

        Compliant(result);
        var notice = File.ReadAllText(Path.Combine(result.OutputPath!, "NOTICE"));
        Assert.Contains("2026-05-10", notice, StringComparison.Ordinal);
        Assert.Contains($"Copyright 2025 {Licensor}", notice, StringComparison.Ordinal);
    }

    // (ii): Derivative Materials distributed with no statement of the modification nor of its date. Breach of (ii).
    [Fact]
    public void Fine_tune_without_a_dated_modification_breaches_ii()
    {
        using var project = FineTune();
        project.Config.Remove("modifications");

        Breach(Check(project), 2);
    }

    // (ii) asks for "the relevant date of such modification": a modification dated 2026-07-15 in a release of
    // 2026-06-01 cannot have happened before the release; the notice would state a false date. Breach of (ii).
    [Fact]
    public void Modification_dated_after_the_release_date_breaches_ii()
    {
        using var project = Chat();
        Upstream(project, Base, "derivative", "fine-tuning", Licensor);
        project.Modification("2026-07-15", "Supervised fine-tuning on Acme support dialogues", "model.safetensors");

        Breach(Check(project), 2);
    }

    // (ii) asks for "the relevant date of such modification". The fine-tune was made on 2026-02-20 under early access,
    // before the base's public release of 2026-03-01; the date is true, and a reviewer records why in a waiver of the
    // tool's doubt. Compliant.
    [Fact]
    public void Modification_under_early_access_dated_before_the_upstreams_release_with_a_waiver_is_compliant()
    {
        using var project = Chat();
        Upstream(project, Base, "derivative", "fine-tuning", Licensor)["releaseDate"] = "2026-03-01";
        project.Modification("2026-02-20", "Supervised fine-tuning on Acme support dialogues (early access)", "model.safetensors");
        project.Config["waivers"] = new JsonArray(new JsonObject
        {
            ["code"] = "MGP2011",
            ["justification"] = $"Fine-tuned on the pre-release checkpoint under {Licensor}'s early-access programme; the date is that of the work.",
        });

        Compliant(Check(project));
    }

    // Definitions: Derivative Materials "do not include any model developed by transferring patterns from Output, such as
    // through distillation". An upstream declared derivative by distillation is an Extracted Model, and its NOTICE needs
    // the (iii) statement, not only a modification notice. Breach of (iii).
    [Fact]
    public void Derivative_declared_with_method_distillation_breaches_iii()
    {
        using var project = Chat();
        Upstream(project, Teacher, "derivative", "distillation", Licensor);
        project.Modification("2026-05-10", "Distilled from the teacher's responses", "model.safetensors");

        Breach(Check(project), 3);
    }

    // (vi): "license Derivative Materials ... under the terms and conditions of this License". A fine-tune declared
    // Apache-2.0 in modelgo.json breaches share-alike. Breach of (vi).
    [Fact]
    public void Derivative_licensed_Apache_in_modelgo_json_breaches_vi()
    {
        using var project = FineTune();
        project.Config["license"] = "Apache-2.0";

        Breach(Check(project), 6);
    }

    // (vi): the model card's front matter is the license statement the Hub shows. Each of these offers the Derivative
    // Materials under another license, whatever the key that says it:
    // - license: apache-2.0;
    // - license: other with license_link to a file of the release that holds the MIT text;
    // - license: other with license_link to the Apache-2.0 text at apache.org.
    // Breach of (vi).
    [Theory]
    [InlineData("license: apache-2.0\n")]
    [InlineData("license: other\nlicense_link: legal/TERMS.md\n")]
    [InlineData("license: other\nlicense_link: https://www.apache.org/licenses/LICENSE-2.0\n")]
    public void Derivative_whose_card_names_another_license_breaches_vi(string frontMatter)
    {
        using var project = FineTune();
        project.File("legal/TERMS.md", Mit);
        project.File("README.md", Card.Replace("license: other\nlicense_name: mg-by-sa-2.0\nlicense_link: LICENSE\n", frontMatter, StringComparison.Ordinal));

        Breach(Check(project), 6);
    }

    // (iv): "retain ... any existing copyright notice, attribution notice". The base's NOTICE is declared but not in the
    // release, so nothing keeps it. Breach of (iv).
    [Fact]
    public void Fine_tune_whose_upstream_notice_file_is_gone_breaches_iv()
    {
        using var project = FineTune();
        File.Delete(Path.Combine(project.Root, "upstream", Base, "NOTICE"));

        Breach(Check(project), 4);
    }

    // (iv): a custom NOTICE template that renders the statements but drops the upstream's copyright and author
    // notices. Breach of (iv).
    [Fact]
    public void Custom_NOTICE_template_that_drops_the_upstream_notices_breaches_iv()
    {
        using var project = FineTune();
        var templates = NoticeTemplate(project, "{{ project.name }}{{ for u in upstreams }}\n{{ u.statement }}{{ end }}\n");

        Breach(Check(project, templates), 4);
    }

    // ---------------------------------------------------------------- Extracted Models: (iii), (vi)

    // A student distilled from the teacher's Output: an Extracted Model. (iii) NOTICE states it was created from Output
    // of the teacher provided under this License; (iv) the teacher's notices kept; (vi) MG-BY-SA-2.0. Compliant.
    [Fact]
    public void Distilled_student_is_compliant_and_its_NOTICE_states_the_extraction()
    {
        using var project = Distilled("distillation");

        var result = Pack(project);

        Compliant(result);
        var notice = File.ReadAllText(Path.Combine(result.OutputPath!, "NOTICE"));
        Assert.Contains("Output", notice, StringComparison.Ordinal);
        Assert.Contains(Teacher, notice, StringComparison.Ordinal);
    }

    // (iii) asks only for a notice "that the Extracted Models are created from Output of the Model provided under this
    // License"; how the Output was used is not required. An extracted upstream without "method" is compliant.
    [Fact]
    public void Extracted_upstream_without_a_method_is_compliant()
    {
        using var project = Distilled(method: null);

        Compliant(Check(project));
    }

    // (iii): a custom template that says "Output" in a sentence of its own ("Output of this model may be inaccurate")
    // and names the teacher, but never states that this model was created from the teacher's Output under this License.
    // Breach of (iii).
    [Fact]
    public void Custom_NOTICE_that_mentions_Output_elsewhere_but_lacks_the_extraction_statement_breaches_iii()
    {
        using var project = Distilled("distillation");
        var templates = NoticeTemplate(project, $"{{{{ project.name }}}} is a small chat model. Output of this model may be inaccurate. Thanks to {Teacher}.\n{{{{ for n in notices }}}}{{{{ n.text }}}}{{{{ end }}}}");

        Breach(Check(project, templates), 3);
    }

    // (iii) and (iv) met through a custom template that places each statement and every notice unchanged. Compliant.
    [Fact]
    public void Custom_NOTICE_that_places_the_statements_and_notices_is_compliant()
    {
        using var project = Distilled("distillation");

        Compliant(Check(project, NoticeTemplate(project, ExtractedTemplate)));
    }

    // (iii): the training data is a dataset stamped as Output of the teacher, named by its Hub id
    // ("northwind-ai/Northwind-70B-Instruct"); the teacher is declared as an extracted upstream by name. The extraction
    // is disclosed and stated. Compliant.
    [Fact]
    public void Dataset_stamped_with_the_teachers_Hub_id_and_the_teacher_declared_extracted_is_compliant()
    {
        using var project = Distilled("synthetic-data");
        project.File("data/sft/train.jsonl", "{\"prompt\": \"hi\", \"response\": \"hello\"}\n");
        Assert.Equal(0, CliRunner.Run("stamp-dataset", Path.Combine(project.Root, "data", "sft"), "--generator", $"northwind-ai/{Teacher}", "--generator-licensor", Licensor).ExitCode);

        Compliant(Check(project));
    }

    // (iii): the same stamped synthetic dataset, but no upstream is declared: the model was created from the teacher's
    // Output and nothing says so. Breach of (iii).
    [Fact]
    public void Dataset_stamped_as_the_teachers_Output_without_an_extracted_upstream_breaches_iii()
    {
        using var project = Chat();
        project.File("data/sft/train.jsonl", "{\"prompt\": \"hi\", \"response\": \"hello\"}\n").Write();
        Assert.Equal(0, CliRunner.Run("stamp-dataset", Path.Combine(project.Root, "data", "sft"), "--generator", $"northwind-ai/{Teacher}", "--generator-licensor", Licensor).ExitCode);

        Breach(Check(project), 3);
    }

    // (vi): "license ... Extracted Models under the terms and conditions of this License". A distilled student
    // declared Apache-2.0 breaches share-alike. Breach of (vi).
    [Fact]
    public void Extracted_model_licensed_Apache_breaches_vi()
    {
        using var project = Distilled("distillation");
        project.Config["license"] = "Apache-2.0";

        Breach(Check(project), 6);
    }

    // ---------------------------------------------------------------- both relations

    // Fine-tuned from the base (Derivative Materials) on data distilled from the teacher (Extracted Model). NOTICE needs
    // both statements, (ii) with its date and (iii); (iv) both upstreams' notices; (vi) MG-BY-SA-2.0. Compliant.
    [Fact]
    public void Fine_tune_on_distilled_data_with_both_statements_is_compliant()
    {
        using var project = FineTune();
        Upstream(project, Teacher, "extracted", "distillation", Licensor);

        var result = Pack(project);

        Compliant(result);
        var notice = File.ReadAllText(Path.Combine(result.OutputPath!, "NOTICE"));
        Assert.Contains("2026-05-10", notice, StringComparison.Ordinal);
        Assert.Contains(Teacher, notice, StringComparison.Ordinal);
    }

    // Both relations, but the custom template renders only the extracted statements: the modification and its date
    // are stated nowhere. Breach of (ii).
    [Fact]
    public void Both_relations_with_a_template_that_omits_the_modification_statement_breach_ii()
    {
        using var project = FineTune();
        Upstream(project, Teacher, "extracted", "distillation", Licensor);

        Breach(Check(project, NoticeTemplate(project, ExtractedTemplate)), 2);
    }

    // ---------------------------------------------------------------- Section 2.3: the licensor's name
}

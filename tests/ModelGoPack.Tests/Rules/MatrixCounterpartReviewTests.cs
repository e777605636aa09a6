using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// Review E of MGP5011: quantized layouts with no known suffix, names that repeat across models, projectors, packed
/// shapes, untied heads, converters that split or fuse matrices, ONNX MatMulNBits, Mistral's own names.
/// </summary>
public sealed partial class MatrixCounterpartTests
{
    // A full-precision LoRA adapter: weights of another kind, which let no quantized layout pass unseen.
    private static readonly (string, string, int[])[] Adapter =
        [("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", "F32", [8, 64]), ("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight", "F32", [64, 8])];

    public static TheoryData<string, (string, string, int[])[]> UnnamedLayouts => new()
    {
        { "AQLM", [("model.layers.0.self_attn.q_proj.codes", "I16", [64, 8, 1]), ("model.layers.0.self_attn.q_proj.codebooks", "F16", [1, 256, 1, 8]), ("model.layers.0.self_attn.q_proj.scales", "F16", [64, 1, 1, 1])] },
        { "HQQ", [("model.layers.0.self_attn.q_proj.W_q", "U8", [2048, 1]), ("model.layers.0.self_attn.q_proj.scale", "F16", [64, 1]), ("model.layers.0.self_attn.q_proj.zero", "F16", [64, 1])] },
        { "quanto", [("model.layers.0.self_attn.q_proj.weight._data", "I8", [64, 64]), ("model.layers.0.self_attn.q_proj.weight._scale", "F16", [64, 1])] },
        { "EXL3", [("model.layers.0.self_attn.q_proj.trellis", "I16", [4, 4, 64]), ("model.layers.0.self_attn.q_proj.suh", "F16", [64])] },
        { "Marlin", [("model.layers.0.self_attn.q_proj.B", "I32", [4, 128]), ("model.layers.0.self_attn.q_proj.s", "F16", [1, 64])] },
        { "a layout of no known name, in a file of scales", [("model.layers.0.self_attn.q_proj.packed_values", "I32", [8, 64]), ("model.layers.0.self_attn.q_proj.weight_scale", "F16", [64, 1])] },
    };

    [Theory]
    [MemberData(nameof(UnnamedLayouts))]
    public void Quantized_layouts_of_other_names_are_judged_beside_other_full_precision_weights(string layout, (string, string, int[])[] tensors)
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "adapter", "adapter_model.safetensors"), Adapter);
        Safetensors.Write(Path.Combine(project.Root, "merged", "model.safetensors"), [("model.embed_tokens.weight", "F16", [512, 64]), .. tensors]);

        var finding = Assert.Single(Findings(project));
        Assert.True(finding.StartsWith("merged/model.safetensors: model.layers.0.self_attn.q_proj", StringComparison.Ordinal), layout + ": " + finding);

        // Beside the full-precision matrix of its name and shape [64, 64], it passes.
        Safetensors.Write(Path.Combine(project.Root, "full", "model.safetensors"), ("model.layers.0.self_attn.q_proj.weight", "BF16", [64, 64]));
        Assert.True(Findings(project).Count == 0, layout + ": " + string.Join("; ", Findings(project)));
    }

    [Theory]
    [InlineData(64, 64, false)] // the matrix of its name and shape
    [InlineData(0, 2, true)]    // a stub of its name holds none of its weights
    [InlineData(16, 16, true)]  // nor does a smaller matrix of its name
    public void A_full_precision_matrix_of_the_name_must_be_of_its_shape(int rows, int columns, bool finding)
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("model.layers.0.mlp.down_proj.weight", "BF16", [rows, columns]), ("model.embed_tokens.weight", "BF16", [512, 64]));
        Safetensors.Write(Path.Combine(project.Root, "fp8", "model.safetensors"), ("model.layers.0.mlp.down_proj.weight", "F8_E4M3", [64, 64]), ("model.layers.0.mlp.down_proj.weight_scale", "F32", [1]));

        Assert.Equal(finding ? ["fp8/model.safetensors: model.layers.0.mlp.down_proj"] : [], Findings(project));
    }

    [Theory]
    [InlineData(2048, false)] // GPTQ's int32 [in/8, out]: 8 four-bit weights an integer, of the [out, in] matrix
    [InlineData(16, true)]    // a matrix of fewer weights than the integers hold at 8 bits is no copy
    public void A_packed_matrix_meets_its_name_by_the_weights_its_integers_can_hold(int rows, bool finding)
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("model.layers.0.mlp.down_proj.weight", "BF16", [rows, 256]), ("model.embed_tokens.weight", "BF16", [512, 64]));
        Safetensors.Write(Path.Combine(project.Root, "gptq", "model.safetensors"), ("model.layers.0.mlp.down_proj.qweight", "I32", [256, 256]), ("model.layers.0.mlp.down_proj.scales", "F16", [16, 256]));

        Assert.Equal(finding ? ["gptq/model.safetensors: model.layers.0.mlp.down_proj"] : [], Findings(project));
    }

    [Theory]
    [InlineData("decoder_model_merged.onnx", false)] // the same model's fp32 graph
    [InlineData("encoder_model.onnx", true)]         // another graph numbers its own MatMuls alike
    public void ONNX_graph_names_meet_only_in_the_same_models_files(string fullModel, bool finding)
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("model.embed_tokens.weight", "BF16", [512, 64]));
        Onnx.Write(Path.Combine(project.Root, "onnx", fullModel), ("onnx::MatMul_100", Onnx.F32, [32, 96], false));
        Onnx.Write(Path.Combine(project.Root, "onnx", "decoder_model_merged_quantized.onnx"), ("onnx::MatMul_100_quantized", Onnx.U8, [32, 96], false), ("onnx::MatMul_100_scale", Onnx.F32, [1], false));

        Assert.Equal(finding ? ["onnx/decoder_model_merged_quantized.onnx: onnx::MatMul_100"] : [], Findings(project));
    }

    [Theory]
    [InlineData(true, false)] // the fp32 graph of the same model
    [InlineData(false, true)]
    public void ONNX_MatMulNBits_weights_are_the_matrix_their_blocks_hold(bool withFull, bool finding)
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("model.embed_tokens.weight", "BF16", [512, 64]));
        if (withFull)
        {
            Onnx.Write(Path.Combine(project.Root, "onnx", "model.onnx"), ("onnx::MatMul_10", Onnx.F32, [64, 128], false));
        }

        // [N = 128, 2 blocks, 16 bytes]: 2 × 16 × 2 = 64 four-bit weights a row, the matrix [K = 64, N = 128].
        Onnx.Write(Path.Combine(project.Root, "onnx", "model_q4.onnx"), ("onnx::MatMul_10_Q4", Onnx.U8, [128, 2, 16], false), ("onnx::MatMul_10_scales", Onnx.F32, [256], false), ("onnx::MatMul_10_zero_points", Onnx.U8, [128], false));

        Assert.Equal(finding ? ["onnx/model_q4.onnx: onnx::MatMul_10"] : [], Findings(project));
    }

    [Fact]
    public void A_uint8_buffer_of_a_float_ONNX_graph_is_no_quantized_matrix()
    {
        using var project = Empty();
        Onnx.Write(Path.Combine(project.Root, "model.onnx"), ("transformer.h.0.attn.c_attn.weight", Onnx.F32, [64, 192], false), ("transformer.h.0.attn.bias", Onnx.U8, [1, 1, 64, 64], false));

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        // The mask is an int8 buffer of four dimensions, no matrix: the graph's only matrix is full precision.
        Assert.DoesNotContain(result.Diagnostics, d => d.Code is "MGP5011" or "MGP5002");
        Assert.Equal("FLOAT", Assert.Single(Assert.Single(result.Artifacts, a => a.Path == "model.onnx").Weights!.Matrices).Name is "transformer.h.0.attn.c_attn" ? "FLOAT" : "other");
    }

    [Theory]
    [InlineData(Gguf.Q8_0, true)]
    [InlineData(Gguf.F16, false)]
    public void A_quantized_projector_needs_the_full_precision_vision_encoder(int type, bool finding)
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("model.embed_tokens.weight", "BF16", [512, 64]), ("model.layers.0.self_attn.q_proj.weight", "BF16", [64, 64]));
        Gguf.Write(Path.Combine(project.Root, "model-Q8_0.gguf"), [("general.architecture", "llama")], ("token_embd.weight", Gguf.Q8_0, [64, 512]), ("blk.0.attn_q.weight", Gguf.Q8_0, [64, 64]));
        Gguf.Write(Path.Combine(project.Root, "mmproj.gguf"), [("general.architecture", "clip"), ("general.type", "mmproj")], ("v.blk.0.attn_q.weight", type, [96, 96]));

        Assert.Equal(finding ? ["mmproj.gguf: v.blk.0.attn_q"] : [], Findings(project));
    }

    [Theory]
    [InlineData(null, false)]    // tied unless a config says otherwise: the embedding is the head
    [InlineData("true", false)]
    [InlineData("false", true)]  // untied: the head is a matrix of its own, which the release lacks
    public void The_embedding_stands_for_the_output_head_only_when_they_are_tied(string? tied, bool finding)
    {
        using var project = Empty();
        project.File("config.json", "{\"architectures\": [\"TinyForCausalLM\"]" + (tied is null ? "" : $", \"tie_word_embeddings\": {tied}") + "}").Write();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("model.embed_tokens.weight", "BF16", [512, 64]));
        Gguf.Write(Path.Combine(project.Root, "model-Q8_0.gguf"), [("general.architecture", "llama")], ("token_embd.weight", Gguf.Q8_0, [64, 512]), ("output.weight", Gguf.Q8_0, [64, 512]));

        Assert.Equal(finding ? ["model-Q8_0.gguf: output"] : [], Findings(project));
    }

    [Fact]
    public void A_packed_output_head_meets_the_tied_embedding_by_its_weights()
    {
        // GPTQModel with lm_head quantized: int32 [in/8 = 8, vocab = 512] beside tied BF16 embeddings.
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("model.embed_tokens.weight", "BF16", [512, 64]));
        Safetensors.Write(Path.Combine(project.Root, "gptq", "model.safetensors"), ("model.embed_tokens.weight", "F16", [512, 64]), ("lm_head.qweight", "I32", [8, 512]), ("lm_head.scales", "F16", [1, 512]));

        Assert.Empty(Findings(project));
    }

    public static TheoryData<string, (string, int, long[])[], (string, string, int[])[], bool> SplitOrFused => new()
    {
        // llama.cpp splits DeepSeek's kv_b_proj [heads × (nope + v), kv_lora] into attn_k_b and attn_v_b.
        {
            "MLA", [("blk.0.attn_k_b.weight", Gguf.Q8_0, [32, 64, 4]), ("blk.0.attn_v_b.weight", Gguf.Q8_0, [64, 32, 4])],
            [("model.layers.0.self_attn.kv_b_proj.weight", "BF16", [256, 64])], false
        },
        { "MLA without kv_b_proj", [("blk.0.attn_k_b.weight", Gguf.Q8_0, [32, 64, 4]), ("blk.0.attn_v_b.weight", Gguf.Q8_0, [64, 32, 4])], [("model.layers.0.self_attn.o_proj.weight", "BF16", [64, 64])], true },
        // Fused gate_up experts [experts, hidden, 2 × intermediate] against GGUF's ffn_gate_exps and ffn_up_exps.
        {
            "fused experts", [("blk.0.ffn_gate_exps.weight", Gguf.Q8_0, [64, 32, 4]), ("blk.0.ffn_up_exps.weight", Gguf.Q8_0, [64, 32, 4])],
            [("model.layers.0.feed_forward.experts.gate_up_proj", "BF16", [4, 64, 64])], false
        },
        // InternLM2's wqkv [q + k + v, hidden] split into attn_q, attn_k and attn_v.
        {
            "wqkv", [("blk.0.attn_q.weight", Gguf.Q8_0, [64, 64]), ("blk.0.attn_k.weight", Gguf.Q8_0, [64, 32]), ("blk.0.attn_v.weight", Gguf.Q8_0, [64, 32])],
            [("model.layers.0.attention.wqkv.weight", "BF16", [128, 64])], false
        },
        // A larger model's layer, of other dimensions, holds more weights but is no copy.
        { "a larger model", [("blk.0.attn_q.weight", Gguf.Q8_0, [64, 64]), ("blk.0.ffn_up.weight", Gguf.Q8_0, [64, 160])], [("model.layers.0.self_attn.q_proj.weight", "BF16", [96, 96]), ("model.layers.0.mlp.up_proj.weight", "BF16", [224, 96])], true },
    };

    [Theory]
    [MemberData(nameof(SplitOrFused))]
    public void Matrices_a_converter_split_or_fused_meet_by_the_layers_weights(string kind, (string, int, long[])[] quantized, (string, string, int[])[] full, bool finding)
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), [("model.embed_tokens.weight", "BF16", [512, 64]), .. full]);
        Gguf.Write(Path.Combine(project.Root, "model-Q8_0.gguf"), [("general.architecture", "deepseek2")], [("token_embd.weight", Gguf.Q8_0, [64, 512]), .. quantized]);

        var findings = Findings(project);

        Assert.True(finding == (findings.Count > 0), kind + ": " + string.Join("; ", findings));
    }

    [Fact]
    public void Mistrals_own_names_are_read_as_their_Hugging_Face_names()
    {
        using var project = Empty();
        project.File("params.json", "{\"dim\": 64, \"n_layers\": 1}").Write();
        Safetensors.Write(Path.Combine(project.Root, "consolidated.safetensors"),
            ("tok_embeddings.weight", "BF16", [512, 64]), ("layers.0.attention.wq.weight", "BF16", [64, 64]), ("layers.0.feed_forward.w2.weight", "BF16", [64, 160]), ("output.weight", "BF16", [512, 64]));
        Safetensors.Write(Path.Combine(project.Root, "fp8", "model.safetensors"),
            ("model.embed_tokens.weight", "BF16", [512, 64]),
            ("model.layers.0.self_attn.q_proj.weight", "F8_E4M3", [64, 64]), ("model.layers.0.self_attn.q_proj.weight_scale", "F32", [1]),
            ("model.layers.0.mlp.down_proj.weight", "F8_E4M3", [64, 160]), ("model.layers.0.mlp.down_proj.weight_scale", "F32", [1]),
            ("model.layers.0.mlp.up_proj.weight", "F8_E4M3", [160, 64]), ("model.layers.0.mlp.up_proj.weight_scale", "F32", [1]),
            ("lm_head.weight", "F8_E4M3", [512, 64]), ("lm_head.weight_scale", "F32", [1]));

        // up_proj is feed_forward.w3, which the consolidated file lacks.
        Assert.Equal(["fp8/model.safetensors: model.layers.0.mlp.up_proj"], Findings(project));
    }

    [Fact]
    public void A_finding_beside_unread_weights_names_them_and_the_waiver()
    {
        using var project = Empty();
        project.Bytes("flax_model.msgpack", [0x81, 0xA1, 0x61]).Write();
        Gguf.Write(Path.Combine(project.Root, "model-Q8_0.gguf"), [("general.architecture", "llama")], ("token_embd.weight", Gguf.Q8_0, [64, 512]));

        var finding = Assert.Single(ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root }).Diagnostics, d => d.Code == "MGP5011");

        Assert.Contains("does not read per matrix (flax_model.msgpack)", finding.Message, StringComparison.Ordinal);
        Assert.Contains("waive MGP5011", finding.Message, StringComparison.Ordinal);
    }

    // Review F.
    [Theory]
    [InlineData(2048, 256, false)] // the 7B original: one dimension equal, the other 8 × the int32 rows
    [InlineData(2560, 320, true)]  // a larger sibling's matrix of the same name is no copy, though of 1.56 × its weights
    public void A_packed_matrix_meets_only_exactly_its_weights(int rows, int columns, bool finding)
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("model.layers.0.mlp.down_proj.weight", "BF16", [columns, rows]), ("model.embed_tokens.weight", "BF16", [512, 64]));
        Safetensors.Write(Path.Combine(project.Root, "gptq", "model.safetensors"), ("model.layers.0.mlp.down_proj.qweight", "I32", [256, 256]), ("model.layers.0.mlp.down_proj.scales", "F16", [16, 256]));

        Assert.Equal(finding ? ["gptq/model.safetensors: model.layers.0.mlp.down_proj"] : [], Findings(project));
    }

    public static TheoryData<string, (string, string, int[])[], string> HiddenLayouts => new()
    {
        { "QuIP#", [("model.layers.0.self_attn.q_proj.Qidxs", "I16", [64, 8]), ("model.layers.0.self_attn.q_proj.SU", "F16", [64])], "model.layers.0.self_attn.q_proj" },
        { "VPTQ", [("model.layers.0.self_attn.q_proj.indices", "I16", [1, 64, 8]), ("model.layers.0.self_attn.q_proj.centroids.weight", "F16", [1, 256])], "model.layers.0.self_attn.q_proj" },
        { "torchao FP8", [("model.layers.0.self_attn.q_proj._weight_qdata", "F8_E4M3", [64, 64]), ("model.layers.0.self_attn.q_proj._weight_scale", "F32", [64, 1])], "model.layers.0.self_attn.q_proj" },
        { "FP8 fused experts", [("model.layers.0.mlp.experts.gate_up_proj", "F8_E4M3", [4, 64, 64]), ("model.layers.0.mlp.experts.gate_up_proj_scale", "F32", [4, 1, 64])], "model.layers.0.mlp.experts.gate_up_proj" },
        { "bitsandbytes 4-bit, flat", [("model.layers.0.self_attn.q_proj.weight", "U8", [2048]), ("model.layers.0.self_attn.q_proj.weight.absmax", "F32", [64])], "model.layers.0.self_attn.q_proj" },
    };

    [Theory]
    [MemberData(nameof(HiddenLayouts))]
    public void Layouts_whose_weights_looked_like_indexes_or_scales_are_judged(string layout, (string, string, int[])[] tensors, string matrix)
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "adapter", "adapter_model.safetensors"), Adapter);
        Safetensors.Write(Path.Combine(project.Root, "merged", "model.safetensors"), [("model.embed_tokens.weight", "F16", [512, 64]), .. tensors]);

        Assert.True(new[] { $"merged/model.safetensors: {matrix}" }.SequenceEqual(Findings(project)), layout + ": " + string.Join("; ", Findings(project)));
    }

    [Fact]
    public void A_torchao_int4_export_meets_its_original_by_the_unpacked_dimension()
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("model.embed_tokens.weight", "BF16", [512, 64]), ("model.layers.0.self_attn.q_proj.weight", "BF16", [64, 128]));
        Safetensors.Write(Path.Combine(project.Root, "int4", "model.safetensors"), ("model.layers.0.self_attn.q_proj._weight_qdata", "U8", [64, 64]), ("model.layers.0.self_attn.q_proj._weight_scale", "BF16", [64, 2]));

        Assert.Empty(Findings(project));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void An_ONNX_bnb4_graph_is_judged(bool withFull, bool finding)
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("model.embed_tokens.weight", "BF16", [512, 64]));
        if (withFull)
        {
            Onnx.Write(Path.Combine(project.Root, "onnx", "model.onnx"), ("onnx::MatMul_10", Onnx.F32, [64, 128], false));
        }

        Onnx.Write(Path.Combine(project.Root, "onnx", "model_bnb4.onnx"), ("onnx::MatMul_10_Bnb4", Onnx.U8, [4096], false), ("onnx::MatMul_10_absmax", Onnx.F32, [128], false));

        Assert.Equal(finding ? ["onnx/model_bnb4.onnx: onnx::MatMul_10"] : [], Findings(project));
    }

    [Theory]
    [InlineData("model_q2f16.onnx")]
    [InlineData("model_q1.onnx")]
    [InlineData("model_uint8.onnx")]
    public void Transformers_js_variants_meet_the_fp32_graph(string variant)
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("model.embed_tokens.weight", "BF16", [512, 64]));
        Onnx.Write(Path.Combine(project.Root, "onnx", "model.onnx"), ("onnx::MatMul_10", Onnx.F32, [64, 128], false));
        Onnx.Write(Path.Combine(project.Root, "onnx", variant), ("onnx::MatMul_10_quantized", Onnx.U8, [64, 128], false), ("onnx::MatMul_10_scale", Onnx.F32, [1], false));

        Assert.Empty(Findings(project));
    }

    [Theory]
    [InlineData("mmproj-audio-Q8_0.gguf", "a.blk.0", 64)] // the audio tower's layer 0, of the text layer's very sum: another part
    [InlineData("draft-Q8_0.gguf", "blk.0", 32)]          // a draft model's layer 0, of other dimensions: another sum
    public void Another_part_or_model_is_not_the_layers_split_matrices(string file, string layer, int rows)
    {
        // The text model's layer 0 holds a fused [128, 64] matrix.
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("model.embed_tokens.weight", "BF16", [512, 64]), ("model.layers.0.self_attn.qkv_proj.weight", "BF16", [128, 64]));
        Gguf.Write(Path.Combine(project.Root, file), [("general.architecture", "llama")], ($"{layer}.attn_q.weight", Gguf.Q8_0, [64, rows]), ($"{layer}.attn_k.weight", Gguf.Q8_0, [64, rows]));

        Assert.Equal([$"{file}: {layer}.attn_q, {layer}.attn_k"], Findings(project));
    }

    [Fact]
    public void A_tied_drafts_config_does_not_tie_the_main_models_head()
    {
        using var project = Empty();
        project.File("config.json", "{\"architectures\": [\"TinyForCausalLM\"], \"tie_word_embeddings\": false}")
            .File("draft/config.json", "{\"architectures\": [\"TinyForCausalLM\"], \"tie_word_embeddings\": true}").Write();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("model.embed_tokens.weight", "BF16", [512, 64]));
        Safetensors.Write(Path.Combine(project.Root, "draft", "model.safetensors"), ("model.embed_tokens.weight", "BF16", [512, 32]));
        Gguf.Write(Path.Combine(project.Root, "model-Q8_0.gguf"), [("general.architecture", "llama")], ("token_embd.weight", Gguf.Q8_0, [64, 512]), ("output.weight", Gguf.Q8_0, [64, 512]));

        Assert.Equal(["model-Q8_0.gguf: output"], Findings(project));
    }

    // Review G.
    [Theory]
    [InlineData(4, 2048, 256, false)] // 4-bit, as declared: the original
    [InlineData(4, 8192, 256, true)]  // a sibling four times as large would be the original at 1 bit: not at 4
    [InlineData(0, 8192, 256, true)]  // undeclared, 1-bit is not tried
    public void A_packed_matrix_unpacks_at_the_bits_its_config_declares(int bits, int rows, int columns, bool finding)
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("model.layers.0.mlp.down_proj.weight", "BF16", [columns, rows]), ("model.embed_tokens.weight", "BF16", [512, 64]));
        Safetensors.Write(Path.Combine(project.Root, "gptq", "model.safetensors"), ("model.layers.0.mlp.down_proj.qweight", "I32", [256, 256]), ("model.layers.0.mlp.down_proj.scales", "F16", [16, 256]));
        if (bits > 0)
        {
            project.File("gptq/config.json", $"{{\"architectures\": [\"TinyForCausalLM\"], \"quantization_config\": {{\"quant_method\": \"gptq\", \"bits\": {bits}}}}}").Write();
        }

        Assert.Equal(finding ? ["gptq/model.safetensors: model.layers.0.mlp.down_proj"] : [], Findings(project));
    }

    [Theory]
    [InlineData(false)] // qkv_proj [q + k + v, hidden] and gate_up_proj [2 × ffn, hidden], both split: two exact sums
    [InlineData(true)]  // another model, of twice the key and value heads: its k_proj is the GGUF's attn_k and attn_v, its v_proj nothing
    public void A_layers_split_matrices_are_partitioned_exactly_and_leave_no_full_matrix_unused(bool otherModel)
    {
        using var project = Empty();
        (string, string, int[])[] layer = otherModel
            ? [("model.layers.0.self_attn.q_proj.weight", "BF16", [64, 64]), ("model.layers.0.self_attn.k_proj.weight", "BF16", [32, 64]), ("model.layers.0.self_attn.v_proj.weight", "BF16", [32, 64])]
            : [("model.layers.0.self_attn.qkv_proj.weight", "BF16", [96, 64]), ("model.layers.0.mlp.gate_up_proj.weight", "BF16", [320, 64])];
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), [("model.embed_tokens.weight", "BF16", [512, 64]), .. layer]);
        (string, int, long[])[] quantized = otherModel
            ? [("blk.0.attn_q.weight", Gguf.Q8_0, [64, 64]), ("blk.0.attn_k.weight", Gguf.Q8_0, [64, 16]), ("blk.0.attn_v.weight", Gguf.Q8_0, [64, 16])]
            : [("blk.0.attn_q.weight", Gguf.Q8_0, [64, 64]), ("blk.0.attn_k.weight", Gguf.Q8_0, [64, 16]), ("blk.0.attn_v.weight", Gguf.Q8_0, [64, 16]), ("blk.0.ffn_gate.weight", Gguf.Q8_0, [64, 160]), ("blk.0.ffn_up.weight", Gguf.Q8_0, [64, 160])];
        Gguf.Write(Path.Combine(project.Root, "model-Q8_0.gguf"), [("general.architecture", "phi3")], [("token_embd.weight", Gguf.Q8_0, [64, 512]), .. quantized]);

        Assert.Equal(otherModel, Findings(project).Count > 0);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void An_NVFP4_export_of_two_weights_a_byte_meets_its_original(bool withOriginal, bool finding)
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "adapter", "adapter_model.safetensors"), Adapter);
        if (withOriginal)
        {
            Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("model.embed_tokens.weight", "BF16", [512, 64]), ("model.layers.0.mlp.down_proj.weight", "BF16", [64, 128]));
        }

        Safetensors.Write(Path.Combine(project.Root, "nvfp4", "model.safetensors"), ("model.embed_tokens.weight", "BF16", [512, 64]),
            ("model.layers.0.mlp.down_proj.weight", "U8", [64, 64]), ("model.layers.0.mlp.down_proj.weight_scale", "F8_E4M3", [64, 8]), ("model.layers.0.mlp.down_proj.weight_scale_2", "F32", [1]));

        Assert.Equal(finding ? ["nvfp4/model.safetensors: model.layers.0.mlp.down_proj"] : [], Findings(project));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void EXL3_exports_of_five_and_six_bits_meet_their_original(int bits)
    {
        // trellis [in / 16, out / 16, 16 × bits] in int16: 256 weights a tile.
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("model.embed_tokens.weight", "BF16", [512, 64]), ("model.layers.0.mlp.down_proj.weight", "BF16", [64, 128]));
        Safetensors.Write(Path.Combine(project.Root, "exl3", "model.safetensors"), ("model.embed_tokens.weight", "BF16", [512, 64]), ("model.layers.0.mlp.down_proj.trellis", "I16", [8, 4, 16 * bits]));
        project.File("exl3/config.json", $"{{\"architectures\": [\"TinyForCausalLM\"], \"quantization_config\": {{\"quant_method\": \"exl3\", \"bits\": {bits}}}}}").Write();

        Assert.Empty(Findings(project));
    }
}

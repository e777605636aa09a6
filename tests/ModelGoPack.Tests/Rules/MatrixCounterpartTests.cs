using ModelGoPack.Inspection;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// How a quantized matrix finds its full-precision counterpart (MGP5011) when the names differ or cannot be read:
/// across naming schemes by shape (GGUF and ONNX store [in, out]), a stack of experts by as many matrices, the tied
/// output head by the embedding, and PyTorch pickles whose tensors have no names (a list of tensors) by their
/// full-precision elements. Quantized matrices are known by packing suffixes, by scale siblings, and in ONNX by 8-bit
/// types; a pickle's tensors set in a dict under their names are matrices like a safetensors file's.
/// </summary>
public sealed partial class MatrixCounterpartTests
{
    [Theory]
    [InlineData(512, "HalfStorage", false)] // the pickle holds the layer's elements in full precision
    [InlineData(512, "BFloat16Storage", false)]
    [InlineData(512, "DoubleStorage", false)]
    [InlineData(512, "CharStorage", true)]  // int8 elements are no full-precision counterpart
    [InlineData(8, "HalfStorage", true)]    // a small full-precision pickle does not stand for the GGUF export
    public void A_PyTorch_pickle_stands_for_a_GGUF_export_by_its_full_precision_elements(int rows, string storage, bool finding)
    {
        // torch.save([tensor, ...]): a list names no tensor, so the pickle lists no matrices and only its elements count.
        using var project = Empty();
        PyTorchZip.WriteList(Path.Combine(project.Root, "pytorch_model.bin"), ("model.embed_tokens.weight", "FloatStorage", [512, 64]), ("model.layers.0.self_attn.q_proj.weight", storage, [rows, 1]));
        Gguf.Write(Path.Combine(project.Root, "tiny-Q4_K.gguf"), [("general.architecture", "llama")],
            ("token_embd.weight", Gguf.Q4_K, [512, 64]), ("blk.0.attn_q.weight", Gguf.Q4_K, [256, 2]));

        var findings = Findings(project);

        // The embedding (32,768 elements) is covered first; the layer only when the pickle holds 512 more.
        Assert.Equal(finding ? ["tiny-Q4_K.gguf: blk.0.attn_q"] : [], findings);
    }

    [Fact]
    public void A_GPTQ_pickle_beside_only_a_LoRA_adapter_is_MGP5011_naming_each_qweight()
    {
        using var project = Empty();
        PyTorchZip.Write(Path.Combine(project.Root, "pytorch_model.bin"), Gptq(layers: 2));
        Safetensors.Write(Path.Combine(project.Root, "adapter", "adapter_model.safetensors"),
            ("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", "F32", [4, 64]), ("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight", "F32", [64, 4]));

        Assert.Equal(["pytorch_model.bin: model.layers.0.self_attn.q_proj, model.layers.1.self_attn.q_proj"], Findings(project));
    }

    [Fact]
    public void A_GPTQ_pickle_beside_BF16_safetensors_of_the_same_names_and_shapes_is_covered()
    {
        using var project = Empty();
        PyTorchZip.Write(Path.Combine(project.Root, "gptq", "pytorch_model.bin"), Gptq(layers: 2));
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"),
            [.. Enumerable.Range(0, 2).SelectMany(i => new[] { ($"model.layers.{i}.self_attn.q_proj.weight", "BF16", new[] { 64, 64 }), ($"model.layers.{i}.self_attn.q_proj.bias", "BF16", new[] { 64 }) })]);

        Assert.Empty(Findings(project));

        // Without the second layer's matrix, that layer's qweight has no counterpart (names decide within a scheme).
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("model.layers.0.self_attn.q_proj.weight", "BF16", [64, 64]));
        Assert.Equal(["gptq/pytorch_model.bin: model.layers.1.self_attn.q_proj"], Findings(project));
    }

    [Fact]
    public void An_int8_pickle_with_SCB_beside_an_unrelated_F16_file_is_MGP5011()
    {
        using var project = Empty();
        PyTorchZip.Write(Path.Combine(project.Root, "pytorch_model.bin"),
            ("model.layers.0.mlp.down_proj.weight", "CharStorage", [64, 64]), ("model.layers.0.mlp.down_proj.SCB", "FloatStorage", [64]),
            ("model.layers.1.mlp.down_proj.weight", "CharStorage", [64, 64]), ("model.layers.1.mlp.down_proj.SCB", "FloatStorage", [64]),
            ("model.norm.weight", "HalfStorage", [64]));
        Safetensors.Write(Path.Combine(project.Root, "vision", "model.safetensors"), ("vision.proj.weight", "F16", [32, 16]));

        Assert.Equal(["pytorch_model.bin: model.layers.0.mlp.down_proj, model.layers.1.mlp.down_proj"], Findings(project));
    }

    // A real GPTQ checkpoint keeps its embedding and lm_head in F16. The rule's last step still counts every
    // full-precision element of a pickle as a counterpart for matrices no name or shape matched, including the
    // elements of matrices the pickle now lists and those of the quantized export itself, so these 65,536 F16
    // elements cover the qweights. Unskip when PreferredAdaptableForm counts only pickles that list no matrices.
    [Fact]
    public void A_GPTQ_pickle_with_its_F16_embedding_and_head_is_still_MGP5011()
    {
        using var project = Empty();
        PyTorchZip.Write(Path.Combine(project.Root, "pytorch_model.bin"),
            [("model.embed_tokens.weight", "HalfStorage", [512, 64]), ("lm_head.weight", "HalfStorage", [512, 64]), .. Gptq(layers: 2)]);
        Safetensors.Write(Path.Combine(project.Root, "adapter", "adapter_model.safetensors"), ("base_model.model.lm_head.lora_A.weight", "F32", [4, 64]));

        Assert.Equal(["pytorch_model.bin: model.layers.0.self_attn.q_proj, model.layers.1.self_attn.q_proj"], Findings(project));
    }

    [Fact]
    public void A_full_precision_ONNX_model_stands_for_an_int8_safetensors_export_by_name()
    {
        using var project = Empty();
        Onnx.Write(Path.Combine(project.Root, "model.onnx"), ("model.embed_tokens.weight", Onnx.F32, [512, 64], false), ("model.layers.0.mlp.down_proj.weight", Onnx.F32, [16, 16], false));
        Safetensors.Write(Path.Combine(project.Root, "int8", "model.safetensors"), ("model.embed_tokens.weight", "F32", [512, 64]), ("model.layers.0.mlp.down_proj.weight", "I8", [16, 16]), ("model.layers.0.mlp.down_proj.SCB", "F32", [16]));

        Assert.Empty(Findings(project));
    }

    [Theory]
    [InlineData("weight_packed", "I32")] // compressed-tensors (vLLM, llm-compressor)
    [InlineData("q_weight", "I32")]      // ExLlamaV2 EXL2
    [InlineData("weight_blocks", "U8")]  // MXFP4 blocks: [rows, blocks, 16 bytes of 32 four-bit weights]
    public void Packed_matrices_under_other_names_need_a_full_precision_matrix_of_their_name(string suffix, string dtype)
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "mm_projector.safetensors"), ("mm_projector.weight", "F16", [64, 64]));
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"),
            [("model.embed_tokens.weight", "F16", [512, 64]), .. Enumerable.Range(0, 2).Select(i => ($"model.layers.{i}.mlp.down_proj.{suffix}", dtype, dtype == "U8" ? new[] { 64, 2, 16 } : new[] { 64, 8 })),
             .. Enumerable.Range(0, 2).Select(i => ($"model.layers.{i}.mlp.down_proj.weight_scale", "F16", new[] { 64, 1 }))]);

        Assert.Equal(["model.safetensors: model.layers.0.mlp.down_proj, model.layers.1.mlp.down_proj"], Findings(project));

        Safetensors.Write(Path.Combine(project.Root, "full", "model.safetensors"), ("model.layers.0.mlp.down_proj.weight", "BF16", [64, 64]), ("model.layers.1.mlp.down_proj.weight", "BF16", [64, 64]));
        Assert.Empty(Findings(project));
    }

    // The packing suffix alone makes a matrix quantized, with or without scales beside it.
    [Theory]
    [InlineData("model.layers.0.mlp.down_proj.qweight")]
    [InlineData("model.layers.0.mlp.down_proj.weight_packed")]
    [InlineData("model.layers.0.mlp.down_proj.q_weight")]
    [InlineData("model.layers.0.mlp.down_proj_blocks")]
    public void A_packing_suffix_is_quantization_without_scales(string tensor)
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("model.embed_tokens.weight", "F16", [512, 64]), (tensor, "I32", [8, 64]));

        Assert.Equal(["model.safetensors: model.layers.0.mlp.down_proj"], Findings(project));
    }

    [Fact]
    public void MXFP4_expert_blocks_meet_the_fused_full_precision_experts_by_name()
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("model.embed_tokens.weight", "BF16", [64, 32]), ("model.layers.0.mlp.experts.gate_up_proj", "BF16", [4, 32, 64]));
        Safetensors.Write(Path.Combine(project.Root, "mxfp4", "model.safetensors"),
            ("model.embed_tokens.weight", "BF16", [64, 32]), ("model.layers.0.mlp.experts.gate_up_proj_blocks", "U8", [4, 64, 1, 16]), ("model.layers.0.mlp.experts.gate_up_proj_scales", "U8", [4, 64, 1]),
            ("model.layers.0.mlp.experts.down_proj_blocks", "U8", [4, 32, 2, 16]), ("model.layers.0.mlp.experts.down_proj_scales", "U8", [4, 32, 2]));

        Assert.Equal(["mxfp4/model.safetensors: model.layers.0.mlp.experts.down_proj"], Findings(project));
    }

    [Theory]
    [InlineData("model.layers.0.mlp.down_proj.scale", true)] // an integer tensor whose scales the file holds is quantized
    [InlineData("model.layers.0.mlp.gate_proj.scale", true)] // so is one of a file that holds scales of others: a layout of its own
    [InlineData("model.layers.0.mlp.gate_proj.norm", false)] // an integer tensor of a file with no scales and no quantized matrix is not weights
    public void An_integer_tensor_of_another_name_is_a_matrix_when_the_file_holds_its_scales_or_others(string scale, bool finding)
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"),
            ("model.embed_tokens.weight", "F16", [512, 64]), ("embeddings.position_ids", "I64", [1, 512]), ("model.layers.0.mlp.down_proj", "I8", [16, 16]), (scale, "F16", [16, 1]));

        Assert.Equal(finding ? ["model.safetensors: model.layers.0.mlp.down_proj"] : [], Findings(project));
    }

    [Theory]
    [InlineData(64, true)]   // a small projector does not stand for an int8 ONNX model
    [InlineData(256, false)] // full-precision matrices of the same sizes, transposed, do
    public void An_int8_ONNX_model_is_judged_per_matrix_by_shape(int side, bool finding)
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("mm_projector.weight", "F16", [side, side]), ("model.embed_tokens.weight", "F16", side == 64 ? [64, 64] : [64, 512]));
        Onnx.Write(Path.Combine(project.Root, "model_int8.onnx"), ("embed", Onnx.I8, [512, 64], false), ("onnx::MatMul_7_quantized", Onnx.U8, [256, 256], false), ("onnx::MatMul_7_scale", Onnx.F32, [1], false), ("position", Onnx.I64, [1, 64], false));

        var findings = Findings(project);

        // (A quantized name decides first; an int8 tensor of another name is weights of a file that holds scales.)
        Assert.Equal(finding ? ["model_int8.onnx: onnx::MatMul_7, embed"] : [], findings);
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(3, true)]
    public void A_GGUF_stack_of_experts_needs_as_many_full_precision_experts(int experts, bool finding)
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"),
            [("model.embed_tokens.weight", "F16", [64, 32]), .. Enumerable.Range(0, experts).Select(e => ($"model.layers.0.mlp.experts.{e}.gate_proj.weight", "F16", new[] { 8, 32 }))]);
        Gguf.Write(Path.Combine(project.Root, "tiny-Q8_0.gguf"), [("general.architecture", "qwen2moe")],
            ("token_embd.weight", Gguf.Q8_0, [32, 64]), ("blk.0.ffn_gate_exps.weight", Gguf.Q8_0, [32, 8, 4]));

        Assert.Equal(finding ? ["tiny-Q8_0.gguf: blk.0.ffn_gate_exps"] : [], Findings(project));
    }

    [Fact]
    public void Experts_once_counted_are_taken_from_the_pool()
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), [.. Enumerable.Range(0, 4).Select(e => ($"model.layers.0.mlp.experts.{e}.gate_proj.weight", "F16", new[] { 8, 32 }))]);
        Gguf.Write(Path.Combine(project.Root, "tiny-Q8_0.gguf"), [("general.architecture", "qwen2moe")],
            ("blk.0.ffn_gate_exps.weight", Gguf.Q8_0, [32, 8, 4]), ("blk.0.ffn_up_exps.weight", Gguf.Q8_0, [32, 8, 4]), ("blk.1.attn_q.weight", Gguf.Q8_0, [32, 8]));

        Assert.Equal(["tiny-Q8_0.gguf: blk.0.ffn_up_exps, blk.1.attn_q"], Findings(project));
    }

    // The GGUF file keeps one matrix of the shape in F16 and the safetensors file has one: one counterpart, not two.
    [Fact]
    public void An_exports_own_full_precision_matrices_are_taken_out_of_what_other_files_offer()
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("model.layers.0.self_attn.q_proj.weight", "F16", [32, 32]));
        Gguf.Write(Path.Combine(project.Root, "tiny-Q8_0.gguf"), [("general.architecture", "llama")],
            ("blk.0.attn_k.weight", Gguf.F16, [32, 32]), ("blk.0.attn_q.weight", Gguf.Q8_0, [32, 32]), ("blk.0.attn_v.weight", Gguf.Q8_0, [32, 32]));

        Assert.Equal(["tiny-Q8_0.gguf: blk.0.attn_v"], Findings(project));
    }

    [Theory]
    [InlineData("output.weight", 64, false)]  // tied embeddings: the one full-precision embedding stands for both
    [InlineData("output.weight", 96, true)]   // an output head of another shape has no counterpart
    [InlineData("blk.1.attn_q.weight", 64, true)] // only the output head may share the embedding
    public void The_output_head_may_share_the_full_precision_embedding(string tensor, int vocabulary, bool finding)
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("model.embed_tokens.weight", "F16", [64, 32]), ("model.layers.0.self_attn.q_proj.weight", "F16", [32, 32]));
        Gguf.Write(Path.Combine(project.Root, "tiny-Q8_0.gguf"), [("general.architecture", "llama")],
            ("token_embd.weight", Gguf.Q8_0, [32, 64]), (tensor, Gguf.Q8_0, [32, vocabulary]), ("blk.0.attn_q.weight", Gguf.Q8_0, [32, 32]));

        Assert.Equal(finding ? [$"tiny-Q8_0.gguf: {tensor[..^7]}"] : [], Findings(project));
    }

    [Fact]
    public void A_tied_lm_head_in_an_int8_export_is_covered_by_the_embedding_of_another_export()
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("model.embed_tokens.weight", "F16", [64, 32]));
        Safetensors.Write(Path.Combine(project.Root, "int8", "model.safetensors"), ("model.embed_tokens.weight", "F16", [64, 32]), ("lm_head.weight", "I8", [64, 32]), ("lm_head.SCB", "F32", [64]));

        Assert.Empty(Findings(project));
    }

    [Fact]
    public void A_counterpart_of_the_same_elements_but_another_shape_does_not_count()
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, "mmproj.safetensors"), ("vision.proj.weight", "F16", [16, 64]));
        Gguf.Write(Path.Combine(project.Root, "tiny-Q8_0.gguf"), [("general.architecture", "llama")], ("blk.0.attn_q.weight", Gguf.Q8_0, [32, 32]));

        Assert.Equal(["tiny-Q8_0.gguf: blk.0.attn_q"], Findings(project));
    }

    [Theory]
    [InlineData("q/model-00001-of-00002.safetensors", true)] // a shard of the same export: its own embedding
    [InlineData("full/model.safetensors", false)]            // another export
    public void The_shards_of_one_export_are_not_each_others_counterparts(string embedding, bool finding)
    {
        using var project = Empty();
        Safetensors.Write(Path.Combine(project.Root, embedding), ("model.embed_tokens.weight", "F16", [64, 32]));
        Safetensors.Write(Path.Combine(project.Root, "q", "model-00002-of-00002.safetensors"), ("lm_head.weight", "I8", [64, 32]), ("lm_head.SCB", "F32", [64]));

        Assert.Equal(finding ? ["q/model-00002-of-00002.safetensors: lm_head"] : [], Findings(project));
    }

    [Theory]
    [InlineData(256, false)] // the F16 export's matrix of the same name and shape
    [InlineData(32, true)]   // a matrix of the same name in a smaller model (a draft model's GGUF) is no copy of it
    public void Two_GGUF_files_of_one_folder_are_two_exports_matched_by_name_and_shape(int rows, bool finding)
    {
        using var project = Empty();
        Gguf.Write(Path.Combine(project.Root, "tiny-F16.gguf"), [("general.architecture", "llama")], ("token_embd.weight", Gguf.F16, [32, 64]), ("blk.0.attn_q.weight", Gguf.F16, [rows, 32]));
        Gguf.Write(Path.Combine(project.Root, "tiny-Q4_K.gguf"), [("general.architecture", "llama")], ("token_embd.weight", Gguf.Q8_0, [32, 64]), ("blk.0.attn_q.weight", Gguf.Q4_K, [256, 32]));

        Assert.Equal(finding ? ["tiny-Q4_K.gguf: blk.0.attn_q"] : [], Findings(project));
    }

    [Fact]
    public void GGUF_shards_are_one_export()
    {
        using var project = Empty();
        Gguf.Write(Path.Combine(project.Root, "tiny-Q4_K-00001-of-00002.gguf"), [("general.architecture", "llama")], ("token_embd.weight", Gguf.F16, [32, 64]));
        Gguf.Write(Path.Combine(project.Root, "tiny-Q4_K-00002-of-00002.gguf"), [("general.architecture", "llama")], ("output.weight", Gguf.Q8_0, [32, 64]));

        // The first shard's full-precision embedding is the export's own, so it is not the tied output head's counterpart.
        Assert.Equal(["tiny-Q4_K-00002-of-00002.gguf: output"], Findings(project));
    }

    [Theory]
    [InlineData("model.layers.0.mlp.down_proj.weight", "model.layers.0.mlp.down_proj")]
    [InlineData("model.layers.0.mlp.down_proj.qweight", "model.layers.0.mlp.down_proj")]
    [InlineData("model.layers.0.mlp.down_proj.weight_packed", "model.layers.0.mlp.down_proj")]
    [InlineData("model.layers.0.mlp.down_proj.q_weight", "model.layers.0.mlp.down_proj")]
    [InlineData("model.layers.0.mlp.experts.gate_up_proj_blocks", "model.layers.0.mlp.experts.gate_up_proj")]
    [InlineData("model.layers.0.mlp.down_proj.weight_blocks", "model.layers.0.mlp.down_proj")]
    [InlineData("onnx::MatMul_7_quantized", "onnx::MatMul_7")]
    [InlineData("model.layers.0.mlp.experts.gate_up_proj", "model.layers.0.mlp.experts.gate_up_proj")]
    [InlineData("weights", "weights")]
    [InlineData("x_quantized_blocks", "x_quantized")]
    public void Logical_names(string tensor, string name) => Assert.Equal(name, WeightMatrix.LogicalName(tensor));

    [Theory]
    [InlineData("x.scales", "x")]
    [InlineData("x.scale", "x")]
    [InlineData("x.weight_scale", "x")]
    [InlineData("x.weight_scale_inv", "x")]
    [InlineData("x.SCB", "x")]
    [InlineData("x.weight.absmax", "x")]
    [InlineData("x.q_scale", "x")]
    [InlineData("x.q_scale_max", "x")]
    [InlineData("a.b_scales", "a.b")]
    [InlineData("onnx::MatMul_7_scale", "onnx::MatMul_7")]
    [InlineData("x.weight", null)]
    [InlineData("x.qzeros", null)]
    [InlineData("x.scalesx", null)]
    [InlineData("scales", null)]
    public void Scale_owners(string tensor, string? owner) => Assert.Equal(owner, WeightMatrix.ScaleOwner(tensor));

    [Fact]
    public void Shapes_are_order_free_and_stacks_unstack_each_way()
    {
        Assert.Equal(MatrixShape.Of([16, 64], 1024), MatrixShape.Of([64, 16], 1024));
        Assert.NotEqual(MatrixShape.Of([16, 64], 1024), MatrixShape.Of([32, 32], 1024));
        Assert.NotEqual(MatrixShape.Of([16, 64], 1024), MatrixShape.Of([1, 16, 64], 1024));
        Assert.Equal(new MatrixShape(4, 1024, 0, 0), MatrixShape.Of([2, 2, 16, 16], 1024));
        Assert.Equal(new MatrixShape(3, 32, 8, 4), MatrixShape.Of([8, 4, 32], 1024));

        Assert.Equal([(32L, new MatrixShape(2, 8, 4, 0)), (8L, new MatrixShape(2, 32, 4, 0)), (4L, new MatrixShape(2, 32, 8, 0))], MatrixShape.Of([32, 8, 4], 1024).Unstacked());
        Assert.Equal([(8L, new MatrixShape(2, 8, 4, 0)), (4L, new MatrixShape(2, 8, 8, 0))], MatrixShape.Of([8, 8, 4], 256).Unstacked());
        Assert.Equal([(8L, new MatrixShape(2, 8, 8, 0))], MatrixShape.Of([8, 8, 8], 512).Unstacked());
        Assert.Empty(MatrixShape.Of([8, 8], 64).Unstacked());
    }

    /// <summary>
    /// GPTQ (4 bits, group size 32) of 64x64 q_proj layers as AutoGPTQ saves them to pytorch_model.bin: qweight int32
    /// [in/8, out], qzeros int32 [in/32, out/8], scales F16 [in/32, out], g_idx int32 [in], bias F16 [out].
    /// </summary>
    private static (string Name, string StorageClass, long[] Shape)[] Gptq(int layers) =>
        [.. Enumerable.Range(0, layers).SelectMany(i => new (string, string, long[])[]
        {
            ($"model.layers.{i}.self_attn.q_proj.qweight", "IntStorage", [8, 64]),
            ($"model.layers.{i}.self_attn.q_proj.qzeros", "IntStorage", [2, 8]),
            ($"model.layers.{i}.self_attn.q_proj.scales", "HalfStorage", [2, 64]),
            ($"model.layers.{i}.self_attn.q_proj.g_idx", "IntStorage", [64]),
            ($"model.layers.{i}.self_attn.q_proj.bias", "HalfStorage", [64]),
        })];

    private static ModelProjectBuilder Empty()
    {
        var project = new ModelProjectBuilder();
        File.Delete(Path.Combine(project.Root, "model.safetensors"));
        project.Write();
        return project;
    }

    /// <summary>Each MGP5011 finding as "path: the matrices it lists".</summary>
    private static List<string> Findings(ModelProjectBuilder project) =>
        ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root }).Diagnostics
            .Where(d => d.Code == "MGP5011")
            .Select(d => $"{d.Path}: {d.Message.Split(" in the release: ")[1].Split(". ")[0]}")
            .ToList();
}

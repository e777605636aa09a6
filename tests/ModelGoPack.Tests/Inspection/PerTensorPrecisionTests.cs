using ModelGoPack.Diagnostics;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// Clause 2.2(a)(v) asks for the form "preferred for making modifications": full-precision weights. It is judged per
/// weight matrix, not by the share of elements, so a large full-precision embedding table does not make quantized
/// layers full precision. Each quantized matrix (GPTQ/AWQ qweight, int8 with SCB, FP8 with weight_scale, bitsandbytes
/// 4-bit with absmax, a GGUF block type) needs a full-precision counterpart in the release (MGP5011): a matrix of the
/// same name, or for a GGUF export a full-precision matrix of the same shape in a file of another format
/// (<see cref="MatrixCounterpartTests"/> has the other ways).
/// </summary>
public sealed class PerTensorPrecisionTests
{
    // Most elements are in the F32 embedding table, so the file counted as full precision by elements.
    private static readonly (string, string, int[]) Embedding = ("model.embed_tokens.weight", "F32", [512, 64]);

    private static readonly (string, string, int[])[] Int8 =
        [Embedding, ("model.layers.0.mlp.down_proj.weight", "I8", [16, 16]), ("model.layers.0.mlp.down_proj.SCB", "F32", [16]), ("model.layers.0.mlp.down_proj.weight_format", "U8", [1])];

    public static TheoryData<string, (string, string, int[])[], string> Quantized => new()
    {
        { "LLM.int8 with SCB", Int8, "model.layers.0.mlp.down_proj" },
        { "GPTQ", [Embedding, ("model.layers.0.self_attn.q_proj.qweight", "I32", [2, 16]), ("model.layers.0.self_attn.q_proj.qzeros", "I32", [1, 2]), ("model.layers.0.self_attn.q_proj.scales", "F16", [1, 16]), ("model.layers.0.self_attn.q_proj.g_idx", "I32", [16])], "model.layers.0.self_attn.q_proj" },
        { "AWQ", [Embedding, ("model.layers.0.self_attn.k_proj.qweight", "I32", [16, 2]), ("model.layers.0.self_attn.k_proj.qzeros", "I32", [1, 2]), ("model.layers.0.self_attn.k_proj.scales", "F16", [1, 16])], "model.layers.0.self_attn.k_proj" },
        { "bitsandbytes 4-bit", [Embedding, ("model.layers.0.mlp.up_proj.weight", "U8", [128, 1]), ("model.layers.0.mlp.up_proj.weight.absmax", "F32", [8]), ("model.layers.0.mlp.up_proj.weight.quant_map", "F32", [16]), ("model.layers.0.mlp.up_proj.weight.quant_state.bitsandbytes__nf4", "U8", [64])], "model.layers.0.mlp.up_proj" },
        { "FP8", [Embedding, ("model.layers.0.self_attn.o_proj.weight", "F8_E4M3", [16, 16]), ("model.layers.0.self_attn.o_proj.weight_scale", "F32", [1])], "model.layers.0.self_attn.o_proj" },
    };

    [Theory]
    [MemberData(nameof(Quantized))]
    public void Quantized_layers_beside_a_large_full_precision_embedding_are_MGP5011_naming_them(string kind, (string, string, int[])[] tensors, string matrix)
    {
        using var project = Project(tensors);

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var d = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.True(d.Code == "MGP5011", $"{kind}: {d}");
        Assert.Equal("model.safetensors", d.Path);
        Assert.StartsWith($"'model.safetensors' holds 1 quantized weight matrix with no full-precision counterpart in the release: {matrix}. ", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Quantized))]
    public void The_same_layers_pass_beside_a_full_precision_copy_of_the_same_name(string kind, (string, string, int[])[] tensors, string matrix)
    {
        using var project = Project(tensors);
        Safetensors.Write(Path.Combine(project.Root, "full", "model.safetensors"), Embedding, ($"{matrix}.weight", "BF16", [16, 16]));

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.True(result.Compliant, kind + ": " + string.Join("\n", result.Diagnostics));
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP5011");
    }

    [Fact]
    public void A_full_precision_copy_of_another_matrix_does_not_count()
    {
        using var project = Project(Int8);
        Safetensors.Write(Path.Combine(project.Root, "full", "model.safetensors"), ("model.layers.0.mlp.gate_proj.weight", "BF16", [16, 16]));

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Equal("MGP5011", Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error).Code);
    }

    [Theory]
    [InlineData("F32")]
    [InlineData("F16")]
    [InlineData("BF16")]
    public void Full_precision_releases_with_int_position_ids_and_bool_masks_pass(string dtype)
    {
        using var project = Project(
            ("model.embed_tokens.weight", dtype, [64, 16]),
            ("model.layers.0.self_attn.q_proj.weight", dtype, [16, 16]),
            ("model.layers.0.self_attn.q_proj.bias", dtype, [16]),
            ("model.layers.0.input_layernorm.weight", dtype, [16]),
            ("model.position_ids", "I64", [1, 64]),
            ("model.layers.0.attn.bias", "BOOL", [1, 1, 8, 8]),
            ("model.layers.0.attn.mask.weight", "BOOL", [8, 8]));

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        Assert.DoesNotContain(result.Diagnostics, d => d.Code.StartsWith("MGP5", StringComparison.Ordinal));
    }

    [Fact]
    public void A_finding_lists_five_matrices_and_counts_the_rest()
    {
        var layers = Enumerable.Range(0, 7).Select(i => ($"model.layers.{i}.mlp.down_proj.weight", "I8", new[] { 16, 16 }));
        using var project = Project([Embedding, .. layers]);

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var d = Assert.Single(result.Diagnostics, d => d.Code == "MGP5011");
        Assert.Contains("holds 7 quantized weight matrices with no full-precision counterpart in the release: model.layers.0.mlp.down_proj, model.layers.1.mlp.down_proj, model.layers.2.mlp.down_proj, model.layers.3.mlp.down_proj, model.layers.4.mlp.down_proj and 2 more. ", d.Message, StringComparison.Ordinal);
    }

    // A GGUF export names its tensors as llama.cpp does (blk.0.attn_q), so its counterparts are the full-precision
    // matrices of the same shape in a file of another format, one for each.
    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(2, 2, false)]
    [InlineData(2, 1, true)]
    [InlineData(1, 0, true)]
    public void A_GGUF_export_needs_a_full_precision_matrix_of_its_shape_in_another_file_for_each_of_its_matrices(int quantized, int full, bool finding)
    {
        using var project = Project([Embedding, .. Enumerable.Range(0, full).Select(i => ($"model.layers.{i}.self_attn.q_proj.weight", "F16", new[] { 2, 256 }))]);
        Gguf.Write(Path.Combine(project.Root, "tiny-Q4_K.gguf"), [("general.architecture", "llama")],
            [("token_embd.weight", Gguf.F16, [64, 512]), .. Enumerable.Range(0, quantized).Select(i => ($"blk.{i}.attn_q.weight", Gguf.Q4_K, new long[] { 256, 2 }))]);

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var findings = result.Diagnostics.Where(d => d.Code == "MGP5011").ToList();
        Assert.Equal(finding ? 1 : 0, findings.Count);
        if (finding)
        {
            Assert.Equal("tiny-Q4_K.gguf", findings[0].Path);
            Assert.Contains($"holds 1 quantized weight matrix with no full-precision counterpart in the release: blk.{quantized - 1}.attn_q. ", findings[0].Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_GGUF_whose_full_precision_embedding_holds_most_elements_is_not_full_precision_alone()
    {
        using var project = new ModelProjectBuilder();
        File.Delete(Path.Combine(project.Root, "model.safetensors"));
        Gguf.Write(Path.Combine(project.Root, "tiny.gguf"), [("general.architecture", "llama")],
            ("token_embd.weight", Gguf.F16, [256, 256]), ("blk.0.attn_q.weight", Gguf.Q4_K, [256, 2]), ("blk.0.attn_norm.weight", Gguf.F32, [256]));
        project.Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var d = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(("MGP5011", "tiny.gguf"), (d.Code, d.Path));
        Assert.Contains(": blk.0.attn_q. ", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_judges_a_received_bundle_per_matrix_too()
    {
        using var project = Project(Int8);
        Safetensors.Write(Path.Combine(project.Root, "full", "model.safetensors"), ("model.layers.0.mlp.down_proj.weight", "BF16", [16, 16]));
        var bundle = project.Pack(Emit.BundleFormat.Zip).OutputPath!;

        Assert.True(ModelGoPackEngine.Verify(bundle).Compliant);

        using var quantizedOnly = Project(Int8);
        var waived = quantizedOnly.Config;
        waived["waivers"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["code"] = "MGP5011", ["justification"] = "Full-precision weights are published at https://example.org/full." });
        quantizedOnly.Write();
        var packed = quantizedOnly.Pack(Emit.BundleFormat.Directory).OutputPath!;
        var verified = ModelGoPackEngine.Verify(packed);
        Assert.True(verified.Compliant, string.Join("\n", verified.Diagnostics));
        var d = Assert.Single(verified.Diagnostics, d => d.Code == "MGP5011");
        Assert.Equal(Severity.Info, d.Severity);
    }

    private static ModelProjectBuilder Project(params (string, string, int[])[] tensors)
    {
        var project = new ModelProjectBuilder();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), tensors);
        project.Write();
        return project;
    }
}

/// <summary>Edges of the per-matrix rule: a GGUF file's own full-precision matrices are not its counterparts; five are listed whole.</summary>
public sealed class PerTensorPrecisionEdgeTests
{
    [Fact]
    public void A_GGUF_files_own_full_precision_matrix_of_the_same_size_is_not_a_counterpart()
    {
        using var project = new ModelProjectBuilder();
        File.Delete(Path.Combine(project.Root, "model.safetensors"));
        Gguf.Write(Path.Combine(project.Root, "tiny.gguf"), [("general.architecture", "llama")],
            ("token_embd.weight", Gguf.F16, [256, 256]), ("output.weight", Gguf.F16, [256, 2]), ("blk.0.attn_q.weight", Gguf.Q4_K, [256, 2]));
        project.Write();

        var d = Assert.Single(ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root }).Diagnostics, d => d.Code == "MGP5011");

        Assert.Contains(": blk.0.attn_q. ", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Five_matrices_are_listed_whole_and_one_dimensional_int_weights_are_not_matrices()
    {
        using var project = new ModelProjectBuilder();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"),
            [("model.embed_tokens.weight", "F32", [512, 64]), ("model.norm.weight", "U8", [64]), .. Enumerable.Range(0, 5).Select(i => ($"model.layers.{i}.mlp.down_proj.weight", "I8", new[] { 16, 16 }))]);
        project.Write();

        var d = Assert.Single(ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root }).Diagnostics, d => d.Code == "MGP5011");

        Assert.Contains("holds 5 quantized weight matrices with no full-precision counterpart in the release: model.layers.0.mlp.down_proj, model.layers.1.mlp.down_proj, model.layers.2.mlp.down_proj, model.layers.3.mlp.down_proj, model.layers.4.mlp.down_proj. ", d.Message, StringComparison.Ordinal);
    }
}

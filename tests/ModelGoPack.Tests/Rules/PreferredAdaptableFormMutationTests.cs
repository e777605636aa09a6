using ModelGoPack.Diagnostics;
using ModelGoPack.Inspection;
using ModelGoPack.Rules;

namespace ModelGoPack.Tests;

/// <summary>
/// Clause 2.2(a)(v) rule by rule, on releases described by their artifacts (what the inspectors report of each file)
/// rather than written to disk: the bounds and arithmetic of the MGP5011 counterpart search (packed heads at each bit
/// width, split and fused layers, the limits of the partition search), which files are auxiliary, the words of each
/// finding, and the paths the rule derives (a config's folder, a bytecode file's source).
/// </summary>
public sealed class PreferredAdaptableFormMutationTests
{
    // ---- Findings outside the matrix search, and their words ----

    [Fact]
    public void An_unreadable_weight_file_is_MGP8009_naming_it()
    {
        var diagnostics = Evaluate(Config("config.json"), Weights("model.safetensors", Full("w", 16, 16)), Unread("model-2.safetensors", "safetensors") with { ReadError = "Permission denied" });

        var d = Assert.Single(diagnostics, d => d.Code == "MGP8009");
        Assert.Equal($"Cannot read 'model-2.safetensors': Permission denied {DiagnosticCatalog.FileUnreadable.Help}", d.Message);
        Assert.Equal("model-2.safetensors", d.Path);
    }

    [Fact]
    public void A_broken_weight_file_beside_other_files_is_MGP8021_and_not_a_release_without_weights()
    {
        var broken = new Artifact { Path = "model.safetensors", Size = 8, Role = ArtifactRole.Weights, Problem = "the header length is past the end of the file." };

        var diagnostics = Evaluate(Plain("README.md", ArtifactRole.Docs), broken);

        Assert.Equal(["MGP8021"], diagnostics.Select(d => d.Code));
    }

    [Fact]
    public void A_release_without_weights_is_MGP5001_in_its_words()
    {
        var d = Assert.Single(Evaluate(Config("config.json"), Plain("README.md", ArtifactRole.Docs)));

        Assert.Equal("MGP5001", d.Code);
        Assert.Equal($"No file of the release holds model weights. {DiagnosticCatalog.NoWeights.Help}", d.Message);
        Assert.Null(d.Path);
    }

    [Fact]
    public void A_pickle_is_MGP5009_in_its_words()
    {
        var pickle = Weights("pytorch_model.bin", Full("w", 16, 16));
        pickle = pickle with { Weights = pickle.Weights! with { ExecutesCodeOnLoad = true } };

        var d = Assert.Single(Evaluate(Config("config.json"), pickle));

        Assert.Equal("MGP5009", d.Code);
        Assert.Equal($"'pytorch_model.bin' is a PyTorch pickle. {DiagnosticCatalog.PickleWeights.Help}", d.Message);
        Assert.Equal("pytorch_model.bin", d.Path);
    }

    [Theory]
    [InlineData(3, "flax_model.msgpack, tf_model.h5, model.npz")]
    [InlineData(5, "flax_model.msgpack, tf_model.h5, model.npz and 2 more")]
    public void MGP5011_names_up_to_three_weight_files_of_no_listed_matrices_and_counts_the_others(int count, string named)
    {
        Artifact[] unread = [Unread("flax_model.msgpack", "msgpack"), Unread("tf_model.h5", "h5"), Unread("model.npz", "npz"), Unread("weights.npy", "npy"), Unread("model.ggml", "ggml")];

        var diagnostics = Evaluate([Config("config.json"), Weights("q/model.safetensors", Quant("model.layers.0.mlp.down_proj", 16, 16)), .. unread.Take(count)]);

        var d = Assert.Single(diagnostics, d => d.Code == "MGP5011");
        Assert.Equal(
            $"'q/model.safetensors' holds 1 quantized weight matrix with no full-precision counterpart in the release: model.layers.0.mlp.down_proj. The release also holds weights ModelGoPack does not read per matrix ({named}): if they are this model's full precision, waive MGP5011 saying so. {DiagnosticCatalog.QuantizedMatrixWithoutFullPrecision.Help}",
            d.Message);
        Assert.Equal("q/model.safetensors", d.Path);
    }

    [Fact]
    public void MGP5011_without_unread_weights_names_the_matrices_and_nothing_more()
    {
        var diagnostics = Evaluate(Config("config.json"), Weights("model.safetensors", Full("model.norm_proj", 8, 8)), Weights("q/model.safetensors", Quant("model.layers.0.a", 16, 16), Quant("model.layers.0.b", 16, 16)));

        var d = Assert.Single(diagnostics, d => d.Code == "MGP5011");
        Assert.Equal(
            $"'q/model.safetensors' holds 2 quantized weight matrices with no full-precision counterpart in the release: model.layers.0.a, model.layers.0.b. {DiagnosticCatalog.QuantizedMatrixWithoutFullPrecision.Help}",
            d.Message);
    }

    [Fact]
    public void A_file_that_could_not_be_read_and_one_verify_did_not_reach_are_weights_of_unknown_precision()
    {
        var empty = Unread("model.safetensors", "safetensors");

        Assert.DoesNotContain(Evaluate(Config("config.json"), empty with { OutOfReach = "past the kept bytes" }), d => d.Code == "MGP5001");
        Assert.DoesNotContain(Evaluate(Config("config.json"), empty with { ReadError = "Permission denied" }), d => d.Code == "MGP5001");
    }

    [Theory]
    [InlineData("training_args.bin", "pytorch")]
    [InlineData("empty.safetensors", "safetensors")]
    [InlineData("vocab-only.gguf", "gguf")]
    [InlineData("empty.onnx", "onnx")]
    public void A_weight_format_file_of_no_tensors_is_auxiliary_so_alone_it_is_no_weights(string path, string format)
    {
        // The inspector decides: a file of no tensors is role other, which no rule counts as weights.
        var unread = Unread(path, format);
        Assert.Equal("holds no tensors (not model weights)", ArtifactInspector.NotWeights(unread.Weights!));

        var diagnostics = Evaluate(Config("config.json"), unread with { Role = ArtifactRole.Other });

        Assert.Equal(["MGP5001"], diagnostics.Select(d => d.Code));
    }

    [Fact]
    public void A_GGUF_importance_matrix_is_auxiliary_so_alone_it_is_no_weights()
    {
        var imatrix = Weights("imatrix.gguf", Full("blk.0.attn_q.weight.in_sum2", 64, 2));
        imatrix = imatrix with { Weights = imatrix.Weights! with { Metadata = Sorted(("general.type", "imatrix")) } };

        Assert.Equal("GGUF importance matrix (not model weights)", ArtifactInspector.NotWeights(imatrix.Weights!));
        Assert.Equal(["MGP5001"], Evaluate(Config("config.json"), imatrix with { Role = ArtifactRole.Other }).Select(d => d.Code));

        // Another general.type is a model's weights.
        var model = imatrix with { Weights = imatrix.Weights! with { Metadata = Sorted(("general.type", "model")) } };
        Assert.Null(ArtifactInspector.NotWeights(model.Weights!));
        Assert.Empty(Evaluate(Config("config.json"), model));
    }

    [Fact]
    public void A_full_precision_pickle_beside_a_quantization_config_is_quantized_and_described_so()
    {
        var pickle = Weights("pytorch_model.bin");
        pickle = pickle with { Weights = pickle.Weights! with { Precision = WeightPrecision.Full, Dtypes = Dtypes(("HalfStorage", 4096), ("IntStorage", 1024)) } };

        var d = Assert.Single(Evaluate(Config("config.json", ("quantization", "gptq")), pickle), d => d.Code == "MGP5002");

        Assert.Equal(
            $"Every weight file is quantized or compiled: pytorch_model.bin (pytorch, HalfStorage for 80% of elements, quantized by gptq per config.json). The full-precision weights are missing. {DiagnosticCatalog.OnlyQuantizedWeights.Help}",
            d.Message);
    }

    [Theory]
    [InlineData(1024L, 1024L, "F16 for 50%")] // a tie goes to the first type by name
    [InlineData(6_000_000_000_000_000_000L, 6_000_000_000_000_000_000L, "F16 for 65%")] // the total saturates at long.MaxValue
    public void A_quantized_file_is_described_by_its_main_type_and_its_share(long f16, long i8, string described)
    {
        var file = Weights("int8.safetensors", Quant("w", 16, 16));
        file = file with { Weights = file.Weights! with { Dtypes = Dtypes(("F16", f16), ("I8", i8)) } };

        var d = Assert.Single(Evaluate(Config("config.json"), file), d => d.Code == "MGP5002");

        Assert.Equal($"Every weight file is quantized or compiled: int8.safetensors (safetensors, {described} of elements). The full-precision weights are missing. {DiagnosticCatalog.OnlyQuantizedWeights.Help}", d.Message);
    }

    [Fact]
    public void A_quantized_file_of_no_listed_types_is_still_described()
    {
        var file = Weights("int8.safetensors", Quant("w", 16, 16));
        file = file with { Weights = file.Weights! with { Dtypes = Dtypes() } };

        var d = Assert.Single(Evaluate(Config("config.json"), file), d => d.Code == "MGP5002");

        Assert.StartsWith("Every weight file is quantized or compiled: int8.safetensors (safetensors,  for 0% of elements). ", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_external_data_files_are_one_MGP5005_naming_each()
    {
        var model = Weights("onnx/model.onnx", Full("w", 16, 16));
        model = model with { Weights = model.Weights! with { ExternalFiles = ["model.onnx_data", "model.onnx_data_1"] } };

        var d = Assert.Single(Evaluate(Config("config.json"), model), d => d.Code == "MGP5005");

        Assert.Equal($"'onnx/model.onnx' keeps its weights in external data files that are missing: onnx/model.onnx_data, onnx/model.onnx_data_1. {DiagnosticCatalog.WeightFilesMissing.Help}", d.Message);
        Assert.Equal("onnx/model.onnx", d.Path);
    }

    [Fact]
    public void Shards_an_index_lists_and_the_release_holds_are_neither_missing_nor_stray()
    {
        var index = Plain("model.safetensors.index.json", ArtifactRole.Architecture, ("index", "weight_map"), ("shards", "model-00001-of-00002.safetensors\nmodel-00002-of-00002.safetensors"));
        Artifact[] release = [Config("config.json"), index, Weights("model-00001-of-00002.safetensors", Full("a", 16, 16)), Weights("model-00002-of-00002.safetensors", Full("b", 16, 16))];

        Assert.Empty(Evaluate(release));

        // A third shard the index does not list is stray.
        var stray = Assert.Single(Evaluate([.. release, Weights("model-00003-of-00003.safetensors", Full("c", 16, 16))]));
        Assert.Equal(("MGP5006", "model-00003-of-00003.safetensors"), (stray.Code, stray.Path));
    }

    [Fact]
    public void A_native_binary_named_py_is_no_model_code()
    {
        var binary = Plain("a/modeling_tiny.py", ArtifactRole.Code, ("compiled", "native binary"));

        var d = Assert.Single(Evaluate(Weights("a/model.safetensors", Full("w", 16, 16)), binary), d => d.Code == "MGP5003");
        Assert.Equal("a/model.safetensors", d.Path);

        // Its source beside it, it is.
        Assert.DoesNotContain(Evaluate(Weights("a/model.safetensors", Full("w", 16, 16)), Plain("a/modeling_tiny.py", ArtifactRole.Code)), d => d.Code == "MGP5003");
    }

    [Fact]
    public void An_auto_map_of_no_modules_or_of_modules_present_needs_no_code()
    {
        var model = Weights("model.safetensors", Full("w", 16, 16));

        Assert.Empty(Evaluate(Config("config.json", ("auto_map", "")), model));
        Assert.Empty(Evaluate(Config("config.json", ("auto_map", "modeling_tiny, configuration_tiny")), model, Plain("modeling_tiny.py", ArtifactRole.Code), Plain("configuration_tiny.py", ArtifactRole.Code)));
    }

    [Fact]
    public void Missing_custom_code_is_named_relative_to_its_config()
    {
        var diagnostics = Evaluate(Config("sub/config.json", ("auto_map", "modeling_tiny, pkg.configuration_tiny")), Weights("sub/model.safetensors", Full("w", 16, 16)), Plain("modeling_tiny.py", ArtifactRole.Code));

        var d = Assert.Single(diagnostics, d => d.Code == "MGP5010");
        Assert.Equal($"'sub/config.json' auto_map loads classes from sub/modeling_tiny.py, sub/pkg/configuration_tiny.py, which the release does not hold. {DiagnosticCatalog.CustomCodeMissing.Help}", d.Message);
        Assert.Equal("sub/config.json", d.Path);
    }

    [Fact]
    public void Missing_tokenizer_files_are_named_relative_to_their_config()
    {
        Artifact[] release = [Config("sub/config.json"), Weights("sub/model.safetensors", Full("w", 16, 16)), Plain("sub/tokenizer_config.json", ArtifactRole.Tokenizer, ("tokenizer_files", "vocab.txt, merges.txt"))];

        var d = Assert.Single(Evaluate([.. release, Plain("vocab.txt", ArtifactRole.Tokenizer), Plain("merges.txt", ArtifactRole.Tokenizer)]));
        Assert.Equal("MGP5004", d.Code);
        Assert.Equal($"'sub/tokenizer_config.json' names tokenizer files that are not in the release: sub/vocab.txt, sub/merges.txt. {DiagnosticCatalog.TokenizerMissing.Help}", d.Message);

        Assert.Empty(Evaluate([.. release, Plain("sub/vocab.txt", ArtifactRole.Tokenizer), Plain("sub/merges.txt", ArtifactRole.Tokenizer)]));
    }

    [Theory]
    [InlineData("pkg/__pycache__/util.cpython-312.pyc", "pkg/util.py")]
    [InlineData("pkg/__pycache__/util.pyc", "pkg/util.py")]
    [InlineData("pkg/__pycache__/.cpython-312.pyc", "pkg/.py")]
    [InlineData("pkg/util.pyc", "pkg/util.py")]
    [InlineData("util.pyc", "util.py")]
    public void Python_bytecode_needs_its_source_where_Python_keeps_it(string bytecode, string source)
    {
        Artifact[] release = [Config("config.json"), Weights("model.safetensors", Full("w", 16, 16)), Plain(bytecode, ArtifactRole.Code, ("compiled", "Python bytecode"))];

        var d = Assert.Single(Evaluate(release));
        Assert.Equal("MGP5007", d.Code);
        Assert.Equal($"'{bytecode}' is Python bytecode, and its source '{source}' is not in the release. {DiagnosticCatalog.CompiledWithoutSource.Help}", d.Message);

        Assert.Empty(Evaluate([.. release, Plain(source, ArtifactRole.Code)]));
    }

    // ---- Names ----

    [Theory]
    [InlineData("v.blk.3.attn_q", "vision:3")]
    [InlineData("model.visual.blocks.2.attn.qkv", "vision:2")]
    [InlineData("a.blk.5.attn_q", "audio:5")]
    [InlineData("enc.blk.1.attn_q", "encoder:1")]
    [InlineData("model.encoder.layers.4.fc1", "encoder:4")]
    [InlineData("model.mtp.layers.7.mlp.down_proj", "extra:7")]
    [InlineData("blk.12.attn_q", ":12")]
    [InlineData("model.layers.0.mlp.down_proj", ":0")]
    [InlineData("output", null)]
    public void A_matrix_is_of_the_layer_and_part_of_the_model_its_name_says(string name, string? layer) =>
        Assert.Equal(layer, PreferredAdaptableForm.Layer(name));

    [Theory]
    [InlineData("tok_embeddings", "model.embed_tokens")]
    [InlineData("output", "lm_head")]
    [InlineData("layers.3.attention.wq", "model.layers.3.self_attn.q_proj")]
    [InlineData("layers.3.attention.wk", "model.layers.3.self_attn.k_proj")]
    [InlineData("layers.3.attention.wv", "model.layers.3.self_attn.v_proj")]
    [InlineData("layers.3.attention.wo", "model.layers.3.self_attn.o_proj")]
    [InlineData("layers.3.feed_forward.w1", "model.layers.3.mlp.gate_proj")]
    [InlineData("layers.3.feed_forward.w2", "model.layers.3.mlp.down_proj")]
    [InlineData("layers.3.feed_forward.w3", "model.layers.3.mlp.up_proj")]
    [InlineData("layers.3.attention.wx", null)]
    [InlineData("model.embed_tokens", null)]
    public void Mistral_names_are_read_as_their_Hugging_Face_names(string name, string? hub) =>
        Assert.Equal(hub, PreferredAdaptableForm.MistralName(name));

    // ---- By name: any full-precision matrix of the name that is a copy ----

    [Fact]
    public void One_copy_among_the_matrices_of_a_name_is_enough()
    {
        // A draft model's matrix of the same name comes first; the full model's is the copy.
        Artifact[] full = [Config("config.json"), Weights("draft/model.safetensors", Full("model.layers.0.mlp.down_proj", 32, 32)), Weights("model.safetensors", Full("model.layers.0.mlp.down_proj", 64, 64))];

        Assert.Empty(Findings([.. full, Weights("int8/model.safetensors", Quant("model.layers.0.mlp.down_proj", 64, 64))]));
        Assert.Equal(["int8/model.safetensors: model.layers.0.mlp.down_proj"], Findings([.. full, Weights("int8/model.safetensors", Quant("model.layers.0.mlp.down_proj", 48, 48))]));
    }

    [Fact]
    public void One_copy_among_the_matrices_of_a_layouts_module_is_enough()
    {
        Artifact[] full = [Config("config.json"), Weights("draft/model.safetensors", Full("model.layers.0.mlp.down_proj", 32, 32)), Weights("model.safetensors", Full("model.layers.0.mlp.down_proj", 64, 64))];
        var packed = Quant("model.layers.0.mlp.down_proj.packed_values", 64, 64) with { PackedBits = 8, Module = "model.layers.0.mlp.down_proj" };

        Assert.Empty(Findings([.. full, Weights("int8/model.safetensors", packed)]));
        Assert.Equal(["int8/model.safetensors: model.layers.0.mlp.down_proj.packed_values"], Findings([.. full, Weights("int8/model.safetensors", packed with { Module = null })]));
    }

    [Fact]
    public void One_copy_among_the_matrices_of_a_Mistral_names_Hugging_Face_name_is_enough()
    {
        Artifact[] full = [Config("config.json"), Weights("draft/model.safetensors", Full("model.layers.0.self_attn.q_proj", 32, 32)), Weights("model.safetensors", Full("model.layers.0.self_attn.q_proj", 64, 64))];

        Assert.Empty(Findings([.. full, Weights("int8/consolidated.safetensors", Quant("layers.0.attention.wq", 64, 64))]));
        Assert.Equal(["int8/consolidated.safetensors: layers.0.attention.wk"], Findings([.. full, Weights("int8/consolidated.safetensors", Quant("layers.0.attention.wk", 64, 64))]));
    }

    [Fact]
    public void ONNX_files_of_other_folders_meet_by_Hugging_Face_names_not_by_graph_names()
    {
        Assert.Empty(Findings(Weights("full/model.onnx", Full("model.layers.0.mlp.down_proj", 16, 16)), Weights("int8/model.onnx", Quant("model.layers.0.mlp.down_proj", 16, 16))));
        Assert.Equal(["int8/model.onnx: onnx::MatMul_7"], Findings(Weights("full/model.onnx", Full("onnx::MatMul_7", 16, 16)), Weights("int8/model.onnx", Quant("onnx::MatMul_7", 16, 16))));
    }

    // ---- The output head ----

    [Theory]
    [InlineData(true, false)]  // one config says its head is its own, another that it is tied: the folder of neither is tied
    [InlineData(false, true)] // every config says the head is its own: so is the folder of none
    public void A_folder_of_no_config_is_tied_unless_every_config_says_the_head_is_its_own(bool secondTied, bool finding)
    {
        var findings = Findings(
            Config("a/config.json", ("tie_word_embeddings", "false")),
            Config("b/config.json", ("tie_word_embeddings", secondTied ? "true" : "false")),
            Weights("model.safetensors", Full("model.embed_tokens", 64, 32)),
            Weights("q/model.safetensors", Quant("lm_head", 64, 32)));

        Assert.Equal(finding ? ["q/model.safetensors: lm_head"] : [], findings);
    }

    [Theory]
    [InlineData("q/model-00001-of-00002.safetensors", true)] // model.safetensors and its shard name are one export: its own embedding
    [InlineData("q/other.safetensors", false)]                // another export's embedding is the tied head's counterpart
    public void Files_whose_names_differ_only_by_a_shard_suffix_are_one_export(string head, bool finding)
    {
        var findings = Findings(Config("config.json"), Weights("q/model.safetensors", Full("model.embed_tokens", 64, 32)), Weights(head, Quant("lm_head", 64, 32)));

        Assert.Equal(finding ? [$"{head}: lm_head"] : [], findings);
    }

    [Theory]
    [InlineData(0, true)]  // 16 x 64 int32 hold 4,096 weights of 8 bits: the embedding's
    [InlineData(8, true)]  // declared 8 bits: the same
    [InlineData(4, false)] // declared 4 bits: they hold 8,192 weights, not the embedding's 4,096
    public void A_packed_head_is_a_tied_matrix_of_the_weights_its_integers_hold_at_the_declared_bits(int declared, bool covered)
    {
        var findings = Head(Quant("lm_head", 16, 64) with { PackedBits = 32 }, Full("model.embed_tokens", 64, 64), declared);

        Assert.Equal(covered ? [] : ["q/model.safetensors: lm_head"], findings);
    }

    [Theory]
    [InlineData(0, false)] // 7 x 64 int32 hold 2,048 weights only at 7 bits, which an export must declare
    [InlineData(7, true)]
    public void Seven_bit_weights_count_only_when_declared(int declared, bool covered)
    {
        var findings = Head(Quant("lm_head", 7, 64) with { PackedBits = 32 }, Full("model.embed_tokens", 32, 64), declared);

        Assert.Equal(covered ? [] : ["q/model.safetensors: lm_head"], findings);
    }

    [Fact]
    public void Bits_declared_by_a_config_above_the_export_count()
    {
        // The nearest config.json that declares bits is the root's (4): 16 x 64 int32 are then 8,192 weights, not the embedding's 4,096.
        var findings = Findings(
            Config("config.json", ("quantization_bits", "4")),
            Weights("model.safetensors", Full("model.embed_tokens", 64, 64)),
            Weights("q/model.safetensors", Quant("lm_head", 16, 64) with { PackedBits = 32 }));

        Assert.Equal(["q/model.safetensors: lm_head"], findings);
    }

    [Fact]
    public void Bytes_hold_one_weight_each_at_8_bits()
    {
        // 64 x 32 uint8 of another shape than the embedding's, but as many weights (2,048) at 8 bits each.
        Assert.Empty(Head(Quant("lm_head", 64, 32) with { PackedBits = 8 }, Full("model.embed_tokens", 128, 16), 0));
    }

    [Fact]
    public void Integers_of_4_bits_hold_no_more_than_4_bit_weights()
    {
        // 64 x 32 int4 (ONNX INT4) hold 2,048 weights of 4 bits, or 4,096 of 2 bits; read at 8 bits they would be 1,024,
        // more bits than each integer has.
        Assert.Equal(["q/model.safetensors: lm_head"], Head(Quant("lm_head", 64, 32) with { PackedBits = 4 }, Full("model.embed_tokens", 32, 32), 0));
        Assert.Empty(Head(Quant("lm_head", 64, 32) with { PackedBits = 4 }, Full("model.embed_tokens", 64, 64), 0));
    }

    [Fact]
    public void A_head_of_exactly_the_largest_count_of_weights_still_counts()
    {
        var head = new WeightMatrix("lm_head", true, long.MaxValue, new MatrixShape(4, long.MaxValue, 0, 0)) { PackedBits = 8 };
        var embedding = new WeightMatrix("model.embed_tokens", false, long.MaxValue, new MatrixShape(2, long.MaxValue, 1, 0));

        Assert.Empty(Head(head, embedding, 0));
    }

    // ---- Split and fused layers ----

    [Fact]
    public void A_layer_meets_another_schemes_layer_past_its_equal_shapes()
    {
        // DeepSeek's kv_b_proj [96, 32] is llama.cpp's attn_k_b [64, 32] and attn_v_b [32, 32]; q_proj is attn_q.
        var findings = Findings(
            Config("config.json"),
            Weights("model.safetensors", Full("model.layers.0.self_attn.q_proj", 64, 64), Full("model.layers.0.self_attn.kv_b_proj", 96, 32)),
            Weights("tiny-Q4_K.gguf", Quant("blk.0.attn_q", 64, 64), Quant("blk.0.attn_k_b", 64, 32), Quant("blk.0.attn_v_b", 32, 32)));

        Assert.Empty(findings);
    }

    [Fact]
    public void Any_export_of_another_scheme_that_holds_the_layer_is_enough()
    {
        Artifact[] release =
        [
            Config("config.json"),
            Weights("model.safetensors", Full("model.layers.0.self_attn.kv_b_proj", 96, 32)),
            Weights("draft-F16.gguf", Full("blk.0.ffn_down", 8, 8)),
            Weights("tiny-Q4_K.gguf", Quant("blk.0.attn_k_b", 64, 32), Quant("blk.0.attn_v_b", 32, 32)),
        ];

        Assert.Empty(Findings(release));
    }

    [Fact]
    public void Every_quantized_matrix_of_the_layer_must_be_used()
    {
        var findings = Findings(
            Config("config.json"),
            Weights("model.safetensors", Full("model.layers.0.self_attn.kv_b_proj", 96, 32)),
            Weights("tiny-Q4_K.gguf", Quant("blk.0.attn_k_b", 64, 32), Quant("blk.0.attn_v_b", 32, 32), Quant("blk.0.attn_x", 24, 40)));

        Assert.Equal(["tiny-Q4_K.gguf: blk.0.attn_k_b, blk.0.attn_v_b, blk.0.attn_x"], findings);
    }

    [Theory]
    [InlineData(1, false)] // 256 full-precision and 256 quantized matrices: the most the search judges
    [InlineData(2, true)]  // 257 full-precision matrices: more than any model's layer
    public void A_layer_of_more_than_256_matrices_is_not_judged_as_split(int kept, bool finding)
    {
        // 254 equal matrices, kv_b_proj split in two, and matrices the quantized export keeps in full precision itself
        // (one of them only there).
        var findings = Findings(
            Config("config.json"),
            Weights("model.safetensors",
            [
                .. Enumerable.Range(0, 254).Select(i => Full($"model.layers.0.experts.{i}.w", 16, 16)),
                Full("model.layers.0.self_attn.kv_b_proj", 96, 32),
                .. Enumerable.Range(0, kept).Select(i => Full($"model.layers.0.norm{i}.proj", 24, 8 - i)),
            ]),
            Weights("tiny-Q4_K.gguf",
            [
                .. Enumerable.Range(0, 254).Select(i => Quant($"blk.0.ffn_{i}", 16, 16)),
                Quant("blk.0.attn_k_b", 64, 32),
                Quant("blk.0.attn_v_b", 32, 32),
                .. Enumerable.Range(0, kept).Select(i => Full($"blk.0.norm{i}", 24, 8 - i)),
                Full("blk.0.extra", 40, 8),
            ]));

        Assert.Equal(finding ? ["tiny-Q4_K.gguf: blk.0.attn_k_b, blk.0.attn_v_b"] : [], findings);
    }

    [Fact]
    public void The_larger_full_precision_matrices_are_split_first()
    {
        // [132, 16] is x [32, 16] and w [100, 16]; [48, 32] is r1, r2 and r3. Taken smaller first, [48, 32] would take x
        // and r3, leaving [132, 16] only w.
        var findings = Findings(
            Config("config.json"),
            Weights("model.safetensors", Full("model.layers.0.a", 132, 16), Full("model.layers.0.b", 48, 32)),
            Weights("tiny-Q4_K.gguf", Quant("blk.0.x", 32, 16), Quant("blk.0.r1", 32, 8), Quant("blk.0.r2", 32, 8), Quant("blk.0.r3", 32, 32), Quant("blk.0.w", 100, 16)));

        Assert.Empty(findings);
    }

    [Fact]
    public void Packed_matrices_are_not_split_parts_by_their_stored_elements()
    {
        // 64 x 32 int32 and 64 x 64 int8 store 6,144 elements, as many as the fused [96, 64]: the int32 ones hold more weights.
        var findings = Findings(
            Config("config.json"),
            Weights("tiny-F16.gguf", Full("blk.0.ffn_fused", 96, 64)),
            Weights("q/model.safetensors", Quant("model.layers.0.mlp.gate", 64, 32) with { PackedBits = 32 }, Quant("model.layers.0.mlp.up", 64, 64) with { PackedBits = 8 }));

        Assert.Equal(["q/model.safetensors: model.layers.0.mlp.gate, model.layers.0.mlp.up"], findings);
    }

    [Fact]
    public void Parts_share_a_dimension_of_more_than_one_with_the_matrix_they_split()
    {
        // [4096, 1] and [1024, 1] + [3072, 1] share only the 1; [64, 96] and [72, 32] + [80, 48] share none.
        Assert.Equal(
            ["tiny-Q4_K.gguf: blk.0.a, blk.0.b"],
            Findings(Config("config.json"), Weights("model.safetensors", Full("model.layers.0.col", 4096, 1)), Weights("tiny-Q4_K.gguf", Quant("blk.0.a", 1024, 1), Quant("blk.0.b", 3072, 1))));
        Assert.Equal(
            ["tiny-Q4_K.gguf: blk.0.a, blk.0.b"],
            Findings(Config("config.json"), Weights("model.safetensors", Full("model.layers.0.fused", 64, 96)), Weights("tiny-Q4_K.gguf", Quant("blk.0.a", 72, 32), Quant("blk.0.b", 80, 48))));
    }

    [Fact]
    public void A_matrix_is_split_in_two_parts_or_more()
    {
        // [96, 64] holds as many weights as the stack x [64, 12, 8] alone; then [64, 48] would be y and z. One part is no split.
        var findings = Findings(
            Config("config.json"),
            Weights("model.safetensors", Full("model.layers.0.mlp.w", 96, 64), Full("model.layers.0.mlp.v", 64, 48)),
            Weights("tiny-Q4_K.gguf", Quant("blk.0.x", 64, 12, 8), Quant("blk.0.y", 64, 4, 8), Quant("blk.0.z", 64, 16)));

        Assert.Equal(["tiny-Q4_K.gguf: blk.0.x, blk.0.y, blk.0.z"], findings);
    }

    [Theory]
    [InlineData(16, false)] // [32, 28] is 14 of 16 parts [32, 2], [32, 4] the other two
    [InlineData(17, true)]  // 17 parts sharing the 32 are more than the search tries
    public void A_matrix_is_split_among_at_most_16_candidate_parts(int parts, bool finding)
    {
        var findings = Findings(
            Config("config.json"),
            Weights("model.safetensors", Full("model.layers.0.big", 32, 2 * (parts - 2)), Full("model.layers.0.small", 32, 4)),
            Weights("tiny-Q4_K.gguf", [.. Enumerable.Range(0, parts).Select(i => Quant($"blk.0.part{i}", 32, 2))]));

        Assert.Equal(finding ? [$"tiny-Q4_K.gguf: {string.Join(", ", Enumerable.Range(0, 5).Select(i => $"blk.0.part{i}"))} and {parts - 5} more"] : [], findings);
    }

    // Once every quantized matrix of a layer has a full-precision matrix of its shape, full-precision matrices left over
    // in that layer do no harm: the release holds more of the model in full precision, not less.
    [Fact]
    public void A_layer_with_full_precision_matrices_left_over_still_holds()
    {
        // The embedding takes the pool's one [16, 16]; blk.0.a then meets layer 0, which also holds b [40, 24] that no
        // quantized matrix is.
        var findings = Findings(
            Config("config.json"),
            Weights("model.safetensors", Full("model.layers.0.a", 16, 16), Full("model.layers.0.b", 40, 24), Full("model.embed_tokens.weight", 16, 16)),
            Weights("tiny-Q4_K.gguf", Quant("token_embd", 16, 16), Quant("blk.0.a", 16, 16)));

        Assert.Empty(findings);
    }

    // ---- Helpers ----

    /// <summary>A full-precision export holding <paramref name="embedding"/> and a quantized one holding <paramref name="head"/>, its config declaring <paramref name="bits"/> (0: none).</summary>
    private static List<string> Head(WeightMatrix head, WeightMatrix embedding, int bits) =>
        Findings(
            Config("config.json"),
            bits > 0 ? Config("q/config.json", ("quantization_bits", bits.ToString(System.Globalization.CultureInfo.InvariantCulture))) : Plain("q/README.md", ArtifactRole.Docs),
            Weights("model.safetensors", embedding),
            Weights("q/model.safetensors", head));

    private static WeightMatrix Full(string name, params long[] dims) => new(name, false, dims.Aggregate(1L, (a, b) => a * b), MatrixShape.Of(dims, dims.Aggregate(1L, (a, b) => a * b)));

    private static WeightMatrix Quant(string name, params long[] dims) => Full(name, dims) with { Quantized = true };

    /// <summary>A weight file as its inspector reports it: its format by extension, quantized when a matrix is.</summary>
    private static Artifact Weights(string path, params WeightMatrix[] matrices)
    {
        var format = Path.GetExtension(path) switch
        {
            ".safetensors" => "safetensors",
            ".gguf" => "gguf",
            ".onnx" => "onnx",
            _ => "pytorch",
        };
        var quantized = matrices.Where(m => m.Quantized).Sum(m => m.Elements);
        var full = matrices.Where(m => !m.Quantized).Sum(m => m.Elements);
        return new Artifact
        {
            Path = path,
            Size = 1024,
            Role = ArtifactRole.Weights,
            Weights = new WeightFacts
            {
                Format = format,
                TensorCount = Math.Max(matrices.Length, 1),
                Matrices = matrices,
                Precision = quantized > full ? WeightPrecision.Quantized : WeightPrecision.Full,
                Dtypes = Dtypes(("F16", full), ("Q4_K", quantized)),
                CarriesArchitecture = format is "gguf" or "onnx",
            },
        };
    }

    /// <summary>A weight file whose matrices no inspector lists (a header of no tensors, or a format ModelGoPack does not read).</summary>
    private static Artifact Unread(string path, string format) =>
        new() { Path = path, Size = 1024, Role = ArtifactRole.Weights, Weights = new WeightFacts { Format = format, Precision = WeightPrecision.Unknown } };

    private static Artifact Config(string path, params (string Key, string Value)[] facts) => Plain(path, ArtifactRole.Architecture, facts);

    private static Artifact Plain(string path, ArtifactRole role, params (string Key, string Value)[] facts) =>
        new() { Path = path, Size = 16, Role = role, Facts = Sorted(facts) };

    private static SortedDictionary<string, string> Sorted(params (string Key, string Value)[] pairs)
    {
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            sorted[key] = value;
        }

        return sorted;
    }

    private static SortedDictionary<string, long> Dtypes(params (string Key, long Value)[] pairs)
    {
        var sorted = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs.Where(p => p.Value > 0))
        {
            sorted[key] = value;
        }

        return sorted;
    }

    private static List<Diagnostic> Evaluate(params Artifact[] artifacts)
    {
        var diagnostics = new DiagnosticBag();
        PreferredAdaptableForm.Evaluate(artifacts, diagnostics);
        return [.. diagnostics.Items];
    }

    /// <summary>Each MGP5011 finding as "path: the matrices it lists".</summary>
    private static List<string> Findings(params Artifact[] artifacts) =>
        Evaluate(artifacts)
            .Where(d => d.Code == "MGP5011")
            .Select(d => $"{d.Path}: {d.Message.Split(" in the release: ")[1].Split(". ")[0]}")
            .ToList();
}

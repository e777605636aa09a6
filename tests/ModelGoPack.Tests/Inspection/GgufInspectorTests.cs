using ModelGoPack.Inspection;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>The GGUF header inspector on real tiny files, and on hostile headers that must fail cleanly.</summary>
public sealed class GgufInspectorTests
{
    private const long Allowance = 16L * 1024 * 1024;

    private static readonly (string Key, object Value)[] LlamaKv =
    [
        ("general.architecture", "llama"),
        ("general.name", "Tiny Llama"),
        ("general.file_type", 15u), // claims Q4_K_M: the tensor types say otherwise and win
        ("llama.context_length", 2048u),
        ("llama.rope.freq_base", 10000f),
        ("tokenizer.ggml.model", "llama"),
        ("tokenizer.ggml.tokens", new[] { "<unk>", "<s>", "</s>", "hello" }),
        ("tokenizer.ggml.scores", new[] { 0f, 0f, 0f, -1.5f }),
        ("general.tags", new[] { "text-generation" }),
    ];

    [Fact]
    public void An_F16_model_is_full_precision_with_its_element_counts_and_metadata()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("model.gguf");
        Gguf.Write(
            path,
            LlamaKv,
            ("token_embd.weight", Gguf.F16, [64, 4]),
            ("blk.0.attn_q.weight", Gguf.F16, [64, 64]),
            ("blk.0.attn_norm.weight", Gguf.F32, [64]),
            ("output.weight", Gguf.F16, [64, 4]));

        var facts = Inspect(path);

        Assert.Equal("gguf", facts.Format);
        Assert.Equal(4, facts.TensorCount);
        Assert.Equal(new Dictionary<string, long> { ["F16"] = (64 * 4) + (64 * 64) + (64 * 4), ["F32"] = 64 }, facts.Dtypes);
        Assert.Equal(WeightPrecision.Full, facts.Precision);
        Assert.Equal(new Dictionary<string, string> { ["general.architecture"] = "llama", ["general.name"] = "Tiny Llama" }, facts.Metadata);
        Assert.True(facts.CarriesArchitecture);
        Assert.False(facts.ExecutesCodeOnLoad);
    }

    [Fact]
    public void A_Q4_K_only_model_is_quantized()
    {
        var facts = Inspect(Gguf.Bytes(LlamaKv, ("blk.0.ffn_up.weight", Gguf.Q4_K, [256, 4]), ("blk.0.ffn_down.weight", Gguf.Q4_K, [512, 2])));

        Assert.Equal(new Dictionary<string, long> { ["Q4_K"] = 2048 }, facts.Dtypes);
        Assert.Equal(WeightPrecision.Quantized, facts.Precision);
    }

    [Fact]
    public void Q4_K_weights_with_F32_norms_are_quantized_when_Q4_K_elements_dominate()
    {
        var facts = Inspect(Gguf.Bytes(
            LlamaKv,
            ("blk.0.attn_norm.weight", Gguf.F32, [256]),
            ("blk.0.attn_q.weight", Gguf.Q4_K, [256, 8]),
            ("blk.0.ffn_norm.weight", Gguf.F32, [256]),
            ("blk.0.ffn_up.weight", Gguf.Q4_K, [256, 8])));

        Assert.Equal(new Dictionary<string, long> { ["F32"] = 512, ["Q4_K"] = 4096 }, facts.Dtypes);
        Assert.Equal(WeightPrecision.Quantized, facts.Precision);
    }

    [Fact]
    public void F16_dominating_a_few_Q8_0_tensors_is_full_precision()
    {
        var facts = Inspect(Gguf.Bytes(
            LlamaKv,
            ("blk.0.attn_q.weight", Gguf.F16, [64, 64]),
            ("blk.0.attn_k.weight", Gguf.Q8_0, [32, 2]),
            ("blk.0.attn_v.weight", Gguf.BF16, [64]),
            ("blk.0.attn_output.weight", Gguf.Q8_0, [64, 1])));

        Assert.Equal(new Dictionary<string, long> { ["BF16"] = 64, ["F16"] = 4096, ["Q8_0"] = 128 }, facts.Dtypes);
        Assert.Equal(WeightPrecision.Full, facts.Precision);
    }

    [Fact]
    public void Version_2_a_custom_alignment_and_no_tensors_are_read()
    {
        var bytes = Gguf.Raw().Header(2, 1, 2)
            .Str("general.alignment").Value(64u)
            .Str("general.architecture").Value("gpt2")
            .Str("w").U32(1).U64(16).U32(Gguf.F32).U64(0)
            .Pad(64).Bytes(new byte[64]).ToArray();
        var empty = Gguf.Bytes([("general.name", "empty")]);

        var facts = Inspect(bytes);
        var none = Inspect(empty);

        Assert.Equal(new Dictionary<string, long> { ["F32"] = 16 }, facts.Dtypes);
        Assert.True(facts.CarriesArchitecture);
        Assert.Equal(0, none.TensorCount);
        Assert.Equal(WeightPrecision.Unknown, none.Precision);
        Assert.False(none.CarriesArchitecture);
    }

    [Fact]
    public void An_unknown_ggml_type_is_named_by_its_id_and_counts_as_quantized()
    {
        var bytes = Gguf.Raw().Header(3, 2, 0)
            .Str("a").U32(1).U64(32).U32(Gguf.F32).U64(0)
            .Str("b").U32(1).U64(64).U32(77).U64(128)
            .Pad(32).Bytes(new byte[160]).ToArray();

        var facts = Inspect(bytes);

        Assert.Equal(new Dictionary<string, long> { ["F32"] = 32, ["TYPE_77"] = 64 }, facts.Dtypes);
        Assert.Equal(WeightPrecision.Quantized, facts.Precision);
    }

    [Fact]
    public void Metadata_is_capped_in_entries_and_in_length()
    {
        var kv = Enumerable.Range(0, 100).Select(i => ($"general.k{i:D3}", (object)$"v{i}")).ToList();
        kv.Add(("general.description", new string('x', 5000)));
        kv.Add(("general.architecture", "llama"));

        var facts = Inspect(Gguf.Bytes(kv, ("w", Gguf.F32, [8])));

        Assert.Equal(GgufInspector.MaxMetadataEntries, facts.Metadata.Count);
        Assert.Equal("v63", facts.Metadata["general.k063"]);
        Assert.True(facts.CarriesArchitecture);

        var longValue = Inspect(Gguf.Bytes([("general.description", new string('é', 3000))]));
        Assert.Equal(new string('é', GgufInspector.MaxMetadataChars), longValue.Metadata["general.description"]);
    }

    [Fact]
    public void Every_truncation_of_a_valid_file_is_an_artifact_format_error()
    {
        // The last tensor fills whole alignment units, so the file has no trailing padding to cut.
        var bytes = Gguf.Bytes(LlamaKv, ("a", Gguf.Q8_0, [32]), ("b", Gguf.F16, [64]));

        for (var n = 0; n < bytes.Length; n++)
        {
            using var stream = new MemoryStream(bytes, 0, n);
            Assert.Throws<ArtifactFormatException>(() => GgufInspector.Inspect(stream, n));
        }

        Assert.Equal(2, Inspect(bytes).TensorCount);
    }

    [Fact]
    public void Bad_magic_is_an_error()
    {
        var bytes = Gguf.Raw().Bytes("GGML"u8).U32(3).U64(0).U64(0).ToArray();

        AssertRejected(bytes, "GGUF magic");
    }

    [Fact]
    public void Version_1_is_an_error()
    {
        AssertRejected(Gguf.Raw().Header(1, 0, 0).ToArray(), "version 1 is not supported");
    }

    [Fact]
    public void A_big_endian_file_is_an_error()
    {
        AssertRejected(Gguf.Raw().Magic().U32(0x03000000).U64(0).U64(0).ToArray(), "big-endian");
    }

    [Fact]
    public void A_truncated_header_is_an_error()
    {
        var bytes = Gguf.Raw().Magic().U32(3).U32(0).ToArray();

        AssertRejected(bytes, "before the tensor count (8 bytes at byte 8): it is truncated");
    }

    [Fact]
    public void A_kv_count_of_2_to_the_40_is_an_error_without_allocation()
    {
        var bytes = Gguf.Raw().Header(3, 0, 1UL << 40).Str("general.name").Value("x").ToArray();

        AssertRejectedCheaply(bytes, "declares 1099511627776 KV pairs");
    }

    [Fact]
    public void A_tensor_count_of_2_to_the_62_is_an_error_without_allocation()
    {
        var bytes = Gguf.Raw().Header(3, 1UL << 62, 0).Str("w").U32(1).U64(8).U32(0).U64(0).ToArray();

        AssertRejectedCheaply(bytes, "declares 4611686018427387904 tensors");
    }

    [Fact]
    public void A_10_GB_key_length_is_an_error_without_allocation()
    {
        var bytes = Gguf.Raw().Header(3, 0, 1).U64(10_000_000_000).Bytes("general.name"u8).ToArray();

        AssertRejectedCheaply(bytes, "the key of KV pair 0 (at byte 24) declares 10000000000 bytes; keys are limited to 65536 bytes");
    }

    [Fact]
    public void A_10_GB_tensor_name_length_is_an_error_without_allocation()
    {
        var bytes = Gguf.Raw().Header(3, 1, 0).U64(10_000_000_000).Bytes(new byte[40]).ToArray();

        AssertRejectedCheaply(bytes, "tensor names are limited to 65536 bytes");
    }

    [Theory]
    [InlineData("general.name")]
    [InlineData("tokenizer.chat_template")]
    public void A_string_value_longer_than_the_file_is_an_error_without_allocation(string key)
    {
        var bytes = Gguf.Raw().Header(3, 0, 1).Str(key).U32(8).U64(1UL << 40).Bytes("tiny"u8).ToArray();

        AssertRejectedCheaply(bytes, $"KV pair 0 ('{key}') (at byte {24 + 8 + key.Length + 4}) declares 1099511627776 bytes, but only 4 remain");
    }

    [Fact]
    public void An_array_longer_than_the_file_is_an_error_without_allocation()
    {
        var bytes = Gguf.Raw().Header(3, 0, 1).Str("tokenizer.ggml.tokens").U32(9).U32(8).U64(1UL << 60).Str("a").ToArray();

        AssertRejectedCheaply(bytes, "declares 1152921504606846976 STRING elements, but only 9 bytes remain");
    }

    [Fact]
    public void Seven_dimensions_is_an_error()
    {
        var bytes = Gguf.Raw().Header(3, 4, 0);
        for (var t = 0; t < 3; t++)
        {
            bytes.Str($"t{t}").U32(1).U64(32).U32(Gguf.F32).U64((ulong)t * 128);
        }

        bytes.Str("t3").U32(7);
        for (var d = 0; d < 7; d++)
        {
            bytes.U64(2);
        }

        bytes.U32(Gguf.F32).U64(384).Bytes(new byte[1024]);

        AssertRejected(bytes.ToArray(), "tensor 3 ('t3') declares 7 dimensions; GGUF allows at most 4");
    }

    [Fact]
    public void Arrays_nested_100_deep_are_an_error()
    {
        var bytes = Gguf.Raw().Header(3, 0, 1).Str("deep").U32(9);
        for (var depth = 0; depth < 100; depth++)
        {
            bytes.U32(9).U64(1);
        }

        bytes.U32(0).U64(0);

        AssertRejectedCheaply(bytes.ToArray(), "KV pair 0 ('deep') nests arrays more than 8 deep");
    }

    [Fact]
    public void Arrays_nested_8_deep_are_read()
    {
        var bytes = Gguf.Raw().Header(3, 0, 1).Str("deep").U32(9);
        for (var depth = 1; depth < GgufInspector.MaxArrayDepth; depth++)
        {
            bytes.U32(9).U64(1);
        }

        bytes.U32(0).U64(2).U8(1).U8(2);

        Assert.Equal(0, Inspect(bytes.ToArray()).TensorCount);
    }

    [Fact]
    public void A_tensor_offset_beyond_the_file_is_an_error()
    {
        var bytes = Gguf.Raw().Header(3, 1, 0).Str("w").U32(1).U64(32).U32(Gguf.F32).U64(1UL << 40).Pad(32).Bytes(new byte[128]).ToArray();

        AssertRejected(bytes, "tensor 0 ('w') has data offset 1099511627776 into the data section at byte 64, beyond the end of the file (192 bytes)");
    }

    [Fact]
    public void Tensor_data_running_past_the_end_of_the_file_is_an_error()
    {
        var bytes = Gguf.Raw().Header(3, 1, 0).Str("w").U32(2).U64(256).U64(2).U32(Gguf.Q4_K).U64(0).Pad(32).Bytes(new byte[200]).ToArray();

        AssertRejected(bytes, "tensor 0 ('w') holds 512 Q4_K elements (288 bytes) from byte 96, beyond the end of the file");
    }

    [Fact]
    public void A_misaligned_tensor_offset_is_an_error()
    {
        var bytes = Gguf.Raw().Header(3, 1, 0).Str("w").U32(1).U64(4).U32(Gguf.F32).U64(3).Pad(32).Bytes(new byte[64]).ToArray();

        AssertRejected(bytes, "data offset 3, not a multiple of the alignment 32");
    }

    [Fact]
    public void A_row_that_is_not_a_whole_number_of_blocks_is_an_error()
    {
        var bytes = Gguf.Raw().Header(3, 1, 0).Str("w").U32(1).U64(100).U32(Gguf.Q4_K).U64(0).Pad(32).Bytes(new byte[512]).ToArray();

        AssertRejected(bytes, "rows of 100 elements, not a multiple of the 256-element blocks of Q4_K");
    }

    [Fact]
    public void An_unknown_kv_type_99_is_an_error()
    {
        var bytes = Gguf.Raw().Header(3, 0, 1).Str("general.name").U32(99).U64(0).ToArray();

        AssertRejected(bytes, "KV pair 0 ('general.name') has value type 99; GGUF defines types 0 to 12");
    }

    [Fact]
    public void Repeated_keys_and_tensor_names_are_errors()
    {
        var keys = Gguf.Bytes([("general.name", "a"), ("general.name", "b")]);
        var names = Gguf.Bytes([], ("w", Gguf.F32, [8]), ("w", Gguf.F32, [8]));

        AssertRejected(keys, "KV pair 1 ('general.name') repeats a key");
        AssertRejected(names, "tensor 1 ('w') repeats a tensor name");
    }

    [Fact]
    public void A_bad_alignment_is_an_error()
    {
        var notPowerOfTwo = Gguf.Raw().Header(3, 0, 1).Str("general.alignment").Value(24u).ToArray();
        var wrongType = Gguf.Raw().Header(3, 0, 1).Str("general.alignment").Value(32UL).ToArray();

        AssertRejected(notPowerOfTwo, "is 24; the alignment must be a power of two");
        AssertRejected(wrongType, "has type UINT64; GGUF requires UINT32");
    }

    [Fact]
    public void Control_characters_in_names_are_escaped_in_messages()
    {
        var bytes = Gguf.Raw().Header(3, 0, 1).Str("bad\u001b[31mkey").U32(42).ToArray();

        AssertRejected(bytes, "KV pair 0 ('bad\\u001B[31mkey') has value type 42");
    }

    private static WeightFacts Inspect(string path)
    {
        using var stream = File.OpenRead(path);
        return GgufInspector.Inspect(stream, stream.Length);
    }

    private static WeightFacts Inspect(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return GgufInspector.Inspect(stream, bytes.Length);
    }

    private static void AssertRejected(byte[] bytes, string fragment)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        var error = Assert.Throws<ArtifactFormatException>(() => GgufInspector.Inspect(stream, bytes.Length));
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    private static void AssertRejectedCheaply(byte[] bytes, string fragment)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ArtifactFormatException>(() => GgufInspector.Inspect(stream, bytes.Length));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.True(allocated < Allowance, $"inspecting allocated {allocated} bytes");
    }
}

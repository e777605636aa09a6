using System.Text.Json.Nodes;
using ModelGoPack.Config;
using ModelGoPack.Inspection;
using ModelGoPack.Oci;
using ModelGoPack.Tests.Support;
using NuGet.Versioning;

namespace ModelGoPack.Tests;

/// <summary>The ModelPack config, field by field, from weight facts as the inspectors report them (their own type names).</summary>
public sealed class ModelPackConfigTests
{
    private static readonly ModelGoConfig Model = new() { Name = "m", Version = NuGetVersion.Parse("1.0.0"), License = "MG-BY-SA-2.0", Copyright = ["Copyright 2026 Example Lab"] };

    private static Artifact Weights(string path, string format, IReadOnlyDictionary<string, long> dtypes, IReadOnlyDictionary<string, string>? metadata = null, params string[] tensors) => new()
    {
        Path = path,
        Size = 1,
        Role = ArtifactRole.Weights,
        Weights = new WeightFacts
        {
            Format = format,
            Precision = WeightPrecision.Full,
            Dtypes = new SortedDictionary<string, long>(dtypes.ToDictionary(), StringComparer.Ordinal),
            Metadata = new SortedDictionary<string, string>((metadata ?? new Dictionary<string, string>()).ToDictionary(), StringComparer.Ordinal),
            Matrices = [.. tensors.Select(t => new WeightMatrix(t, false, 1, new MatrixShape(1, 1, 0, 0)))],
        },
    };

    private static Artifact Config(string path, params (string Key, string Value)[] facts) => new()
    {
        Path = path,
        Size = 1,
        Role = ArtifactRole.Architecture,
        Facts = new SortedDictionary<string, string>(facts.ToDictionary(f => f.Key, f => f.Value), StringComparer.Ordinal),
    };

    private static JsonNode Create(ModelGoConfig config, params Artifact[] artifacts)
    {
        var json = System.Text.Encoding.UTF8.GetString(ModelPackConfig.Create(config, artifacts, new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero), ["sha256:" + new string('0', 64)]));
        Assert.Empty(SpecSchemas.Errors(SpecSchemas.ModelPackConfig, json));
        return JsonNode.Parse(json)!;
    }

    // Every element type name an inspector reports (safetensors, GGUF, ONNX, PyTorch storages), and the spec's name for it.
    [Theory]
    [InlineData("F32", "float32")] [InlineData("FLOAT", "float32")] [InlineData("FloatStorage", "float32")] [InlineData("float32", "float32")]
    [InlineData("F64", "float64")] [InlineData("DOUBLE", "float64")] [InlineData("DoubleStorage", "float64")] [InlineData("float64", "float64")]
    [InlineData("F16", "float16")] [InlineData("FLOAT16", "float16")] [InlineData("HalfStorage", "float16")] [InlineData("half", "float16")]
    [InlineData("BF16", "bfloat16")] [InlineData("BFLOAT16", "bfloat16")] [InlineData("BFloat16Storage", "bfloat16")]
    [InlineData("F8_E4M3", "float8_e4m3")] [InlineData("F8_E4M3FN", "float8_e4m3")] [InlineData("FLOAT8E4M3FN", "float8_e4m3")] [InlineData("Float8_e4m3fnStorage", "float8_e4m3")]
    [InlineData("F8_E5M2", "float8_e5m2")] [InlineData("FLOAT8E5M2", "float8_e5m2")] [InlineData("Float8_e5m2Storage", "float8_e5m2")]
    [InlineData("ComplexHalfStorage", "complex32")] [InlineData("COMPLEX32", "complex32")]
    [InlineData("C64", "complex64")] [InlineData("COMPLEX64", "complex64")] [InlineData("ComplexFloatStorage", "complex64")]
    [InlineData("C128", "complex128")] [InlineData("COMPLEX128", "complex128")] [InlineData("ComplexDoubleStorage", "complex128")]
    [InlineData("I8", "int8")] [InlineData("INT8", "int8")] [InlineData("CharStorage", "int8")]
    [InlineData("I16", "int16")] [InlineData("INT16", "int16")] [InlineData("ShortStorage", "int16")]
    [InlineData("I32", "int32")] [InlineData("INT32", "int32")] [InlineData("IntStorage", "int32")]
    [InlineData("I64", "int64")] [InlineData("INT64", "int64")] [InlineData("LongStorage", "int64")]
    [InlineData("U8", "uint8")] [InlineData("UINT8", "uint8")] [InlineData("ByteStorage", "uint8")]
    [InlineData("U16", "uint16")] [InlineData("UINT16", "uint16")]
    [InlineData("U32", "uint32")] [InlineData("UINT32", "uint32")]
    [InlineData("U64", "uint64")] [InlineData("UINT64", "uint64")]
    [InlineData("BOOL", "bool")] [InlineData("BoolStorage", "bool")]
    public void Each_element_type_is_the_specs_precision_and_no_quantization(string dtype, string precision)
    {
        var config = Create(Model, Weights("model.bin", "safetensors", new Dictionary<string, long> { [dtype] = 2000 }));
        Assert.Equal(precision, config["config"]!["precision"]!.GetValue<string>());
        Assert.Null(config["config"]!["quantization"]);
    }

    [Fact]
    public void Several_precisions_in_the_specs_table_order_and_other_types_are_the_quantization_sorted()
    {
        var config = Create(Model, Weights("model.gguf", "gguf", new Dictionary<string, long> { ["Q6_K"] = 10, ["F32"] = 10, ["Q4_K"] = 10, ["BF16"] = 10, ["F16"] = 10 }));
        Assert.Equal("float32,float16,bfloat16", config["config"]!["precision"]!.GetValue<string>());
        Assert.Equal("Q4_K,Q6_K", config["config"]!["quantization"]!.GetValue<string>());
        Assert.Equal("gguf", config["config"]!["format"]!.GetValue<string>());
    }

    [Fact]
    public void Formats_are_sorted_and_PyTorch_is_pt_and_two_formats_give_no_param_size()
    {
        var config = Create(Model,
            Weights("a.safetensors", "safetensors", new Dictionary<string, long> { ["F32"] = 5000 }),
            Weights("b.pt", "pytorch", new Dictionary<string, long> { ["FloatStorage"] = 5000 }),
            Weights("c.onnx", "ONNX", new Dictionary<string, long> { ["FLOAT"] = 5000 }));
        Assert.Equal("onnx,pt,safetensors", config["config"]!["format"]!.GetValue<string>());
        Assert.Null(config["config"]!["paramSize"]);
    }

    [Fact]
    public void Param_size_adds_every_type_of_every_shard()
    {
        var config = Create(Model,
            Weights("model-00002.safetensors", "safetensors", new Dictionary<string, long> { ["F32"] = 4_000_000, ["BF16"] = 1_000_000 }, null, "b"),
            Weights("model-00001.safetensors", "safetensors", new Dictionary<string, long> { ["F32"] = 2_000_000 }, null, "a"));
        Assert.Equal("7M", config["config"]!["paramSize"]!.GetValue<string>());
    }

    [Fact]
    public void The_architecture_is_the_shallowest_config_json_then_model_type_then_GGUF()
    {
        Assert.Equal("LlamaForCausalLM", Create(Model, Config("sub/config.json", ("architectures", "MistralForCausalLM")), Config("config.json", ("architectures", "LlamaForCausalLM")))["config"]!["architecture"]!.GetValue<string>());
        Assert.Equal("AForCausalLM", Create(Model, Config("b/config.json", ("architectures", "BForCausalLM")), Config("a/config.json", ("architectures", "AForCausalLM")))["config"]!["architecture"]!.GetValue<string>());
        Assert.Equal("llama", Create(Model, Config("config.json", ("model_type", "llama")))["config"]!["architecture"]!.GetValue<string>());
        Assert.Equal("qwen2", Create(Model,
            Weights("b.gguf", "gguf", new Dictionary<string, long> { ["F32"] = 1 }, new Dictionary<string, string> { ["general.architecture"] = " " }),
            Weights("c.gguf", "gguf", new Dictionary<string, long> { ["F32"] = 1 }, new Dictionary<string, string> { ["general.architecture"] = "qwen2" }))["config"]!["architecture"]!.GetValue<string>());
        Assert.Null(Create(Model, Weights("a.gguf", "gguf", new Dictionary<string, long> { ["F32"] = 1 }))["config"]!["architecture"]);
    }

    [Fact]
    public void The_quantization_method_of_config_json_wins_over_element_types()
    {
        var config = Create(Model, Config("config.json", ("quantization", "awq")), Weights("m.safetensors", "safetensors", new Dictionary<string, long> { ["I32"] = 10, ["F16"] = 10 }));
        Assert.Equal("awq", config["config"]!["quantization"]!.GetValue<string>());
    }

    [Fact]
    public void No_copyright_line_gives_no_authors_and_a_holderless_one_is_left_out()
    {
        Assert.Null(Create(Model with { Copyright = [] })["descriptor"]!["authors"]);
        Assert.Null(Create(Model with { Copyright = ["Copyright 2026"] })["descriptor"]!["authors"]);
        Assert.Equal(["Example Lab", "Other Org"], Create(Model with { Copyright = ["Copyright 2026 Example Lab", "(c) 2025 Other Org", "Copyright 2024 Example Lab"] })["descriptor"]!["authors"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public void The_config_is_indented_json_in_a_fixed_order()
    {
        var json = System.Text.Encoding.UTF8.GetString(ModelPackConfig.Create(Model, [], new DateTimeOffset(2026, 6, 1, 12, 30, 5, TimeSpan.FromHours(2)), ["sha256:" + new string('1', 64)]));
        Assert.StartsWith("{\n  \"descriptor\": {\n    \"createdAt\": \"2026-06-01T10:30:05Z\",", json.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}

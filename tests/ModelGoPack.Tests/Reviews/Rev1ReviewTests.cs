using ModelGoPack.Inspection;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// Adversarial review of 10a356d ("Real model files"): each test states the behaviour the commit promises or implies,
/// and fails on that commit.
/// </summary>
public sealed class Rev1ReviewTests
{
    private const string Oid = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393";

    private static readonly string Pointer = $"version https://git-lfs.github.com/spec/v1\noid sha256:{Oid}\nsize 2000000000\n";

    // D1: the external-data pass of ArtifactInspector.Inspect(IEnumerable) overwrites the pointer's artifact.
    [Fact]
    public void An_LFS_pointer_that_an_ONNX_model_names_as_external_data_is_still_MGP8041()
    {
        using var project = PointerExternalDataProject();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.True(result.Diagnostics.Any(d => d.Code == "MGP8041" && d.Path == "model.onnx_data"), $"diagnostics: [{Dump(result.Diagnostics)}]");
    }

    // D1: pack writes the pointer as the weights and calls it compliant; verify of that very zip says MGP8041.
    [Fact]
    public void Pack_and_verify_agree_on_an_ONNX_whose_external_data_is_an_LFS_pointer()
    {
        using var project = PointerExternalDataProject();
        var output = Path.Combine(project.Scratch, "bundle.zip");

        var pack = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, Emit.BundleFormat.Zip);
        var verify = File.Exists(output) ? ModelGoPackEngine.Verify(output) : null;

        Assert.False(pack.Compliant && verify is { Compliant: false }, $"pack: compliant [{Dump(pack.Diagnostics)}]; verify of its zip: [{Dump(verify?.Diagnostics ?? [])}]");
        Assert.Contains(pack.Diagnostics, d => d.Code == "MGP8041" && d.Path == "model.onnx_data");
    }

    // D3: the root NOTICE is read by ProjectLoader before inspection, so its pointer is never seen.
    [Fact]
    public void A_root_NOTICE_that_is_an_LFS_pointer_is_MGP8041_and_not_copied_into_the_bundle()
    {
        using var project = new ModelProjectBuilder();
        project.File("NOTICE", Pointer).Write();
        var output = Path.Combine(project.Scratch, "bundle");

        var pack = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, Emit.BundleFormat.Directory);

        var notice = Path.Combine(output, "NOTICE");
        Assert.False(File.Exists(notice) && File.ReadAllText(notice).Contains("git-lfs.github.com/spec/v1", StringComparison.Ordinal), "the bundle's NOTICE holds the LFS pointer text");
        Assert.Contains(pack.Diagnostics, d => d.Code == "MGP8041" && d.Path == "NOTICE");
    }

    // D3: the root LICENSE is likewise skipped: the user is told to replace the text, not to run git lfs pull.
    [Fact]
    public void A_root_LICENSE_that_is_an_LFS_pointer_is_MGP8041()
    {
        using var project = new ModelProjectBuilder();
        project.File("LICENSE", Pointer).Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.True(result.Diagnostics.Any(d => d.Code == "MGP8041" && d.Path == "LICENSE"), $"diagnostics: [{Dump(result.Diagnostics)}]");
    }

    // D2: one Constant's output (up to 1 MiB) names all of its up to 16 values, and each becomes a WeightMatrix whose
    // LogicalName is a fresh copy: 32 bytes kept per byte read.
    [Fact]
    public void A_Constant_output_shared_by_its_value_attributes_does_not_multiply_retained_memory()
    {
        var graph = new ProtoWriter();
        for (var n = 0; n < 4; n++)
        {
            var node = new ProtoWriter().Text(2, new string((char)('a' + n), 1000 * 1000) + ".weight_quantized").Text(4, "Constant");
            for (var i = 0; i < OnnxInspector.MaxValueAttributes; i++)
            {
                node.Message(5, new ProtoWriter().Text(1, "value").Message(5, new ProtoWriter().Bytes(1, [2, 2]).Varint(2, Onnx.F32)));
            }

            graph.Message(1, node);
        }

        var bytes = new ProtoWriter().Varint(1, 9).Message(7, graph).ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var facts = OnnxInspector.Inspect(new MemoryStream(bytes, writable: false), bytes.Length);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var retained = facts.Matrices.Select(m => m.Name).Distinct(ReferenceEqualityComparer.Instance).Sum(n => ((string)n!).Length * 2L);
        Assert.True(retained < 4L * bytes.Length, $"{bytes.Length:N0}-byte model: matrix names keep {retained:N0} bytes ({allocated:N0} allocated)");
    }

    // D4: every node and attribute, even empty, allocates a label string and a list: ~40 bytes per input byte, where the
    // reader used to skip nodes. The fuzz harness's own property is 64 MiB at most for any input.
    [Fact]
    public void Empty_nodes_allocate_within_the_fuzz_harness_limit()
    {
        var graph = new ProtoWriter();
        for (var i = 0; i < 1_000_000; i++)
        {
            graph.Tag(1, 2).RawVarint(0);
        }

        var bytes = new ProtoWriter().Varint(1, 9).Message(7, graph).ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();
        OnnxInspector.Inspect(new MemoryStream(bytes, writable: false), bytes.Length);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 64L * 1024 * 1024, $"{bytes.Length:N0} bytes of empty nodes: {allocated:N0} bytes allocated");
    }

    // D5: ModelProto.functions (field 25) is skipped, so a model whose weights are Constants of a local function has 0
    // tensors and becomes role other (MGP5001 "no weights").
    [Fact]
    public void Constants_inside_a_model_local_function_count_as_weights()
    {
        var constant = new ProtoWriter().Text(2, "w").Text(4, "Constant")
            .Message(5, new ProtoWriter().Text(1, "value").Message(5, new ProtoWriter().Bytes(1, [64, 64]).Varint(2, Onnx.F32).Text(8, "block.weight")));
        var function = new ProtoWriter().Text(1, "Block").Text(10, "local").Message(7, constant);
        var bytes = new ProtoWriter().Varint(1, 9)
            .Message(7, new ProtoWriter().Message(1, new ProtoWriter().Text(2, "y").Text(4, "Block").Text(7, "local")))
            .Message(25, function)
            .ToArray();

        var facts = OnnxInspector.Inspect(new MemoryStream(bytes, writable: false), bytes.Length);

        Assert.Equal(1, facts.TensorCount);
    }

    // D6: Constant values of any type now vote in the precision: a float model with an INT64 index table is "quantized".
    [Fact]
    public void An_INT64_helper_Constant_does_not_make_a_float_model_quantized()
    {
        using var project = new ModelProjectBuilder();
        File.Delete(Path.Combine(project.Root, "model.safetensors"));
        var table = new ProtoWriter().Bytes(1, [0x80, 0x80, 0x04]).Varint(2, Onnx.I64); // [65536] INT64
        var graph = new ProtoWriter()
            .Message(5, Onnx.Tensor("fc.weight", Onnx.F32, [100, 100], null, Stream.Null))
            .Message(1, new ProtoWriter().Text(2, "token_ids").Text(4, "Constant").Message(5, new ProtoWriter().Text(1, "value").Message(5, table)));
        project.Bytes("model.onnx", new ProtoWriter().Varint(1, 9).Message(7, graph).ToArray()).Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP5002");
    }

    // D7: WebAssembly magic is checked after the weight-extension switch, so a .bin module is unread weights.
    [Fact]
    public void A_WebAssembly_module_named_bin_is_compiled_code()
    {
        using var project = new ModelProjectBuilder();
        project.Bytes("kernels/ops.bin", [0, (byte)'a', (byte)'s', (byte)'m', 1, 0, 0, 0, 1, 4, 1, 96, 0, 0]).Write();

        var result = ModelGoPackEngine.Inspect(new ProjectRequest { ProjectDirectory = project.Root });

        var artifact = result.Artifacts.Single(a => a.Path == "kernels/ops.bin");
        Assert.Equal((ArtifactRole.Code, "WebAssembly module"), (artifact.Role, artifact.Facts.GetValueOrDefault("compiled")));
    }

    // D8: MGP5001 is dropped when any LFS pointer exists, a pointer to a picture too.
    [Fact]
    public void A_pointer_to_a_picture_does_not_hide_that_the_release_has_no_weights()
    {
        using var project = new ModelProjectBuilder();
        File.Delete(Path.Combine(project.Root, "model.safetensors"));
        project.File("docs/figure.png", Pointer).Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Contains(result.Diagnostics, d => d.Code == "MGP8041");
        Assert.Contains(result.Diagnostics, d => d.Code == "MGP5001");
    }

    // D9: every node's output, op_type, domain and attribute names are now decoded strictly, so a model ONNX Runtime
    // loads (proto2 strings are not UTF-8-checked) and that read before this commit is now MGP8021, for a Relu's name.
    [Fact]
    public void A_non_UTF8_output_name_of_an_ordinary_node_does_not_make_the_model_unreadable()
    {
        var graph = new ProtoWriter()
            .Message(5, Onnx.Tensor("fc.weight", Onnx.F32, [4, 4], null, Stream.Null))
            .Message(1, new ProtoWriter().Text(1, "x").Bytes(2, [0x72, 0xE9, 0x6C, 0x75]).Text(4, "Relu")); // "rélu" in Latin-1
        var bytes = new ProtoWriter().Varint(1, 9).Message(7, graph).ToArray();

        var facts = OnnxInspector.Inspect(new MemoryStream(bytes, writable: false), bytes.Length);

        Assert.Equal(1, facts.TensorCount);
    }

    private static ModelProjectBuilder PointerExternalDataProject()
    {
        var project = new ModelProjectBuilder();
        File.Delete(Path.Combine(project.Root, "model.safetensors"));
        var onnx = Onnx.Model("model.onnx_data", new MemoryStream(), ("w", Onnx.F32, [64, 64], true));
        project.Bytes("model.onnx", onnx).File("model.onnx_data", Pointer).Write();
        return project;
    }

    private static string Dump(IEnumerable<Diagnostics.Diagnostic> diagnostics) =>
        string.Join(" | ", diagnostics.Select(d => $"{d.Code} {d.Severity} {d.Path}: {d.Message[..Math.Min(d.Message.Length, 160)]}"));
}

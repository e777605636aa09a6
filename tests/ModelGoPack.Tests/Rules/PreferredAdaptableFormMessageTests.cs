using ModelGoPack.Diagnostics;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// Clause 2.2(a)(v), file by file: each source a native binary may be built from, each editable form a PDF may have,
/// and the words of each finding, which a publisher acts on.
/// </summary>
public sealed class PreferredAdaptableFormMessageTests
{
    [Theory]
    [InlineData(".c")]
    [InlineData(".cc")]
    [InlineData(".cpp")]
    [InlineData(".cxx")]
    [InlineData(".h")]
    [InlineData(".hpp")]
    [InlineData(".cu")]
    [InlineData(".cuh")]
    [InlineData(".rs")]
    [InlineData(".go")]
    [InlineData(".zig")]
    [InlineData(".swift")]
    [InlineData(".m")]
    [InlineData(".mm")]
    [InlineData(".cs")]
    [InlineData(".java")]
    [InlineData(".kt")]
    [InlineData(".f90")]
    [InlineData(".pyx")]
    [InlineData(".CU")]
    public void A_native_binary_passes_beside_source_in_a_compiled_language(string extension)
    {
        using var project = Binaries("lib/fastops.so");
        project.File("src/fastops" + extension, "source\n").Write();

        Assert.DoesNotContain(Check(project).Diagnostics, d => d.Code == "MGP5007");
    }

    [Theory]
    [InlineData(new[] { "lib/fastops.so" }, "lib/fastops.so is a native binary, and the release holds no source code it could be built from. ")]
    [InlineData(new[] { "lib/a.so", "lib/b.so" }, "lib/a.so, lib/b.so are native binaries, and the release holds no source code they could be built from. ")]
    public void Native_binaries_without_source_are_one_MGP5007_naming_them(string[] binaries, string message)
    {
        using var project = Binaries(binaries);
        project.File("src/ops.py", "print(1)\n").Write();

        var d = Assert.Single(Check(project).Diagnostics, d => d.Code == "MGP5007");

        Assert.Equal(message + DiagnosticCatalog.CompiledWithoutSource.Help, d.Message);
        Assert.Equal(binaries[0], d.Path);
    }

    [Theory]
    [InlineData(".md")]
    [InlineData(".tex")]
    [InlineData(".rst")]
    [InlineData(".docx")]
    [InlineData(".odt")]
    [InlineData(".html")]
    [InlineData(".htm")]
    [InlineData(".adoc")]
    [InlineData(".org")]
    [InlineData(".txt")]
    public void A_pdf_passes_beside_an_editable_source_of_the_same_name(string extension)
    {
        using var project = new ModelProjectBuilder();
        project.Bytes("docs/paper.pdf", "%PDF-1.7\n"u8.ToArray()).File("docs/paper" + extension, "source\n").File("docs/other.md", "x\n").Write();

        Assert.DoesNotContain(Check(project).Diagnostics, d => d.Code == "MGP5008");
    }

    [Fact]
    public void A_pdf_without_its_source_is_MGP5008_with_its_words()
    {
        using var project = new ModelProjectBuilder();
        project.Bytes("docs/paper.pdf", "%PDF-1.7\n"u8.ToArray()).File("docs/paper-notes.md", "x\n").Write();

        var d = Assert.Single(Check(project).Diagnostics, d => d.Code == "MGP5008");

        Assert.Equal($"'docs/paper.pdf' has no editable source beside it. {DiagnosticCatalog.PdfOnlyDocs.Help}", d.Message);
    }

    [Fact]
    public void Only_quantized_weights_are_described_by_their_main_type_its_share_and_the_config_that_quantized_them()
    {
        using var project = new ModelProjectBuilder();
        File.Delete(Path.Combine(project.Root, "model.safetensors"));
        Safetensors.Write(Path.Combine(project.Root, "gptq", "model.safetensors"), ("w", "F16", [60, 4]), ("layer.qweight", "I32", [2, 4]), ("b", "F32", [16]));
        project.File("gptq/config.json", """{"architectures": ["TinyForCausalLM"], "quantization_config": {"quant_method": "gptq", "bits": 4}}""");
        Safetensors.Write(Path.Combine(project.Root, "int8.safetensors"), ("w", "I8", [64, 4]), ("s", "F16", [2]));
        project.Write();

        var d = Assert.Single(Check(project).Diagnostics, d => d.Code == "MGP5002");

        Assert.Equal(
            $"Every weight file is quantized or compiled: gptq/model.safetensors (safetensors, F16 for 90% of elements, quantized by gptq per config.json); int8.safetensors (safetensors, I8 for 99% of elements). The full-precision weights are missing. {DiagnosticCatalog.OnlyQuantizedWeights.Help}",
            d.Message);
    }

    [Fact]
    public void Full_precision_matrices_beside_a_config_that_quantizes_on_loading_are_full_precision()
    {
        // bitsandbytes' load_in_4bit in config.json quantizes BF16 weights as they load: the file is the full precision.
        using var project = new ModelProjectBuilder();
        File.Delete(Path.Combine(project.Root, "model.safetensors"));
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("model.layers.0.mlp.down_proj.weight", "BF16", [16, 16]), ("model.norm.weight", "BF16", [16]));
        project.File("config.json", """{"architectures": ["TinyForCausalLM"], "quantization_config": {"quant_method": "bitsandbytes", "load_in_4bit": true}}""");
        project.Write();

        var result = Check(project);

        Assert.DoesNotContain(result.Diagnostics, d => d.Code is "MGP5002" or "MGP5011");
        Assert.Equal(Inspection.WeightPrecision.Full, Assert.Single(result.Artifacts, a => a.Path == "model.safetensors").Weights!.Precision);
    }

    [Fact]
    public void A_quantization_config_does_not_make_a_GGUF_beside_it_quantized()
    {
        using var project = new ModelProjectBuilder();
        File.Delete(Path.Combine(project.Root, "model.safetensors"));
        project.File("config.json", """{"architectures": ["TinyForCausalLM"], "quantization_config": {"quant_method": "awq"}}""");
        Gguf.Write(Path.Combine(project.Root, "tiny-F16.gguf"), [("general.architecture", "llama")], ("blk.0.attn_q.weight", Gguf.F16, [256, 2]));
        project.Write();

        Assert.DoesNotContain(Check(project).Diagnostics, d => d.Code == "MGP5002");
    }

    [Fact]
    public void Tensor_only_weights_are_defined_by_model_code_beside_them_and_named_when_not()
    {
        using var project = new ModelProjectBuilder();
        File.Delete(Path.Combine(project.Root, "config.json"));
        Safetensors.Write(Path.Combine(project.Root, "a", "model.safetensors"), ("w.weight", "F32", [4, 4]));
        project.File("a/modeling_tiny.py", "class Tiny: pass\n").File("b/train.sh", "echo\n");
        Safetensors.Write(Path.Combine(project.Root, "b", "model.safetensors"), ("w.weight", "F32", [4, 4]));
        project.Write();

        var d = Assert.Single(Check(project).Diagnostics, d => d.Code == "MGP5003");

        Assert.StartsWith("b/model.safetensors, model.safetensors hold tensors only, and no config.json, params.json or model code is beside them or in a folder above. ", d.Message, StringComparison.Ordinal);
        Assert.Equal("b/model.safetensors", d.Path);
    }

    [Fact]
    public void Missing_tokenizer_and_custom_code_files_are_named_with_the_config_that_names_them()
    {
        using var project = new ModelProjectBuilder();
        project.File("config.json", """{"architectures": ["TinyForCausalLM"], "auto_map": {"AutoModel": "modeling_tiny.TinyModel", "AutoConfig": "configuration_tiny.TinyConfig"}}""");
        project.File("configuration_tiny.py", "class TinyConfig: pass\n");
        project.File("tokenizer_config.json", """{"vocab_file": "vocab.txt", "merges_file": "merges.txt"}""").File("merges.txt", "a b\n").Write();

        var diagnostics = Check(project).Diagnostics;

        Assert.Equal($"'config.json' auto_map loads classes from modeling_tiny.py, which the release does not hold. {DiagnosticCatalog.CustomCodeMissing.Help}", Assert.Single(diagnostics, d => d.Code == "MGP5010").Message);
        Assert.Equal($"'tokenizer_config.json' names tokenizer files that are not in the release: vocab.txt. {DiagnosticCatalog.TokenizerMissing.Help}", Assert.Single(diagnostics, d => d.Code == "MGP5004").Message);
    }

    private static ModelProjectBuilder Binaries(params string[] paths)
    {
        var project = new ModelProjectBuilder();
        foreach (var path in paths)
        {
            project.Bytes(path, [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0]);
        }

        return project;
    }

    private static CheckResult Check(ModelProjectBuilder project) => ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });
}

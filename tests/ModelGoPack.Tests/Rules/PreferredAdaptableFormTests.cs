using System.Text.Json;
using System.Text.Json.Nodes;
using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

public sealed class PreferredAdaptableFormTests
{
    [Theory]
    [InlineData("F32")]
    [InlineData("BF16")]
    [InlineData("F16")]
    public void Full_precision_safetensors_pass_with_their_facts(string dtype)
    {
        using var project = Model(("w", dtype, [16, 4]), ("ids", "I64", [4]));

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        var weights = Assert.Single(result.Artifacts, a => a.Path == "model.safetensors").Weights!;
        Assert.Equal(("safetensors", Inspection.WeightPrecision.Full, 2L), (weights.Format, weights.Precision, weights.TensorCount));
        Assert.Equal(64, weights.Dtypes[dtype]);
        Assert.Equal(4, weights.Dtypes["I64"]);
        Assert.Equal("pt", weights.Metadata["format"]);
    }

    [Fact]
    public void A_config_json_that_is_not_JSON_is_a_fact_of_inspect_not_an_unreadable_file()
    {
        using var project = Model(("w", "F32", [16, 4]));
        File.WriteAllText(Path.Combine(project.Root, "config.json"), "{ not json");

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP8009");
        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        Assert.Equal("not valid JSON", result.Artifacts.Single(a => a.Path == "config.json").Facts["unreadable"]);
    }

    [Theory]
    [InlineData("I8", "I8 for 98%")]
    [InlineData("F4", "F4 for 98%")]
    [InlineData("F8_E4M3", "F8_E4M3 for 98%")]
    public void Only_quantized_safetensors_fail_naming_the_file_and_type(string dtype, string fragment)
    {
        using var project = Model(("w", dtype, [64, 4]), ("scale", "F16", [4]));

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var error = Assert.Single(result.Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
        Assert.Equal(("MGP5002", "model.safetensors"), (error.Code, error.Path));
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.Contains("full-precision weights are missing", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public void Quantization_config_marks_packed_weights_quantized_and_a_full_export_beside_them_passes()
    {
        using var project = Model(("qweight", "I32", [64, 4]), ("scales", "F16", [4]));
        project.File("config.json", """{"architectures": ["LlamaForCausalLM"], "model_type": "llama", "quantization_config": {"quant_method": "gptq", "bits": 4}}""");

        var quantizedOnly = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });
        Safetensors.Write(Path.Combine(project.Root, "full", "model.safetensors"), ("w", "BF16", [64, 4]));
        project.File("full/config.json", """{"architectures": ["LlamaForCausalLM"], "model_type": "llama"}""");
        var withFull = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var error = Assert.Single(quantizedOnly.Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
        Assert.Equal("MGP5002", error.Code);
        Assert.Contains("(safetensors, I32 for 98% of elements, quantized by gptq per config.json)", error.Message, StringComparison.Ordinal);
        Assert.True(withFull.Compliant, string.Join("\n", withFull.Diagnostics));
    }

    [Fact]
    public void Gguf_Q4_K_only_fails_and_GGUF_F16_passes_without_a_config_json()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        File.Delete(Path.Combine(project.Root, "model.safetensors"));
        File.Delete(Path.Combine(project.Root, "config.json"));
        (string, object)[] kv = [("general.architecture", "llama"), ("general.name", "tiny")];
        Gguf.Write(Path.Combine(project.Root, "tiny-Q4_K.gguf"), kv, ("blk.0.w", Gguf.Q4_K, [256, 2]), ("norm", Gguf.F32, [8]));

        var quantized = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });
        Gguf.Write(Path.Combine(project.Root, "tiny-F16.gguf"), kv, ("blk.0.w", Gguf.F16, [256, 2]), ("norm", Gguf.F32, [8]));
        var withFull = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var error = Assert.Single(quantized.Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
        Assert.Equal(("MGP5002", "tiny-Q4_K.gguf"), (error.Code, error.Path));
        Assert.Contains("tiny-Q4_K.gguf (gguf, Q4_K for 98% of elements)", error.Message, StringComparison.Ordinal);
        Assert.True(withFull.Compliant, string.Join("\n", withFull.Diagnostics));
    }

    [Fact]
    public void Onnx_int8_only_fails_and_its_missing_external_data_is_MGP5005()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        File.Delete(Path.Combine(project.Root, "model.safetensors"));
        Onnx.Write(Path.Combine(project.Root, "model.onnx"), ("w", Onnx.I8, [64, 4], true), ("scale", Onnx.F32, [4], false));
        File.Delete(Path.Combine(project.Root, "model.onnx_data"));

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Equal(["MGP5002", "MGP5005"], Errors(result));
        Assert.Contains(result.Diagnostics, d => d.Code == "MGP5005" && d.Message.Contains("model.onnx_data", StringComparison.Ordinal));
    }

    [Fact]
    public void Compiled_exports_alone_fail_by_kind()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        File.Delete(Path.Combine(project.Root, "model.safetensors"));
        project.Bytes("model.plan", [1, 2, 3, 4]);
        project.Bytes("mobile.bin", [0x1C, 0, 0, 0, (byte)'T', (byte)'F', (byte)'L', (byte)'3', 0, 0]);
        project.Bytes("ios/Model.mlmodelc/coremldata.bin", [0, 1]);

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var error = Assert.Single(result.Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
        Assert.Equal("MGP5002", error.Code);
        Assert.Contains("model.plan (TensorRT engine)", error.Message, StringComparison.Ordinal);
        Assert.Contains("mobile.bin (TensorFlow Lite flat buffer)", error.Message, StringComparison.Ordinal);
        Assert.Contains("ios/Model.mlmodelc/coremldata.bin (Core ML compiled model (.mlmodelc))", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PyTorch_zip_with_float_storages_passes_with_the_pickle_warning()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        File.Delete(Path.Combine(project.Root, "model.safetensors"));
        PyTorchZip.Write(Path.Combine(project.Root, "pytorch_model.bin"), ("embed.weight", "FloatStorage", [16, 4]), ("head.weight", "HalfStorage", [4, 16]));

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(("MGP5009", "pytorch_model.bin"), (warning.Code, warning.Path));
        var weights = Assert.Single(result.Artifacts, a => a.Path == "pytorch_model.bin").Weights!;
        Assert.Equal(("pytorch", Inspection.WeightPrecision.Full, 64L, 64L), (weights.Format, weights.Precision, weights.Dtypes["FloatStorage"], weights.Dtypes["HalfStorage"]));
    }

    [Fact]
    public void Tensorless_files_do_not_count_and_a_projector_does_not_stand_for_the_language_model()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        File.Delete(Path.Combine(project.Root, "model.safetensors"));
        Gguf.Write(Path.Combine(project.Root, "m-Q4_K.gguf"), [("general.architecture", "llama")], ("w", Gguf.Q4_K, [256, 2]));
        Gguf.Write(Path.Combine(project.Root, "mmproj-f16.gguf"), [("general.architecture", "clip"), ("general.type", "mmproj")], ("v", Gguf.F16, [256, 2]));
        PyTorchZip.Write(Path.Combine(project.Root, "training_args.bin"));
        Safetensors.WriteRaw(Path.Combine(project.Root, "empty.safetensors"), 2, "{}", 0);

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        // The F16 projector is full-precision weights, but of the vision encoder: the language model's Q4_K matrix
        // still has no counterpart (a GGUF of another model is no copy of its matrices).
        var error = Assert.Single(result.Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
        Assert.Equal(("MGP5011", "m-Q4_K.gguf"), (error.Code, error.Path));
        Assert.DoesNotContain("mmproj", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Core_ML_packages_are_compiled_and_unread_formats_still_count_as_weights()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        File.Delete(Path.Combine(project.Root, "model.safetensors"));
        project.Bytes("M.mlpackage/Data/com.apple.CoreML/weights/weight.bin", [1, 2, 3]);

        var coreml = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });
        project.Bytes("network.pkl", [0x80, 0x04, 0x2E]);
        project.Bytes("tf/bert_model.ckpt.data-00000-of-00001", [0, 0, 0, 0]);
        var unread = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Equal(["MGP5002"], Errors(coreml));
        Assert.True(unread.Compliant, string.Join("\n", unread.Diagnostics));
        Assert.Contains(unread.Diagnostics, d => d.Code == "MGP5009" && d.Path == "network.pkl");
        Assert.Equal("tensorflow-checkpoint", unread.Artifacts.Single(a => a.Path.StartsWith("tf/", StringComparison.Ordinal)).Weights!.Format);
    }

    [Fact]
    public void Data_that_starts_with_MZ_is_not_a_native_binary_and_generation_config_alone_is_no_architecture()
    {
        using var project = new ModelProjectBuilder();
        project.File("data/countries.csv", "MZ,Mozambique,Africa\n" + new string('x', 100));
        project.File("generation_config.json", """{"max_new_tokens": 32}""");
        project.Write();
        File.Delete(Path.Combine(project.Root, "config.json"));

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Equal(["MGP5003"], Errors(result));
        Assert.Equal(Inspection.ArtifactRole.Data, result.Artifacts.Single(a => a.Path == "data/countries.csv").Role);
    }

    [Theory]
    [InlineData("model.safetensors", """{"a":{"dtype":"F32","shape":[1],"data_offsets":["0",4]}}""")]
    [InlineData("model.pt", null)]
    public void Headers_that_once_crashed_are_MGP8021_and_other_files_are_still_inspected(string name, string? header)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        if (header is null)
        {
            project.Bytes(name, [0x80, 0x02, (byte)'t', (byte)'.']);
        }
        else
        {
            Safetensors.WriteRaw(Path.Combine(project.Root, name), (ulong)header.Length, header, 4);
        }

        Safetensors.Write(Path.Combine(project.Root, "full", "model.safetensors"), ("w", "F32", [4]));
        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Equal(["MGP8021"], Errors(result));
        Assert.Contains(result.Artifacts, a => a.Path == "full/model.safetensors" && a.Weights!.Precision == Inspection.WeightPrecision.Full);
    }

    [Fact]
    public void No_weights_is_MGP5001()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        File.Delete(Path.Combine(project.Root, "model.safetensors"));

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Equal(["MGP5001"], Errors(result));
    }

    [Fact]
    public void Weights_without_an_architecture_definition_are_MGP5003_and_a_model_script_is_enough()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        File.Delete(Path.Combine(project.Root, "config.json"));

        var bare = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });
        project.File("model.py", "class TinyModel:\n    pass\n");
        var withCode = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Equal(["MGP5003"], Errors(bare));
        Assert.True(withCode.Compliant);
    }

    [Fact]
    public void Referenced_tokenizer_custom_code_and_shards_must_be_present()
    {
        using var project = new ModelProjectBuilder();
        project.File("tokenizer_config.json", """{"tokenizer_class": "LlamaTokenizer", "vocab_file": "tokenizer.model"}""");
        project.File("config.json", """{"architectures": ["TinyForCausalLM"], "model_type": "tiny", "auto_map": {"AutoModel": "modeling_tiny.TinyModel", "AutoConfig": "configuration_tiny.TinyConfig"}}""");
        project.File("configuration_tiny.py", "class TinyConfig: pass\n");
        project.File("model.safetensors.index.json", """{"metadata": {}, "weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors"}}""");
        Safetensors.Write(Path.Combine(project.Root, "model-00001-of-00002.safetensors"), ("a", "F16", [4]));
        Safetensors.Write(Path.Combine(project.Root, "model-00003-of-00003.safetensors"), ("c", "F16", [4]));
        project.Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Equal(["MGP5004", "MGP5005", "MGP5010"], Errors(result));
        Assert.Contains(result.Diagnostics, d => d.Code == "MGP5005" && d.Message.Contains("model-00002-of-00002.safetensors", StringComparison.Ordinal) && !d.Message.Contains("00001", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Code == "MGP5010" && d.Message.Contains("modeling_tiny.py", StringComparison.Ordinal) && !d.Message.Contains("configuration_tiny", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Code == "MGP5006" && d.Path == "model-00003-of-00003.safetensors");
    }

    [Fact]
    public void Compiled_code_needs_its_source_and_pdf_docs_their_editable_source()
    {
        using var project = new ModelProjectBuilder();
        project.Bytes("__pycache__/helpers.cpython-312.pyc", [0x55, 0x0D, 0x0D, 0x0A, 0, 0, 0, 0]);
        project.Bytes("lib/fastops.so", [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0]);
        project.Bytes("paper.pdf", "%PDF-1.7\n"u8.ToArray());
        project.Bytes("guide.pdf", "%PDF-1.7\n"u8.ToArray());
        project.File("guide.md", "# Guide\n");
        project.Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Equal(["MGP5007", "MGP5007"], Errors(result));
        Assert.Contains(result.Diagnostics, d => d.Code == "MGP5007" && d.Message.Contains("'helpers.py'", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Code == "MGP5007" && d.Path == "lib/fastops.so");
        Assert.Equal(["paper.pdf"], result.Diagnostics.Where(d => d.Code == "MGP5008").Select(d => d.Path));

        project.File("helpers.py", "def f(): pass\n").File("src/fastops.c", "int f(void) { return 0; }\n");
        Assert.True(ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root }).Compliant);
    }

    [Theory]
    [InlineData(10_000_000_000UL, "{}", 0, "limit is 100,000,000")]
    [InlineData(4096UL, "{}", 0, "only")]
    [InlineData(2UL, "{}", 16, "cover 0 bytes")]
    [InlineData(0UL, "", 0, "not valid JSON")]
    public void Hostile_safetensors_headers_are_MGP8021_without_allocating_what_they_declare(ulong declared, string header, int data, string fragment)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var bytesHeader = declared == 0 ? (ulong)System.Text.Encoding.UTF8.GetByteCount(header) : declared;
        Safetensors.WriteRaw(Path.Combine(project.Root, "model.safetensors"), bytesHeader, header, data);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var error = Assert.Single(result.Diagnostics, d => d.Code == "MGP8021");
        Assert.Equal("model.safetensors", error.Path);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.Equal(2, result.ExitCode);
        Assert.True(allocated < 64 * 1024 * 1024, $"allocated {allocated:N0} bytes");
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "overlap")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]}}""", 20, "not contiguous")]
    [InlineData("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, "takes 12 bytes")]
    [InlineData("""{"a":{"dtype":"Q4","shape":[2],"data_offsets":[0,1]}}""", 1, "unknown dtype")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 9, "holds 9")]
    public void Inconsistent_offsets_and_types_are_MGP8021(string header, int data, string fragment)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        Safetensors.WriteRaw(Path.Combine(project.Root, "model.safetensors"), (ulong)header.Length, header, data);

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Contains(fragment, Assert.Single(result.Diagnostics, d => d.Code == "MGP8021").Message, StringComparison.Ordinal);
    }

    // The offsets tile the data and each tensor is well formed: only the repeated name is wrong.
    [Theory]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""", 16, "the header repeats the tensor name 'a'")]
    [InlineData("""{"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F16","shape":[4],"data_offsets":[8,16]},"b":{"dtype":"F32","shape":[0],"data_offsets":[16,16]}}""", 16, "the header repeats the tensor name 'b'")]
    [InlineData("""{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"__metadata__":{"format":"np"}}""", 8, "the header repeats __metadata__")]
    public void A_safetensors_header_that_repeats_a_tensor_name_is_MGP8021(string header, int data, string fragment)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        Safetensors.WriteRaw(Path.Combine(project.Root, "model.safetensors"), (ulong)header.Length, header, data);

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Contains($"'model.safetensors' is not a valid weight file: safetensors: {fragment}", Assert.Single(result.Diagnostics, d => d.Code == "MGP8021").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deeply_nested_header_json_is_MGP8021()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var header = "{\"a\":" + new string('[', 10_000) + new string(']', 10_000) + "}";
        Safetensors.WriteRaw(Path.Combine(project.Root, "model.safetensors"), (ulong)header.Length, header, 0);

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Contains("not valid JSON", Assert.Single(result.Diagnostics, d => d.Code == "MGP8021").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_waiver_turns_a_finding_into_info_and_the_manifest_lists_it()
    {
        using var project = Model(("w", "I8", [64, 4]));
        project.Config["waivers"] = new JsonArray(new JsonObject
        {
            ["code"] = "MGP5002",
            ["path"] = "*.safetensors",
            ["justification"] = "The full-precision weights are published separately at https://example.org/full under the same license.",
        });
        project.Write();
        var output = Path.Combine(project.Scratch, "out");

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, BundleFormat.Directory);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        var waived = Assert.Single(result.Diagnostics, d => d.Code == "MGP5002");
        Assert.Equal(Diagnostics.Severity.Info, waived.Severity);
        Assert.StartsWith("The full-precision weights", waived.Waiver, StringComparison.Ordinal);
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "modelgo-manifest.json")));
        var entry = Assert.Single(manifest.RootElement.GetProperty("waivers").EnumerateArray());
        Assert.Equal("MGP5002", entry.GetProperty("code").GetString());
        Assert.Equal("model.safetensors", Assert.Single(entry.GetProperty("findings").EnumerateArray()).GetString());
        Assert.Contains("published separately", entry.GetProperty("justification").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"code": "MGP5002", "path": "model.safetensors"}""", "MGP8022")]
    [InlineData("""{"code": "MGP5002", "path": "model.safetensors", "justification": "  "}""", "MGP8022")]
    [InlineData("""{"code": "MGP8003", "justification": "x"}""", "MGP8006")]
    [InlineData("""{"code": "MGP9999", "justification": "x"}""", "MGP8006")]
    public void Waivers_need_a_justification_and_a_compliance_code(string waiver, string code)
    {
        using var project = Model(("w", "I8", [64, 4]));
        project.Config["waivers"] = new JsonArray(JsonNode.Parse(waiver));
        project.Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Equal(code, Assert.Single(result.Diagnostics).Code);
        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public void A_waiver_that_matches_nothing_is_a_warning()
    {
        using var project = new ModelProjectBuilder();
        project.Config["waivers"] = new JsonArray(new JsonObject { ["code"] = "MGP5002", ["justification"] = "old" });
        project.Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("MGP8023", Diagnostics.Severity.Warning), (d.Code, d.Severity));
        Assert.True(result.Compliant);
    }

    [Fact]
    public void Sarif_report_has_rules_with_help_results_with_locations_and_suppressions()
    {
        using var project = Model(("w", "I8", [64, 4]));
        project.Config.Remove("copyright");
        project.Config["waivers"] = new JsonArray(new JsonObject { ["code"] = "MGP4001", ["justification"] = "Public domain dedication in README." });
        project.Write();

        var (exit, stdout, _) = CliRunner.Run("check", project.Root, "--format", "sarif");

        Assert.Equal(1, exit);
        using var sarif = JsonDocument.Parse(stdout);
        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
        var run = Assert.Single(sarif.RootElement.GetProperty("runs").EnumerateArray());
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(Diagnostics.DiagnosticCatalog.All.Count, rules.Count);
        var rule = rules.Single(r => r.GetProperty("id").GetString() == "MGP5002");
        Assert.Equal(Diagnostics.DiagnosticCatalog.OnlyQuantizedWeights.Help, rule.GetProperty("help").GetProperty("text").GetString());
        Assert.Equal("error", rule.GetProperty("defaultConfiguration").GetProperty("level").GetString());
        var results = run.GetProperty("results").EnumerateArray().ToList();
        var error = results.Single(r => r.GetProperty("ruleId").GetString() == "MGP5002");
        Assert.Equal("error", error.GetProperty("level").GetString());
        Assert.Equal(rules.IndexOf(rule), error.GetProperty("ruleIndex").GetInt32());
        var location = error.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.EndsWith("/project/model.safetensors", location.GetProperty("artifactLocation").GetProperty("uri").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, location.GetProperty("region").GetProperty("startLine").GetInt32());
        var waived = results.Single(r => r.GetProperty("ruleId").GetString() == "MGP4001");
        Assert.Equal("note", waived.GetProperty("level").GetString());
        Assert.Equal("external", waived.GetProperty("suppressions")[0].GetProperty("kind").GetString());
    }

    [Fact]
    public void Json_report_and_inspect_carry_the_artifact_facts()
    {
        using var project = Model(("w", "BF16", [8, 4]));

        var (checkExit, check, _) = CliRunner.Run("check", project.Root, "--format", "json");
        var (inspectExit, inspect, _) = CliRunner.Run("inspect", project.Root);

        Assert.Equal(0, checkExit);
        using var report = JsonDocument.Parse(check);
        var weights = report.RootElement.GetProperty("artifacts").EnumerateArray().Single(a => a.GetProperty("path").GetString() == "model.safetensors");
        Assert.Equal("weights", weights.GetProperty("role").GetString());
        Assert.Equal("full", weights.GetProperty("weights").GetProperty("precision").GetString());
        Assert.Equal(32, weights.GetProperty("weights").GetProperty("dtypes").GetProperty("BF16").GetInt64());
        var config = report.RootElement.GetProperty("artifacts").EnumerateArray().Single(a => a.GetProperty("path").GetString() == "config.json");
        Assert.Equal("tiny", config.GetProperty("facts").GetProperty("model_type").GetString());
        Assert.Equal(0, inspectExit);
        Assert.Matches(@"model\.safetensors\s+weights\s+\S+\s+safetensors, full, 1 tensors, BF16", inspect);
        Assert.Matches(@"config\.json\s+architecture\s+.*model_type=tiny", inspect);
    }

    private static ModelProjectBuilder Model(params (string Name, string Dtype, int[] Shape)[] tensors)
    {
        var project = new ModelProjectBuilder();
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), tensors);
        project.Write();
        return project;
    }

    private static List<string> Errors(CheckResult result) =>
        result.Diagnostics.Where(d => d.Severity == Diagnostics.Severity.Error).Select(d => d.Code).Order(StringComparer.Ordinal).ToList();
}

using System.Text.Json.Nodes;
using ModelGoPack.Diagnostics;
using ModelGoPack.Licensing;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests.Scenarios;

/// <summary>
/// Realistic releases for <see cref="ScenarioTests"/>: a small Llama-style chat model laid out as on the Hugging Face
/// Hub (config.json with its architecture, tokenizer files, generation_config.json, a model card whose front matter
/// names MG-BY-SA-2.0, and real safetensors headers), and the judgements every scenario makes on a result.
/// </summary>
internal static class ScenarioRelease
{
    /// <summary>The release date every scenario declares, so that no verdict depends on the day of the run.</summary>
    public const string Date = "2026-06-01";

    public const string Card = "---\nlicense: other\nlicense_name: mg-by-sa-2.0\nlicense_link: LICENSE\nlanguage:\n  - en\npipeline_tag: text-generation\n---\n\n# Acme Tiny Chat\n\nA small chat model for tests.\n";

    public const string Mit = "MIT License\n\nCopyright (c) 2026 Acme Research\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software and associated documentation files (the \"Software\"), to deal\nin the Software without restriction, including without limitation the rights\nto use, copy, modify, merge, publish, distribute, sublicense, and/or sell\ncopies of the Software, and to permit persons to whom the Software is\nfurnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\nIMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\nFITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.\n";

    private const int Hidden = 8;
    private const int Intermediate = 16;
    private const int Vocab = 256;
    private const int Layers = 2;

    private static readonly string[] Attention = ["q_proj", "k_proj", "v_proj", "o_proj"];

    private static readonly string[] Mlp = ["gate_proj", "up_proj", "down_proj"];

    /// <summary>The canonical MG-BY-SA-2.0 text (December 2025) as published, CRLF line ends.</summary>
    public static string Canonical => LicenseText.Text;

    /// <summary>
    /// The MG-BY-SA-2.0 text with share-alike narrowed: clause (vi) no longer covers Extracted Models. Section 6
    /// permits copying the License only "without modification".
    /// </summary>
    public static string Modified
    {
        get
        {
            const string original = "license Derivative Materials and Extracted Models under the terms and conditions";
            Assert.Contains(original, Canonical, StringComparison.Ordinal);
            return Canonical.Replace(original, "license Derivative Materials under the terms and conditions", StringComparison.Ordinal);
        }
    }

    /// <summary>The superseded May 2025 "Version 2.0" text, which has no Extracted Models clause.</summary>
    public static string Superseded => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "MG-BY-SA-2.0-May-2025.LICENSE"));

    /// <summary>
    /// An original chat model: every file its loader needs, weights in <paramref name="dtype"/>, copyright line,
    /// release date, and the model card naming MG-BY-SA-2.0.
    /// </summary>
    public static ModelProjectBuilder Chat(string dtype = "BF16", string name = "acme-tiny-chat")
    {
        var project = new ModelProjectBuilder(name);
        project.Config["copyright"] = new JsonArray("Copyright 2026 Acme Research");
        project.Config["releaseDate"] = Date;
        var torchDtype = dtype switch { "F16" => "float16", "F32" => "float32", _ => "bfloat16" };
        project.File("config.json", $$"""{"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": {{Hidden}}, "intermediate_size": {{Intermediate}}, "num_hidden_layers": {{Layers}}, "num_attention_heads": 2, "vocab_size": {{Vocab}}, "torch_dtype": "{{torchDtype}}"}""");
        project.File("generation_config.json", """{"bos_token_id": 1, "eos_token_id": 2, "temperature": 0.7}""");
        project.File("tokenizer_config.json", """{"tokenizer_class": "LlamaTokenizerFast", "tokenizer_file": "tokenizer.json", "bos_token": "<s>", "eos_token": "</s>", "chat_template": "{% for m in messages %}{{ m.content }}{% endfor %}"}""");
        project.File("tokenizer.json", """{"version": "1.0", "model": {"type": "BPE", "vocab": {"<s>": 1, "</s>": 2, "a": 3}, "merges": []}}""");
        project.File("special_tokens_map.json", """{"bos_token": "<s>", "eos_token": "</s>"}""");
        project.File("README.md", Card);
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), Llama(dtype, dtype));
        return project;
    }

    /// <summary>Llama tensors: embeddings, lm_head and norms in <paramref name="outer"/>, every linear in <paramref name="linear"/>.</summary>
    public static (string Name, string Dtype, int[] Shape)[] Llama(string outer, string linear) =>
        Tensors(outer, layer => Linears(layer).Select(l => ($"{l.Name}.weight", linear, l.Shape)));

    /// <summary>Full-precision embeddings, lm_head and norms; each linear as given by <paramref name="layer"/> (name, shape → tensors).</summary>
    public static (string Name, string Dtype, int[] Shape)[] Tensors(string outer, Func<int, IEnumerable<(string Name, string Dtype, int[] Shape)>> layer)
    {
        var tensors = new List<(string, string, int[])> { ("model.embed_tokens.weight", outer, [Vocab, Hidden]) };
        for (var i = 0; i < Layers; i++)
        {
            tensors.AddRange(layer(i));
            tensors.Add(($"model.layers.{i}.input_layernorm.weight", outer, [Hidden]));
            tensors.Add(($"model.layers.{i}.post_attention_layernorm.weight", outer, [Hidden]));
        }

        tensors.Add(("model.norm.weight", outer, [Hidden]));
        tensors.Add(("lm_head.weight", outer, [Vocab, Hidden]));
        return [.. tensors];
    }

    /// <summary>The linear layers of one decoder layer: name prefix (without ".weight") and [out, in] shape.</summary>
    public static IEnumerable<(string Name, int[] Shape)> Linears(int layer) =>
        Attention.Select(p => ($"model.layers.{layer}.self_attn.{p}", new[] { Hidden, Hidden }))
            .Concat(Mlp.Select(p => ($"model.layers.{layer}.mlp.{p}", p == "down_proj" ? new[] { Hidden, Intermediate } : new[] { Intermediate, Hidden })));

    /// <summary>A 4-bit GPTQ export of the linears (AutoGPTQ naming): qweight, qzeros, scales, g_idx; the rest F16.</summary>
    public static (string Name, string Dtype, int[] Shape)[] Gptq() =>
        Tensors("F16", layer => Linears(layer).SelectMany(l => new (string, string, int[])[]
        {
            ($"{l.Name}.qweight", "I32", [l.Shape[1] / 8, l.Shape[0]]),
            ($"{l.Name}.qzeros", "I32", [1, l.Shape[0] / 8]),
            ($"{l.Name}.scales", "F16", [1, l.Shape[0]]),
            ($"{l.Name}.g_idx", "I32", [l.Shape[1]]),
        }));

    /// <summary>Adds an MG-BY-SA-2.0 upstream with its NOTICE file, by its licensor; returns its entry for further keys.</summary>
    public static JsonObject Upstream(ModelProjectBuilder project, string name, string relation, string? method, string licensor)
    {
        project.Upstream(name, relation, method, $"{name}\nCopyright 2025 {licensor}\nAuthors: the {licensor} research team\n");
        var upstream = (JsonObject)project.Array("upstream")[^1]!;
        upstream["licensor"] = licensor;
        upstream["url"] = $"https://huggingface.co/{licensor.ToLowerInvariant().Replace(' ', '-')}/{name}";
        return upstream;
    }

    /// <summary>Writes modelgo.json and checks the project with the real engine.</summary>
    public static CheckResult Check(ModelProjectBuilder project, string? templates = null, IReadOnlyDictionary<string, string>? publicity = null)
    {
        project.Write();
        return ModelGoPackEngine.Check(new ProjectRequest
        {
            ProjectDirectory = project.Root,
            TemplatesDirectory = templates,
            PublicityTexts = publicity ?? new Dictionary<string, string>(),
        });
    }

    /// <summary>Writes modelgo.json and packs the project into a folder bundle; the result says whether it was written.</summary>
    public static PackResult Pack(ModelProjectBuilder project, string? templates = null)
    {
        project.Write();
        var output = Path.Combine(project.Scratch, $"bundle-{Guid.NewGuid():N}");
        return ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root, TemplatesDirectory = templates }, output, Emit.BundleFormat.Directory);
    }

    /// <summary>A folder of NOTICE.scriban beside the project, for a custom template.</summary>
    public static string NoticeTemplate(ModelProjectBuilder project, string content)
    {
        var folder = Path.Combine(project.Scratch, "templates");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "NOTICE.scriban"), content);
        return folder;
    }

    /// <summary>A compliant verdict: no error at all, whatever else is said.</summary>
    public static void Compliant(CheckResult result)
    {
        Assert.True(result.Diagnostics.All(d => d.Severity != Severity.Error), "a compliant release was refused:\n" + Describe(result));
        Assert.True(result.Compliant);
        Assert.Equal(ExitCodes.Success, result.ExitCode);
    }

    /// <summary>
    /// A breach: not compliant, and an error whose code is in the range of one of the clauses named
    /// (1: (i)/§6, 2: (ii), 3: (iii), 4: (iv), 5: (v), 6: (vi), 7: §2.3, 8: modelgo.json input, 9: received bundle).
    /// </summary>
    public static void Breach(CheckResult result, params int[] ranges)
    {
        Assert.False(result.Compliant, "a breach was called compliant:\n" + Describe(result));
        Assert.True(
            result.Diagnostics.Any(d => d.Severity == Severity.Error && ranges.Contains(Range(d.Code))),
            $"expected an error MGP{string.Join(" or MGP", ranges.Select(r => $"{r}xxx"))}, got:\n{Describe(result)}");
        Assert.NotEqual(ExitCodes.Success, result.ExitCode);
    }

    /// <summary>
    /// A release the license text does not settle: either verdict is accepted, but a refusal must come from the
    /// clauses named, not from a fault of the tool or of the test's project.
    /// </summary>
    public static void Either(CheckResult result, params int[] ranges)
    {
        var errors = result.Diagnostics.Where(d => d.Severity == Severity.Error).ToList();
        Assert.True(errors.All(d => ranges.Contains(Range(d.Code))), "refused for another reason:\n" + Describe(result));
    }

    public static int Range(string code) => code[3] - '0';

    public static string Describe(CheckResult result) =>
        result.Diagnostics.Count == 0 ? "(no diagnostics)" : string.Join("\n", result.Diagnostics.Select(d => $"{d.Severity} {d.Code} {d.Path}: {d.Message}"));

    /// <summary>The MGP codes of the error lines of a CLI run's text report.</summary>
    public static List<int> CliErrorRanges(string stdout) =>
        [.. System.Text.RegularExpressions.Regex.Matches(stdout, @"error MGP(\d)\d{3}").Select(m => m.Groups[1].Value[0] - '0')];
}

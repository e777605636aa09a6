using System.Text.Json.Nodes;
using ModelGoPack.Diagnostics;
using ModelGoPack.Emit;
using ModelGoPack.Licensing;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests.Scenarios;

/// <summary>
/// Realistic releases, each a small project built here, with a verdict worked out from the MG-BY-SA-2.0 text alone
/// (the definitions, clause 2.2(a)(i)-(vi), Sections 2.3 and 6), not from ModelGoPack's documentation. A breach must
/// be reported as an error under the clause's code range (or one of several, "MGP1|MGP6", when it breaches several) (MGP1xxx (i) and Section 6, 2xxx (ii), 3xxx (iii), 4xxx (iv),
/// 5xxx (v), 6xxx (vi), 7xxx Section 2.3, 8xxx/9xxx input that is refused); a compliant release must get no error.
/// Zero false "compliant" is the bar. Where the text does not settle a verdict, the scenario says so and accepts either.
/// </summary>
public sealed class ReleaseScenarioTests
{
    private const string Compliant = "compliant";
    private const string Either = "either";

    private const string Apache = "                                 Apache License\n                           Version 2.0, January 2004\n                        http://www.apache.org/licenses/\n";

    private const string Mit = "MIT License\n\nCopyright (c) 2026 Example\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n";

    // Id -> (how the release is made, the verdict: Compliant, Either, or the code range of the breached clause).
    private static readonly Dictionary<string, (Action<Release> Build, string Verdict)> Releases = new()
    {
        // --- Originals: no upstream, so (ii)-(iv) and (vi) have nothing to bind; (i) is met by the generated LICENSE.
        // (v): full-precision F32/BF16 weights with their architecture (config.json) are the preferred form.
        ["original, F32 and BF16 weights"] = (_ => { }, Compliant),

        // (v): F16 is a full-precision floating-point form in which a model is trained and adapted.
        ["original, F16 weights with int position ids and a bool mask"] = (r => r.Weights(("model.embed_tokens.weight", "F16", [64, 16]), ("model.layers.0.self_attn.q_proj.weight", "F16", [16, 16]), ("model.position_ids", "I64", [1, 64]), ("model.layers.0.attn.bias", "BOOL", [1, 1, 8, 8])), Compliant),

        // (v): a quantized GGUF export is an extra beside the full-precision weights it was made from.
        ["original, GGUF Q4_K export beside full-precision weights"] = (r => { r.Weights(("model.embed_tokens.weight", "BF16", [64, 16]), ("model.layers.0.self_attn.q_proj.weight", "BF16", [2, 256])); r.Gguf(("token_embd.weight", Gguf.F16, [16, 64]), ("blk.0.attn_q.weight", Gguf.Q4_K, [256, 2])); }, Compliant),

        // (v): a release of only a quantized export does not provide the form preferred for making modifications.
        ["original, only a GGUF Q4_K file"] = (r => { r.NoWeights(); r.Gguf(("token_embd.weight", Gguf.Q4_K, [256, 64]), ("blk.0.attn_q.weight", Gguf.Q4_K, [256, 2])); }, "MGP5"),

        // (v): GPTQ-packed layers only: quantized, not the preferred form.
        ["original, only GPTQ weights"] = (r => r.Weights(("model.layers.0.mlp.down_proj.qweight", "I32", [2, 16]), ("model.layers.0.mlp.down_proj.scales", "F16", [1, 16]), ("model.layers.0.mlp.down_proj.qzeros", "I32", [1, 2])), "MGP5"),

        // (v): full-precision embeddings hold most elements, but every linear layer is int8: the layers, which are what
        // one adapts, are not in the preferred form.
        ["original, mixed precision: F32 embeddings, int8 layers"] = (r => r.Weights(("model.embed_tokens.weight", "F32", [512, 64]), ("model.layers.0.mlp.down_proj.weight", "I8", [16, 16]), ("model.layers.0.mlp.down_proj.SCB", "F32", [16])), "MGP5"),

        // (v): the same with FP8 layers.
        ["original, mixed precision: F32 embeddings, FP8 layers"] = (r => r.Weights(("model.embed_tokens.weight", "F32", [512, 64]), ("model.layers.0.self_attn.o_proj.weight", "F8_E4M3", [16, 16]), ("model.layers.0.self_attn.o_proj.weight_scale", "F32", [1])), "MGP5"),

        // (v): bitsandbytes 4-bit layers beside a large BF16 embedding table.
        ["original, mixed precision: BF16 embeddings, bitsandbytes 4-bit layers"] = (r => r.Weights(("model.embed_tokens.weight", "BF16", [512, 64]), ("model.layers.0.mlp.up_proj.weight", "U8", [128, 1]), ("model.layers.0.mlp.up_proj.weight.absmax", "F32", [8])), "MGP5"),

        // (v): AWQ layers are fine when the full-precision copy of each is in the release.
        ["original, AWQ export beside its full-precision layers"] = (r => { r.Weights(("model.embed_tokens.weight", "BF16", [64, 16]), ("model.layers.0.self_attn.k_proj.weight", "BF16", [16, 16])); r.Weights("awq/model.safetensors", ("model.layers.0.self_attn.k_proj.qweight", "I32", [16, 2]), ("model.layers.0.self_attn.k_proj.scales", "F16", [1, 16])); }, Compliant),

        // (v): a full-precision copy of some other layer is not a copy of the quantized one.
        ["original, int8 layer whose only full-precision neighbour is another layer"] = (r => { r.Weights(("model.embed_tokens.weight", "F32", [512, 64]), ("model.layers.0.mlp.down_proj.weight", "I8", [16, 16])); r.Weights("full/model.safetensors", ("model.layers.0.mlp.gate_proj.weight", "BF16", [16, 16])); }, "MGP5"),

        // --- License text: (i) asks for "a copy of this License", Section 6 forbids distributing it modified.
        ["original, the canonical text as LICENSE"] = (r => r.File("LICENSE", LicenseText.Text), Compliant),
        ["original, LICENSE with one word changed"] = (r => r.File("LICENSE", Modified), "MGP1"),
        ["original, LICENSE is MIT"] = (r => r.File("LICENSE", Mit), "MGP1"),
        ["original, LICENSE is the superseded May 2025 text"] = (r => r.Project.Bytes("LICENSE", File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "MG-BY-SA-2.0-May-2025.LICENSE"))), "MGP1"),

        // Section 6: a modified copy of the license is barred wherever in the release it is.
        ["original, modified MG text in weights/LICENSE"] = (r => r.File("weights/LICENSE", Modified), "MGP1"),
        ["original, modified MG text as docs/COPYING.txt"] = (r => r.File("docs/COPYING.txt", Modified), "MGP1"),

        // An original may ship third-party code under its own license: (vi) binds derivatives and extracted models,
        // and that code is not Licensed Materials of this model.
        ["original, vendored Apache-2.0 tokenizer code in third_party/"] = (r => r.File("third_party/tok/LICENSE", Apache).File("third_party/tok/tok.py", "x = 1\n"), Compliant),

        // --- Derivatives, (ii): prominent notices that the Licensed Materials were modified, and the date.
        ["derivative, fine-tuned with a dated modification"] = (r => r.Derivative(), Compliant),
        ["derivative, no modification declared"] = (r => r.Project.Upstream("Base", "derivative", "fine-tuning"), "MGP2"),

        // (ii): a modification dated after the release is not "the relevant date of such modification".
        ["derivative, modification dated after releaseDate"] = (r => { r.Derivative("2026-07-01"); r.Project.Config["releaseDate"] = "2026-06-01"; }, "MGP2"),

        // (ii) asks for the relevant date; one before the upstream's own release is doubtful (a pre-release?), but the
        // text does not make it false. UNSETTLED: either verdict is accepted.
        ["derivative, modification dated before the upstream's release"] = (r => { r.Derivative("2026-03-01"); r.Upstream(0)["releaseDate"] = "2026-04-01"; }, Either),

        // Definitions (Dec 2025): a model made by "distillation methods or synthetic data generation" from Output is
        // not Derivative Materials; declared as one, its NOTICE states (ii), not the (iii) statement it owes.
        ["derivative declared with method distillation"] = (r => r.Derivative(method: "distillation"), "MGP3"),
        ["derivative declared with method synthetic-data"] = (r => r.Derivative(method: "synthetic-data"), "MGP3"),

        // (vi): Derivative Materials are licensed under MG-BY-SA-2.0, wherever the license is stated.
        ["derivative, licensed Apache-2.0 in modelgo.json"] = (r => { r.Derivative(); r.Project.Config["license"] = "Apache-2.0"; }, "MGP6"),
        ["derivative, model card says license: apache-2.0"] = (r => { r.Derivative(); r.Card("license: apache-2.0"); }, "MGP6"),
        ["derivative, card license_link to apache.org"] = (r => { r.Derivative(); r.Card("license: other\nlicense_name: mg-by-sa-2.0\nlicense_link: https://www.apache.org/licenses/LICENSE-2.0"); }, "MGP6"),
        ["derivative, card license_link to an MIT file of the repo"] = (r => { r.Derivative(); r.File("docs/LICENSE-MIT", Mit); r.Card("license: other\nlicense_name: mg-by-sa-2.0\nlicense_link: docs/LICENSE-MIT"); }, "MGP6"),
        ["derivative, card license_link to the LICENSE"] = (r => { r.Derivative(); r.Card("license: other\nlicense_name: mg-by-sa-2.0\nlicense_link: LICENSE"); }, Compliant),
        ["derivative, root LICENSE is Apache-2.0"] = (r => { r.Derivative(); r.File("LICENSE", Apache); }, "MGP6"),
        ["derivative, Apache-2.0 LICENSE beside its weights"] = (r => { r.Derivative(); r.Weights("adapter/adapter.safetensors", ("lora_A.weight", "F32", [4, 4])); r.File("adapter/LICENSE", Apache); }, "MGP6"),

        // (iv): keep every existing copyright and attribution notice: the upstream's NOTICE file is gone.
        ["derivative, upstream notice file missing"] = (r => { r.Derivative(); File.Delete(Path.Combine(r.Project.Root, "upstream", "Base", "NOTICE")); }, "MGP4"),

        // (ii): a custom NOTICE that uses the words but not the statement: "modified" appears, the dates do not.
        ["derivative, custom NOTICE template without the modification statement"] = (r => { r.Derivative(); r.Template("{{ project.name }}: modified and improved.\n{{ for n in notices }}{{ n.text }}{{ end }}"); }, "MGP2"),

        // --- Extracted Models, (iii): a notice that the model was created from Output of the named model.
        ["extracted, distilled from a teacher"] = (r => r.Extracted(), Compliant),

        // (iii) asks only that the model was created from Output: how is not required.
        ["extracted, no method declared"] = (r => r.Project.Upstream("Teacher", "extracted", null), Compliant),

        // (iii): "Output" appears in another sentence; the statement that this model was created from the teacher's
        // Output does not.
        ["extracted, custom NOTICE template says Output elsewhere"] = (r => { r.Extracted(); r.Template("{{ project.name }}. Output of this model may be inaccurate. Thanks to {{ for u in upstreams }}{{ u.name }}{{ end }}.\n{{ for n in notices }}{{ n.text }}{{ end }}"); }, "MGP3"),

        // (iii): the training set was generated by an MG-BY-SA-2.0 model (its stamp names it by Hub id), declared.
        ["extracted, dataset stamp names the teacher by Hub id"] = (r => { r.Extracted(); r.Stamp("org/teacher"); }, Compliant),

        // (iii): the same dataset, with no extracted upstream: an Extracted Model released without its notice.
        ["original, trained on a stamped dataset of an MG-BY-SA-2.0 model's Output"] = (r => r.Stamp("org/teacher"), "MGP3"),

        // (ii) and (iii) together, each statement made.
        ["derivative and extracted at once"] = (r => { r.Derivative(); r.Extracted(); }, Compliant),

        // (v) binds derivatives as well: a fine-tune released only as GGUF.
        ["derivative released only as GGUF Q4_K"] = (r => { r.Derivative(); r.NoWeights(); r.Gguf(("blk.0.attn_q.weight", Gguf.Q4_K, [256, 2])); }, "MGP5"),

        // --- Waivers: a reviewer's judgement settles what the tool guesses; it cannot release an obligation.
        // (v): the full-precision weights are published at a stated address; whether that "provides" them is a
        // judgement the license leaves to the publisher and reviewer. UNSETTLED by the text: either is accepted.
        ["original, only quantized, waived: full weights published elsewhere"] = (r => { r.NoWeights(); r.Gguf(("blk.0.attn_q.weight", Gguf.Q4_K, [256, 2])); r.Waive("MGP5002", null, "Full-precision weights are published at https://example.org/tiny-model-f16."); }, Either),

        // Section 6: no waiver makes a modified license text unmodified.
        ["original, modified LICENSE waived"] = (r => { r.File("LICENSE", Modified); r.Waive("MGP1001", "LICENSE", "We prefer our wording."); }, "MGP"),

        // (i): an MIT LICENSE in place of the license, waived: still not a copy of this License.
        ["derivative, LICENSE swapped for MIT and waived"] = (r => { r.Derivative(); r.File("LICENSE", Mit); r.Waive("MGP6004", "LICENSE", "Reviewed."); }, "MGP"),

        // --- Section 2.3: no reference to the licensor for publicity without its prior written consent.
        ["derivative, licensor's name in the card title"] = (r => { r.Derivative(); r.File("README.md", "# Base Labs Tiny Chat\n\nA fine-tune of Base.\n"); }, "MGP7"),
        ["derivative, licensor's name in the card title, with written consent"] = (r => { r.Derivative(); r.File("README.md", "# Base Labs Tiny Chat\n\nA fine-tune of Base.\n"); r.Waive("MGP7001", null, "Base Labs consented in writing on 2026-04-02 (ref. BL-77)."); }, Compliant),
        ["derivative, licensor's name in the package Title"] = (r => { r.Derivative(); r.Publicity["Title"] = "Base Labs Tiny Chat"; }, "MGP7"),

        // Attribution in the card's body is what (iv) requires, not publicity.
        ["derivative, licensor named in the card body's attribution"] = (r => { r.Derivative(); r.File("README.md", "# Tiny Chat\n\nA fine-tune of Base.\n\nBase is provided by Base Labs under MG-BY-SA-2.0; thanks to them.\n"); }, Compliant),
    };

    public static TheoryData<string> Ids => [.. Releases.Keys];

    [Theory]
    [MemberData(nameof(Ids))]
    public void Each_release_gets_the_verdict_of_the_license_text(string id)
    {
        using var project = new ModelProjectBuilder();
        var release = new Release(project);
        var (build, verdict) = Releases[id];
        build(release);
        project.Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root, TemplatesDirectory = release.Templates, PublicityTexts = release.Publicity });

        Judge(id, verdict, result);
    }

    [Fact]
    public void The_suite_holds_at_least_forty_releases_and_few_unsettled_ones()
    {
        Assert.True(Releases.Count + VerifyIds.Count >= 40, $"{Releases.Count + VerifyIds.Count} scenarios");
        Assert.InRange(Releases.Values.Count(r => r.Verdict == Either), 0, 3);
    }

    // --- Bundles altered after packing: verify trusts nothing the bundle says about itself.
    private static readonly List<string> VerifyIds =
    [
        "as packed",
        "weights swapped, manifest not re-hashed",
        "LICENSE swapped for MIT, manifest re-hashed, waivers written into it",
        "an extra weight file not in the manifest",
        "NOTICE statement reworded, manifest re-hashed",
        "weights swapped for an int8 copy, manifest re-hashed",
    ];

    public static TheoryData<string> VerifyCases => [.. VerifyIds];

    [Theory]
    [MemberData(nameof(VerifyCases))]
    public void Each_altered_bundle_gets_the_verdict_of_the_license_text(string id)
    {
        using var project = new ModelProjectBuilder();
        new Release(project).Derivative().Extracted();
        project.Write();
        var bundle = project.Pack(BundleFormat.Directory).OutputPath!;
        string verdict;
        switch (id)
        {
            case "as packed":
                // Made by a compliant project, unchanged.
                verdict = Compliant;
                break;
            case "weights swapped, manifest not re-hashed":
                // The files are not the ones the release declares: what was judged is not what was shipped.
                Safetensors.Write(Path.Combine(bundle, "model.safetensors"), ("embed.weight", "F32", [4, 2]), ("head.weight", "F32", [2, 4]));
                verdict = "MGP9";
                break;
            case "LICENSE swapped for MIT, manifest re-hashed, waivers written into it":
                // (i) and (vi): the bundle no longer carries this License, and licenses a derivative under another; a
                // publisher's waiver in the manifest cannot change that.
                BundleFolder.Replace(bundle, "LICENSE", Mit, rehash: true);
                BundleFolder.EditManifest(bundle, m => m["waivers"] = new JsonArray(new JsonObject { ["code"] = "MGP1003", ["path"] = "LICENSE", ["justification"] = "MIT is fine." }));
                verdict = "MGP1|MGP6";
                break;
            case "an extra weight file not in the manifest":
                // An unlisted file: the manifest's account of the release is incomplete.
                Safetensors.Write(Path.Combine(bundle, "extra.safetensors"), ("x.weight", "F32", [2, 2]));
                verdict = "MGP9";
                break;
            case "NOTICE statement reworded, manifest re-hashed":
                // (iii): "created from Output" became "inspired by"; the statement is gone though "Output" may remain.
                BundleFolder.Replace(bundle, "NOTICE", File.ReadAllText(Path.Combine(bundle, "NOTICE")).Replace("It was created from Output of the", "It was inspired by the Output of the", StringComparison.Ordinal), rehash: true);
                verdict = "MGP3";
                break;
            default:
                // (v): the full-precision layers replaced by int8 ones, the big embedding kept full precision.
                var weights = Path.Combine(bundle, "model.safetensors");
                Safetensors.Write(weights, ("embed.weight", "F32", [512, 64]), ("head.weight", "I8", [2, 4]));
                BundleFolder.Replace(bundle, "model.safetensors", File.ReadAllBytes(weights), rehash: true);
                verdict = "MGP5";
                break;
        }

        Judge(id, verdict, ModelGoPackEngine.Verify(bundle));
    }

    private static string Modified => LicenseText.Text.Replace("royalty-free", "royalty-bearing", StringComparison.Ordinal);

    private static void Judge(string id, string verdict, CheckResult result)
    {
        var errors = result.Diagnostics.Where(d => d.Severity == Severity.Error).ToList();
        var shown = $"{id}: {string.Join("\n", result.Diagnostics)}";
        switch (verdict)
        {
            case Compliant:
                Assert.True(result.Compliant, shown);
                Assert.Empty(errors);
                break;
            case Either:
                break;
            default:
                Assert.False(result.Compliant, "false compliant: " + shown);
                Assert.Contains(errors, d => verdict.Split('|').Any(range => d.Code.StartsWith(range, StringComparison.Ordinal)));
                break;
        }
    }


    /// <summary>A release being made: the project, its templates and its host's publicity texts.</summary>
    private sealed class Release(ModelProjectBuilder project)
    {
        public ModelProjectBuilder Project { get; } = project;

        public string? Templates { get; private set; }

        public Dictionary<string, string> Publicity { get; } = [];

        public Release Derivative(string date = "2026-05-01", string method = "fine-tuning")
        {
            this.Project.Upstream("Base", "derivative", method).Modification(date, "Fine-tuned on instruction data");
            return this;
        }

        public Release Extracted()
        {
            this.Project.Upstream("Teacher", "extracted", "distillation");
            return this;
        }

        public JsonObject Upstream(int index) => (JsonObject)this.Project.Array("upstream")[index]!;

        public Release File(string path, string text)
        {
            this.Project.File(path, text);
            return this;
        }

        public void Card(string frontMatter) => this.Project.File("README.md", $"---\n{frontMatter}\n---\n# tiny-model\n\nA tiny model.\n");

        public void Weights(params (string, string, int[])[] tensors) => this.Weights("model.safetensors", tensors);

        public void Weights(string path, params (string, string, int[])[] tensors) => Safetensors.Write(Path.Combine(this.Project.Root, path), tensors);

        public void NoWeights() => System.IO.File.Delete(Path.Combine(this.Project.Root, "model.safetensors"));

        public void Gguf(params (string, int, long[])[] tensors) =>
            Support.Gguf.Write(Path.Combine(this.Project.Root, "tiny-model.gguf"), [("general.architecture", "llama")], tensors);

        public void Stamp(string generator) => this.Project.File("data/synthetic/modelgo-dataset.json",
            new JsonObject { ["stampVersion"] = 1, ["generator"] = new JsonObject { ["name"] = generator, ["license"] = "MG-BY-SA-2.0" } }.ToJsonString());

        public void Waive(string code, string? path, string justification)
        {
            var waiver = new JsonObject { ["code"] = code, ["justification"] = justification };
            if (path is not null)
            {
                waiver["path"] = path;
            }

            this.Project.Array("waivers").Add(waiver);
        }

        public void Template(string notice)
        {
            this.Templates = Path.Combine(this.Project.Scratch, "templates");
            Directory.CreateDirectory(this.Templates);
            System.IO.File.WriteAllText(Path.Combine(this.Templates, "NOTICE.scriban"), notice);
        }
    }
}

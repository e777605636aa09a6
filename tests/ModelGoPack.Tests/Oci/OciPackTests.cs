using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ModelGoPack.Emit;
using ModelGoPack.Oci;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// <c>pack --format oci</c>: an OCI image layout holding a CNCF ModelPack artifact, read back by the OCI spec's rules,
/// the ModelPack config schema, and skopeo (an independent reader and copier).
/// </summary>
public sealed class OciPackTests
{
    private static string Example => Path.Combine(RepositoryRoot.Path, "tests", "examples", "tiny-llm-distilled");

    [Fact]
    public void The_layout_holds_every_bundle_file_as_a_raw_layer_named_by_its_sha256()
    {
        using var temp = new TempDirectory();
        var output = temp.Combine("model.oci");
        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = Example }, output, BundleFormat.Oci);
        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));

        Assert.Equal("""{"imageLayoutVersion":"1.0.0"}""", File.ReadAllText(Path.Combine(output, "oci-layout")));
        var layout = new OciLayoutFile(output);
        var index = layout.Index;
        Assert.Equal("application/vnd.oci.image.index.v1+json", index["mediaType"]!.GetValue<string>());
        var entry = Assert.Single(index["manifests"]!.AsArray())!;
        Assert.Equal("1.0.0", entry["annotations"]!["org.opencontainers.image.ref.name"]!.GetValue<string>());

        var manifest = layout.Manifest;
        Assert.Equal(2, manifest["schemaVersion"]!.GetValue<int>());
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", manifest["mediaType"]!.GetValue<string>());
        Assert.Equal("application/vnd.cncf.model.manifest.v1+json", manifest["artifactType"]!.GetValue<string>());
        Assert.Equal("application/vnd.cncf.model.config.v1+json", manifest["config"]!["mediaType"]!.GetValue<string>());

        // The layers are the bundle's files, the manifest included, each blob its own SHA-256 and size; in path order, the manifest last.
        var layers = layout.Layers;
        var files = result.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        Assert.Equal(files.Keys.Append("modelgo-manifest.json").Order(StringComparer.Ordinal), layers.Keys.Order(StringComparer.Ordinal));
        var paths = manifest["layers"]!.AsArray().Select(l => l!["annotations"]!["org.cncf.model.filepath"]!.GetValue<string>()).ToList();
        Assert.Equal([.. files.Keys.Order(StringComparer.Ordinal), "modelgo-manifest.json"], paths);
        foreach (var (path, layer) in layers)
        {
            var bytes = layout.Blob(layer["digest"]!.GetValue<string>());
            Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), layer["digest"]!.GetValue<string>());
            Assert.Equal(bytes.LongLength, layer["size"]!.GetValue<long>());
            Assert.EndsWith(".v1.raw", layer["mediaType"]!.GetValue<string>(), StringComparison.Ordinal);
            if (files.TryGetValue(path, out var file))
            {
                Assert.Equal(file.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            }

            var metadata = JsonNode.Parse(layer["annotations"]!["org.cncf.model.file.metadata+json"]!.GetValue<string>())!;
            Assert.Equal(Path.GetFileName(path), metadata["name"]!.GetValue<string>());
            Assert.Equal(bytes.LongLength, metadata["size"]!.GetValue<long>());
            Assert.Equal("2026-06-01T00:00:00Z", metadata["mtime"]!.GetValue<string>());
        }

        Assert.Equal(OciMediaTypes.WeightRaw, layers["model.safetensors"]["mediaType"]!.GetValue<string>());
        Assert.Equal(OciMediaTypes.WeightConfigRaw, layers["config.json"]["mediaType"]!.GetValue<string>());
        Assert.Equal(OciMediaTypes.WeightConfigRaw, layers["tokenizer.json"]["mediaType"]!.GetValue<string>());
        Assert.Equal(OciMediaTypes.CodeRaw, layers["generate.py"]["mediaType"]!.GetValue<string>());
        Assert.All(new[] { "LICENSE", "NOTICE", "README.md", "modelgo-manifest.json" }, p => Assert.Equal(OciMediaTypes.DocRaw, layers[p]["mediaType"]!.GetValue<string>()));

        // Nothing but the layout: no staging folder left, no blob the manifest does not name.
        var named = layers.Values.Select(l => l["digest"]!.GetValue<string>()[7..]).Append(layout.ManifestDigest[7..]).Append(manifest["config"]!["digest"]!.GetValue<string>()[7..]).ToHashSet();
        Assert.Equal(named.Order(StringComparer.Ordinal), Directory.GetFiles(Path.Combine(output, "blobs", "sha256")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["blobs", "index.json", "oci-layout"], Directory.GetFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_config_validates_against_the_ModelPack_schema_and_says_what_the_bundle_is()
    {
        using var temp = new TempDirectory();
        var output = temp.Combine("model.oci");
        Assert.True(ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = Example }, output, BundleFormat.Oci).Compliant);
        var layout = new OciLayoutFile(output);
        var config = layout.Config;

        Assert.Empty(SpecSchemas.Errors(SpecSchemas.ModelPackConfig, config.ToJsonString()));
        var descriptor = config["descriptor"]!;
        Assert.Equal("tiny-llm-distilled", descriptor["name"]!.GetValue<string>());
        Assert.Equal("1.0.0", descriptor["version"]!.GetValue<string>());
        Assert.Equal(["Example Lab"], descriptor["authors"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(["LicenseRef-MG-BY-SA-2.0"], descriptor["licenses"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("2026-06-01T00:00:00Z", descriptor["createdAt"]!.GetValue<string>());
        Assert.Equal("safetensors", config["config"]!["format"]!.GetValue<string>());
        Assert.Equal("float32", config["config"]!["precision"]!.GetValue<string>());
        Assert.Equal("LlamaForCausalLM", config["config"]!["architecture"]!.GetValue<string>());
        Assert.Equal("layers", config["modelfs"]!["type"]!.GetValue<string>());
        Assert.Equal(
            layout.Manifest["layers"]!.AsArray().Select(l => l!["digest"]!.GetValue<string>()),
            config["modelfs"]!["diffIds"]!.AsArray().Select(d => d!.GetValue<string>()));
    }

    [Fact]
    public void The_same_inputs_give_the_same_manifest_digest_and_the_same_bytes()
    {
        using var temp = new TempDirectory();
        var first = temp.Combine("a.oci");
        var second = temp.Combine("b.oci");
        Assert.True(ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = Example }, first, BundleFormat.Oci).Compliant);
        Assert.True(ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = Example }, second, BundleFormat.Oci).Compliant);

        Assert.Equal(File.ReadAllBytes(Path.Combine(first, "index.json")), File.ReadAllBytes(Path.Combine(second, "index.json")));
        var tree = (string root) => Directory.GetFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => (Path.GetRelativePath(root, f), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))), File.GetLastWriteTimeUtc(f))).ToList();
        Assert.Equal(tree(first), tree(second));
    }

    [Fact]
    public void Two_files_of_the_same_bytes_share_one_blob_and_keep_two_layers()
    {
        using var project = new ModelProjectBuilder();
        project.File("docs/a.md", "same").File("docs/b.md", "same").Write();
        var result = project.Pack(BundleFormat.Oci);
        var layout = new OciLayoutFile(result.OutputPath!);

        var layers = layout.Layers;
        Assert.Equal(layers["docs/a.md"]["digest"]!.GetValue<string>(), layers["docs/b.md"]["digest"]!.GetValue<string>());
        Assert.True(ModelGoPackEngine.Verify(result.OutputPath!).Compliant);
    }

    [Fact]
    public void Skopeo_reads_the_layout_and_copies_it_to_a_layout_verify_accepts()
    {
        using var temp = new TempDirectory();
        var output = temp.Combine("model.oci");
        Assert.True(ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = Example }, output, BundleFormat.Oci).Compliant);
        var layout = new OciLayoutFile(output);

        // skopeo 1.9 inspects an artifact with --raw only: without it, it refuses any config that is no image config.
        var (code, raw) = ProcessRunner.Run("skopeo", null, "inspect", "--raw", $"oci:{output}:1.0.0");
        Assert.True(code == 0, raw);
        Assert.Equal(layout.Blob(layout.ManifestDigest), System.Text.Encoding.UTF8.GetBytes(raw.TrimEnd('\n')));

        var back = temp.Combine("back");
        var (copied, log) = ProcessRunner.Run("skopeo", null, "copy", "-q", $"oci:{output}:1.0.0", $"oci:{back}:pulled");
        Assert.True(copied == 0, log);
        Assert.Equal(layout.ManifestDigest, new OciLayoutFile(back).ManifestDigest);
        var verified = ModelGoPackEngine.Verify(back);
        Assert.True(verified.Compliant, string.Join("\n", verified.Diagnostics));
        Assert.Equal(10, verified.Digests.Count);
    }

    [Fact]
    public void Verify_takes_LAYOUT_colon_REF_for_a_layout_of_several_models_and_asks_for_it_otherwise()
    {
        using var temp = new TempDirectory();
        var output = temp.Combine("model.oci");
        Assert.True(ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = Example }, output, BundleFormat.Oci).Compliant);
        var shared = temp.Combine("shared");
        foreach (var tag in new[] { "first", "second" })
        {
            var (code, log) = ProcessRunner.Run("skopeo", null, "copy", "-q", $"oci:{output}:1.0.0", $"oci:{shared}:{tag}");
            Assert.True(code == 0, log);
        }

        var ambiguous = Assert.Single(ModelGoPackEngine.Verify(shared).Diagnostics);
        Assert.Equal("MGP9007", ambiguous.Code);
        Assert.Contains("first, second", ambiguous.Message, StringComparison.Ordinal);
        Assert.True(ModelGoPackEngine.Verify(shared + ":second").Compliant);
        Assert.Equal("MGP9007", Assert.Single(ModelGoPackEngine.Verify(shared + ":third").Diagnostics).Code);
    }

    [Fact]
    public void ParamSize_counts_each_tensor_once_and_is_left_out_when_two_files_hold_one_model()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        Safetensors.Write(Path.Combine(project.Root, "extra.safetensors"), ("extra.weight", "F32", [50, 10]));
        var shards = Config(project.Pack(BundleFormat.Oci));
        Assert.Equal("0.5K", shards["config"]!["paramSize"]!.GetValue<string>());

        // The same tensors under another name (Mistral's consolidated.safetensors beside model.safetensors): no sum is true.
        File.Copy(Path.Combine(project.Root, "model.safetensors"), Path.Combine(project.Root, "consolidated.safetensors"));
        var copies = Config(project.Pack(BundleFormat.Oci));
        Assert.Null(copies["config"]!["paramSize"]);
        Assert.Empty(SpecSchemas.Errors(SpecSchemas.ModelPackConfig, copies.ToJsonString()));

        static JsonObject Config(PackResult result) => new OciLayoutFile(result.OutputPath!).Config;
    }

    [Fact]
    public void A_quantization_config_without_its_method_names_no_technique()
    {
        using var project = new ModelProjectBuilder();
        project.File("config.json", """{"architectures":["LlamaForCausalLM"],"quantization_config":{"load_in_4bit":true}}""").Write();
        var config = new OciLayoutFile(project.Pack(BundleFormat.Oci).OutputPath!).Config;
        Assert.Null(config["config"]!["quantization"]);
        Assert.Equal("LlamaForCausalLM", config["config"]!["architecture"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Copyright (c) 2025-2026 Big Lab, Inc. All rights reserved.", "Big Lab, Inc.")]
    [InlineData("Copyright 2026 Example Lab", "Example Lab")]
    [InlineData("\u00A9 2024 Acme", "Acme")]
    [InlineData("Copyright 2026", "")]
    [InlineData("Example Lab", "Example Lab")]
    public void The_authors_are_the_holders_of_the_copyright_lines(string line, string holder) =>
        Assert.Equal(holder, Licensing.LicenseIdentifier.CopyrightHolder(System.Text.RegularExpressions.Regex.Unescape(line)));

    [Theory]
    [InlineData(6_700_000_000L, "6.7B")]
    [InlineData(999_960L, "1M")]
    [InlineData(100_000_000L, "100M")]
    [InlineData(1_000_000_000_000L, "1T")]
    [InlineData(500L, "0.5K")]
    [InlineData(49L, null)]
    public void ParamSize_is_a_count_with_one_decimal_and_a_scale_prefix(long parameters, string? expected) =>
        Assert.Equal(expected, ModelPackConfig.ParamSize(parameters));

    [Fact]
    public void An_earlier_layout_inside_the_project_is_left_out_of_the_next_bundle()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var first = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, Path.Combine(project.Root, "v1.oci"), BundleFormat.Oci);
        Assert.True(first.Compliant, string.Join("\n", first.Diagnostics));

        var second = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, Path.Combine(project.Root, "v2.oci"), BundleFormat.Oci);
        Assert.True(second.Compliant, string.Join("\n", second.Diagnostics));
        Assert.Equal(first.Files.Select(f => f.Path).Order(StringComparer.Ordinal), second.Files.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Contains(second.Diagnostics, d => d.Code == "MGP8037" && d.Path == "v1.oci");
    }
}

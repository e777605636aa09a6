using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelGoPack.Emit;
using ModelGoPack.Licensing;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests.Reporting.CycloneDx;

/// <summary>
/// The CycloneDX 1.6 bill of materials (<c>bom</c>, <c>pack --bom</c>): every BOM is validated against the
/// specification's own schema (../shared/specs/cyclonedx, JsonSchema.Net), and its facts against the files and the
/// declaration they come from.
/// </summary>
public sealed class BomTests
{
    private const string BomName = "modelgo-bom.cdx.json";

    private static string Example => Path.Combine(RepositoryRoot.Path, "tests", "examples", "tiny-llm-distilled");

    [Fact]
    public void The_example_project_gets_a_schema_valid_BOM_of_the_model_its_license_upstreams_and_card()
    {
        var bom = ProjectBom(Example);

        Assert.Empty(SpecSchemas.Errors(SpecSchemas.CycloneDx16, Encoding.UTF8.GetString(bom)));
        var root = JsonNode.Parse(bom)!;
        Assert.Equal("CycloneDX", (string?)root["bomFormat"]);
        Assert.Equal("2026-06-01T00:00:00Z", (string?)root["metadata"]!["timestamp"]);
        var model = root["metadata"]!["component"]!;
        Assert.Equal("machine-learning-model", (string?)model["type"]);
        Assert.Equal("tiny-llm-distilled", (string?)model["name"]);
        Assert.Equal("1.0.0", (string?)model["version"]);
        Assert.Equal("Copyright 2026 Example Lab", (string?)model["copyright"]);

        // The license by its LicenseRef, with the text the tool embeds, unchanged.
        var license = model["licenses"]![0]!["license"]!;
        Assert.Equal("LicenseRef-MG-BY-SA-2.0", (string?)license["name"]);
        Assert.Equal(LicenseText.Text, (string?)license["text"]!["content"]);

        // The model card: config.json's architecture, the weights' format and precision.
        var card = model["modelCard"]!;
        Assert.Equal("LlamaForCausalLM", (string?)card["modelParameters"]!["modelArchitecture"]);
        Assert.Equal("llama", (string?)card["modelParameters"]!["architectureFamily"]);
        Assert.Equal(["safetensors"], Properties(card, "format"));
        Assert.Equal(["full"], Properties(card, "precision"));

        // The upstreams, in the config's order, each with its relation said plainly.
        var ancestors = model["pedigree"]!["ancestors"]!.AsArray();
        Assert.Equal(["Base-Tiny", "Teacher-7B"], ancestors.Select(a => (string?)a!["name"]));
        Assert.Equal(["derivative"], Properties(ancestors[0]!, "relation"));
        Assert.Equal(["extracted"], Properties(ancestors[1]!, "relation"));
        Assert.StartsWith("Derivative of Base-Tiny 1.0: this model is Base-Tiny 1.0 modified by fine-tuning", (string?)ancestors[0]!["description"], StringComparison.Ordinal);
        Assert.StartsWith("Created from Output of Teacher-7B 2.1:", (string?)ancestors[1]!["description"], StringComparison.Ordinal);
        Assert.Equal("Teacher Labs", (string?)ancestors[1]!["licenses"]![0]!["license"]!["licensing"]!["licensor"]!["organization"]!["name"]);
        Assert.Equal("https://example.org/teacher-7b", (string?)ancestors[1]!["externalReferences"]![0]!["url"]);
    }

    [Theory]
    [InlineData(BundleFormat.Directory)]
    [InlineData(BundleFormat.Zip)]
    [InlineData(BundleFormat.TarGz)]
    public void Pack_with_bom_puts_in_the_BOM_of_the_project_lists_it_in_the_manifest_and_verifies(BundleFormat format)
    {
        using var temp = new TempDirectory();
        var output = temp.Combine("bundle" + ModelGoPackEngine.Extension(format));
        var packed = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = Example, Bom = true }, output, format);
        Assert.True(packed.OutputPath is not null, string.Join("\n", packed.Diagnostics));

        var bundle = Bundle.Read(output);
        var embedded = bundle.Bytes(BomName);

        // The BOM in the bundle is byte for byte the BOM of the project, and the BOM of the bundle.
        Assert.Equal(Encoding.UTF8.GetString(ProjectBom(Example)), Encoding.UTF8.GetString(embedded));
        var ofBundle = ModelGoPackEngine.Bom(new ProjectRequest { ProjectDirectory = output }, null);
        Assert.True(ofBundle.Bom is not null, string.Join("\n", ofBundle.Diagnostics));
        Assert.True(ofBundle.FromBundle);
        Assert.Equal(Encoding.UTF8.GetString(embedded), Encoding.UTF8.GetString(ofBundle.Bom!.Value.Span));
        Assert.Empty(SpecSchemas.Errors(SpecSchemas.CycloneDx16, Encoding.UTF8.GetString(embedded)));

        // Listed in the manifest like LICENSE and NOTICE, with its digest; and verify accepts the bundle.
        using var manifest = bundle.Manifest();
        var listed = manifest.RootElement.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("path").GetString() == BomName);
        Assert.Equal(Bundle.Sha256(embedded), listed.GetProperty("sha256").GetString());
        var verified = ModelGoPackEngine.Verify(output);
        Assert.True(verified.ExitCode == 0, string.Join("\n", verified.Diagnostics));

        // Every other file of the bundle, and only those, with the SHA-256 of its bytes.
        var hashes = FileHashes(embedded);
        Assert.Equal(bundle.Paths.Where(p => p is not BomName and not "modelgo-manifest.json").Order(StringComparer.Ordinal), hashes.Keys);
        foreach (var (path, sha256) in hashes)
        {
            Assert.Equal(Bundle.Sha256(bundle.Bytes(path)), sha256);
        }
    }

    [Fact]
    public void Pack_with_bom_to_an_OCI_layout_makes_the_BOM_a_layer_and_the_layout_verifies()
    {
        using var temp = new TempDirectory();
        var layout = temp.Combine("model.oci");
        var packed = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = Example, Bom = true }, layout, BundleFormat.Oci);
        Assert.True(packed.OutputPath is not null, string.Join("\n", packed.Diagnostics));

        // The layer annotated with the BOM's path holds the project's BOM, byte for byte.
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layout, "index.json")));
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Blob(layout, index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!)));
        var layer = manifest.RootElement.GetProperty("layers").EnumerateArray()
            .Single(l => l.GetProperty("annotations").GetProperty("org.cncf.model.filepath").GetString() == BomName);
        var embedded = File.ReadAllBytes(Blob(layout, layer.GetProperty("digest").GetString()!));
        Assert.Equal(Encoding.UTF8.GetString(ProjectBom(Example)), Encoding.UTF8.GetString(embedded));

        var verified = ModelGoPackEngine.Verify(layout);
        Assert.True(verified.ExitCode == 0, string.Join("\n", verified.Diagnostics));
        var ofLayout = ModelGoPackEngine.Bom(new ProjectRequest { ProjectDirectory = layout }, null);
        Assert.True(ofLayout.Bom is not null, string.Join("\n", ofLayout.Diagnostics));
        Assert.Equal(Encoding.UTF8.GetString(embedded), Encoding.UTF8.GetString(ofLayout.Bom!.Value.Span));
    }

    [Fact]
    public void The_hashes_are_those_sha256sum_computes_of_the_bundled_files()
    {
        using var temp = new TempDirectory();
        var output = temp.Combine("bundle");
        Assert.Equal(0, CliRunner.Run("pack", Example, "--output", output, "--bom", "--no-cache", "--quiet").ExitCode);

        var hashes = FileHashes(File.ReadAllBytes(Path.Combine(output, BomName)));
        var (exit, sums) = ProcessRunner.Run("sha256sum", output, [.. hashes.Keys]);
        Assert.Equal(0, exit);
        var bySha256sum = sums.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split("  ", 2)).ToDictionary(p => p[1], p => p[0], StringComparer.Ordinal);
        Assert.Equal(bySha256sum.OrderBy(p => p.Key, StringComparer.Ordinal), hashes.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Datasets_a_dataset_stamp_and_both_relations_are_in_the_BOM()
    {
        using var project = new ModelProjectBuilder("student");
        project.Upstream("Base", "derivative", "fine-tuning").Upstream("Teacher", "extracted", "distillation").Modification("2026-03-01", "Fine-tuned", "model.safetensors");
        var teacher = (JsonObject)project.Array("upstream")[1]!;
        teacher["datasets"] = new JsonArray("data/synthetic/", "Teacher chats 2026");
        project.File("data/synthetic/train.jsonl", "{\"text\": \"hi\"}\n");
        Assert.Equal(0, CliRunner.Run("stamp-dataset", Path.Combine(project.Root, "data", "synthetic"), "--generator", "Teacher", "--generator-version", "2.1", "--generator-licensor", "Teacher Labs", "--created", "2026-02-01", "--description", "Dialogues the teacher wrote").ExitCode);
        project.Write();

        var bom = ProjectBom(project.Root);

        Assert.Empty(SpecSchemas.Errors(SpecSchemas.CycloneDx16, Encoding.UTF8.GetString(bom)));
        var root = JsonNode.Parse(bom)!;
        var model = root["metadata"]!["component"]!;
        Assert.Equal(["derivative", "extracted"], model["pedigree"]!["ancestors"]!.AsArray().SelectMany(a => Properties(a!, "relation")));
        Assert.Equal("TinyForCausalLM", (string?)model["modelCard"]!["modelParameters"]!["modelArchitecture"]);

        // One data component per dataset: the stamped folder (named by the upstream too, with a trailing slash) and the name alone.
        var data = root["components"]!.AsArray().Where(c => (string?)c!["type"] == "data").ToList();
        Assert.Equal(["Teacher chats 2026", "data/synthetic"], data.Select(d => (string?)d!["name"]));
        var stamped = data[1]!;
        Assert.Equal("Dialogues the teacher wrote", (string?)stamped["description"]);
        Assert.Equal(["data/synthetic/modelgo-dataset.json"], Properties(stamped, "stamp"));
        Assert.Equal(["2026-02-01"], Properties(stamped, "created"));
        Assert.Equal(["Teacher"], Properties(stamped, "generatedFrom"));
        Assert.Equal("Teacher", (string?)stamped["pedigree"]!["ancestors"]![0]!["name"]);
        Assert.Contains("Created from Output of Teacher, as its dataset stamp data/synthetic/modelgo-dataset.json records and the upstream Teacher declares it.", (string?)stamped["pedigree"]!["notes"], StringComparison.Ordinal);
        Assert.Equal("dataset", (string?)stamped["data"]![0]!["type"]);
        Assert.Equal(["Teacher"], Properties(data[0]!, "generatedFrom"));

        // The model card names both as its datasets, by reference.
        Assert.Equal(data.Select(d => (string?)d!["bom-ref"]), model["modelCard"]!["modelParameters"]!["datasets"]!.AsArray().Select(d => (string?)d!["ref"]));
    }

    [Fact]
    public void The_same_inputs_give_the_same_bytes_and_another_date_another_BOM()
    {
        var first = ProjectBom(Example);
        var second = ProjectBom(Example);
        Assert.Equal(first, second);

        // The time comes from SOURCE_DATE_EPOCH when it is set (as pack dates a bundle), and the serial number from the content.
        var dated = ProjectBom(Example, sourceDateEpoch: 1_780_000_000);
        var a = JsonNode.Parse(first)!;
        var b = JsonNode.Parse(dated)!;
        Assert.Equal("2026-05-28T20:26:40Z", (string?)b["metadata"]!["timestamp"]);
        Assert.NotEqual((string?)a["serialNumber"], (string?)b["serialNumber"]);
        Assert.Matches("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", (string?)a["serialNumber"]);
    }

    [Fact]
    public void The_schema_catches_a_broken_BOM()
    {
        var valid = Encoding.UTF8.GetString(ProjectBom(Example));
        Assert.Empty(SpecSchemas.Errors(SpecSchemas.CycloneDx16, valid));

        // The placements this writer chose, each made wrong: the schema refuses every one.
        string[] broken =
        [
            valid.Replace("\"name\": \"LicenseRef-MG-BY-SA-2.0\"", "\"id\": \"LicenseRef-MG-BY-SA-2.0\"", StringComparison.Ordinal),
            valid.Replace("\"alg\": \"SHA-256\"", "\"alg\": \"SHA256\"", StringComparison.Ordinal),
            valid.Replace("\"type\": \"machine-learning-model\"", "\"type\": \"model\"", StringComparison.Ordinal),
            valid.Replace("\"modelArchitecture\"", "\"architecture\"", StringComparison.Ordinal),
            valid.Replace("urn:uuid:", "uuid:", StringComparison.Ordinal),
            valid.Replace("2026-06-01T00:00:00Z", "2026-06-01", StringComparison.Ordinal),
        ];
        foreach (var text in broken)
        {
            Assert.NotEqual(valid, text);
            Assert.NotEmpty(SpecSchemas.Errors(SpecSchemas.CycloneDx16, text));
        }
    }

    [Fact]
    public void Bom_writes_to_standard_output_the_bytes_output_writes_to_a_file()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("out", "model.cdx.json");

        var (exit, stdout, _) = CliRunner.Run("bom", Example, "--no-cache", "--quiet");
        var (written, report, _) = CliRunner.Run("bom", Example, "--no-cache", "--quiet", "--output", file);

        Assert.Equal(0, exit);
        Assert.Equal(0, written);
        Assert.Equal(File.ReadAllText(file), stdout.ReplaceLineEndings("\n"));
        Assert.Contains($"Wrote {file} (CycloneDX 1.6,", report, StringComparison.Ordinal);
        Assert.Empty(SpecSchemas.Errors(SpecSchemas.CycloneDx16, stdout));

        // Written again over the earlier BOM, and nothing else left in the folder.
        Assert.Equal(0, CliRunner.Run("bom", Example, "--no-cache", "--quiet", "--output", file).ExitCode);
        Assert.Equal([file], Directory.GetFileSystemEntries(temp.Combine("out")));
    }

    [Fact]
    public void A_project_with_a_compliance_error_gets_no_BOM()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Base", "derivative", "fine-tuning").Write(); // no dated modification: MGP2001
        var output = Path.Combine(project.Scratch, "bom.json");

        var (exit, stdout, stderr) = CliRunner.Run("bom", project.Root, "--no-cache", "--quiet", "--output", output);

        Assert.Equal(1, exit);
        Assert.Contains("MGP2001", stdout, StringComparison.Ordinal);
        Assert.Contains("No BOM was written.", stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(project.Scratch));

        // To standard output: nothing there, the findings on standard error.
        var (toStdout, nothing, findings) = CliRunner.Run("bom", project.Root, "--no-cache", "--quiet");
        Assert.Equal(1, toStdout);
        Assert.Equal("", nothing);
        Assert.Contains("MGP2001", findings, StringComparison.Ordinal);
    }

    [Fact]
    public void The_output_replaces_only_a_BOM_and_is_never_inside_the_bundle()
    {
        using var temp = new TempDirectory();
        var mine = temp.Combine("notes.json");
        File.WriteAllText(mine, "{\"mine\": true}");

        var (exit, stdout, _) = CliRunner.Run("bom", Example, "--no-cache", "--quiet", "--output", mine);
        Assert.Equal(2, exit);
        Assert.Contains("MGP9071", stdout, StringComparison.Ordinal);
        Assert.Equal("{\"mine\": true}", File.ReadAllText(mine));

        var folder = temp.Combine("bundle");
        Assert.Equal(0, CliRunner.Run("pack", Example, "--output", folder, "--no-cache", "--quiet").ExitCode);
        var (inside, said, _) = CliRunner.Run("bom", folder, "--quiet", "--output", Path.Combine(folder, "bom.json"));
        Assert.Equal(2, inside);
        Assert.Contains("MGP9071", said, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "bom.json")));
        Assert.Equal(0, ModelGoPackEngine.Verify(folder).ExitCode);
    }

    [Fact]
    public void A_bundle_that_does_not_verify_or_declares_nothing_gets_no_BOM()
    {
        using var temp = new TempDirectory();
        var folder = temp.Combine("bundle");
        Assert.Equal(0, CliRunner.Run("pack", Example, "--output", folder, "--no-cache", "--quiet").ExitCode);
        File.AppendAllText(Path.Combine(folder, "generate.py"), "# changed\n");

        var altered = ModelGoPackEngine.Bom(new ProjectRequest { ProjectDirectory = folder }, null);
        Assert.Null(altered.Bom);
        Assert.Contains(altered.Diagnostics, d => d.Code == "MGP9003");

        // A release with neither a manifest nor a modelgo.json, as an archive: verify judges its files, and there is nothing to describe.
        var plain = temp.Combine("plain");
        Directory.CreateDirectory(plain);
        foreach (var name in new[] { "LICENSE", "model.safetensors", "config.json" })
        {
            File.Copy(Path.Combine(Example, name), Path.Combine(plain, name));
        }

        var zip = temp.Combine("plain.zip");
        System.IO.Compression.ZipFile.CreateFromDirectory(plain, zip);
        var (exit, stdout, stderr) = CliRunner.Run("bom", zip, "--quiet");
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains($"{zip}: error MGP9070", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_derivative_of_a_bundle_packed_with_bom_does_not_count_the_BOM_as_removed()
    {
        using var upstream = new ModelProjectBuilder("base-model");
        upstream.Write();
        var release = Path.Combine(upstream.Scratch, "base");
        var packed = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = upstream.Root, Bom = true }, release, BundleFormat.Directory);
        Assert.True(packed.Compliant, string.Join("\n", packed.Diagnostics));
        Assert.True(File.Exists(Path.Combine(release, BomName)));

        using var derivative = new ModelProjectBuilder("derived-model");
        Safetensors.Write(Path.Combine(derivative.Root, "model.safetensors"), ("embed.weight", "F32", [4, 2]), ("head.weight", "F32", [2, 4]));
        derivative.Upstream("Base", "derivative", "fine-tuning").Modification("2026-05-01", "Fine-tuned", "model.safetensors");
        ((JsonObject)derivative.Array("upstream")[0]!)["bundle"] = release;
        derivative.Write();
        var output = Path.Combine(derivative.Scratch, "out");

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = derivative.Root, Bom = true }, output, BundleFormat.Directory);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "modelgo-manifest.json")));
        var removed = manifest.RootElement.GetProperty("upstream")[0].TryGetProperty("removed", out var list) ? list.EnumerateArray().Select(e => e.GetString()).ToList() : [];
        Assert.DoesNotContain(BomName, removed);
    }

    [Fact]
    public void Pack_with_bom_replaces_an_earlier_BOM_in_the_project()
    {
        using var project = new ModelProjectBuilder();
        project.File(BomName, "{\"bomFormat\": \"CycloneDX\", \"stale\": true}").Write();
        var output = Path.Combine(project.Scratch, "out.zip");

        var (exit, stdout, _) = CliRunner.Run("pack", project.Root, "--bom", "--format", "zip", "--output", output, "--no-cache", "--quiet");

        Assert.True(exit == 0, stdout);
        var bundle = Bundle.Read(output);
        Assert.DoesNotContain("stale", bundle.Text(BomName), StringComparison.Ordinal);
        Assert.DoesNotContain(BomName, FileHashes(bundle.Bytes(BomName)).Keys);
        Assert.Equal(0, ModelGoPackEngine.Verify(output).ExitCode);
    }

    private static string Blob(string layout, string digest) => Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]);

    private static byte[] ProjectBom(string directory, long? sourceDateEpoch = null)
    {
        var result = ModelGoPackEngine.Bom(new ProjectRequest { ProjectDirectory = directory, SourceDateEpoch = sourceDateEpoch }, null);
        Assert.True(result.Bom is not null, string.Join("\n", result.Diagnostics));
        Assert.False(result.FromBundle);
        return result.Bom!.Value.ToArray();
    }

    /// <summary>The file components' SHA-256, by path, in the order the BOM lists them.</summary>
    private static SortedDictionary<string, string> FileHashes(byte[] bom)
    {
        var files = JsonNode.Parse(bom)!["components"]!.AsArray().Where(c => (string?)c!["type"] == "file").ToList();
        Assert.Equal(files.Select(f => (string?)f!["name"]).Order(StringComparer.Ordinal), files.Select(f => (string?)f!["name"]));
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var hash = file!["hashes"]!.AsArray().Single()!;
            Assert.Equal("SHA-256", (string?)hash["alg"]);
            hashes.Add((string)file["name"]!, (string)hash["content"]!);
        }

        return hashes;
    }

    internal static List<string?> Properties(JsonNode node, string name) =>
        node["properties"]?.AsArray().Where(p => (string?)p!["name"] == "modelgopack:" + name).Select(p => (string?)p!["value"]).ToList() ?? [];
}

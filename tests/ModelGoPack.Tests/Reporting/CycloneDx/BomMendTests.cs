using System.Text;
using System.Text.Json.Nodes;
using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests.Reporting.CycloneDx;

/// <summary>
/// The second review of the BOM (issue 17): a forged BOM shipped by pack, bidirectional controls, unchecked URLs, the date
/// of a bundle's BOM, the card's datasets, an output inside the project, ancestors named twice, dataset names spelled
/// otherwise, formats guessed from a name (standard output: <see cref="BomStdoutTests"/>). Each fails without its fix.
/// </summary>
public sealed class BomMendTests
{
    private const string BomName = "modelgo-bom.cdx.json";

    private static string Example => Path.Combine(RepositoryRoot.Path, "tests", "examples", "tiny-llm-distilled");

    [Fact]
    public void Pack_without_bom_never_ships_a_project_file_of_the_BOM_name_and_says_so()
    {
        using var project = new ModelProjectBuilder();
        project.File("Modelgo-BOM.cdx.json", "{\"bomFormat\": \"CycloneDX\", \"forged\": true}").Write();
        var output = Path.Combine(project.Scratch, "out.zip");

        var (exit, stdout, _) = CliRunner.Run("pack", project.Root, "--format", "zip", "--output", output, "--no-cache", "--quiet");

        Assert.True(exit == 0, stdout);
        Assert.Contains("warning MGP9072", stdout, StringComparison.Ordinal);
        var bundle = Bundle.Read(output);
        Assert.DoesNotContain(bundle.Paths, p => p.Equals(BomName, StringComparison.OrdinalIgnoreCase));
        using var manifest = bundle.Manifest();
        Assert.DoesNotContain(manifest.RootElement.GetProperty("files").EnumerateArray(), f => f.GetProperty("path").GetString()!.Equals(BomName, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(0, ModelGoPackEngine.Verify(output).ExitCode);

        // check says it before pack does.
        var (checkExit, checkOut, _) = CliRunner.Run("check", project.Root, "--no-cache", "--quiet");
        Assert.True(checkExit == 0, checkOut);
        Assert.Contains("MGP9072", checkOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Bom_of_a_bundle_lists_a_carried_BOM_that_is_not_its_own_and_warns()
    {
        using var temp = new TempDirectory();
        var folder = temp.Combine("bundle");
        Assert.Equal(0, CliRunner.Run("pack", Example, "--output", folder, "--bom", "--no-cache", "--quiet").ExitCode);

        // A bundle whose manifest lists another BOM under the name (as pack before this fix shipped a project's own).
        var forged = Encoding.UTF8.GetBytes("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"forged\": true}\n");
        File.WriteAllBytes(Path.Combine(folder, BomName), forged);
        var manifestPath = Path.Combine(folder, "modelgo-manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllBytes(manifestPath))!;
        var entry = manifest["files"]!.AsArray().Single(f => (string?)f!["path"] == BomName)!;
        entry["sha256"] = Bundle.Sha256(forged);
        entry["size"] = forged.Length;
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        Assert.Equal(0, ModelGoPackEngine.Verify(folder).ExitCode);

        var (exit, stdout, stderr) = CliRunner.Run("bom", folder, "--quiet");

        Assert.True(exit == 0, stderr);
        Assert.Contains("warning MGP9073", stderr, StringComparison.Ordinal);
        var bom = JsonNode.Parse(stdout)!;
        var listed = bom["components"]!.AsArray().Single(c => (string?)c!["name"] == BomName)!;
        Assert.Equal(Bundle.Sha256(forged), (string?)listed["hashes"]![0]!["content"]);
    }

    [Fact]
    public void Bom_of_a_bundle_packed_with_SOURCE_DATE_EPOCH_is_the_BOM_it_carries()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var output = Path.Combine(project.Scratch, "out.zip");
        var packed = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root, Bom = true, SourceDateEpoch = 1_780_000_000 }, output, BundleFormat.Zip);
        Assert.True(packed.OutputPath is not null, string.Join("\n", packed.Diagnostics));
        var carried = Bundle.Read(output).Bytes(BomName);
        Assert.Equal("2026-05-28T20:26:40Z", (string?)JsonNode.Parse(carried)!["metadata"]!["timestamp"]);

        foreach (var epoch in new long?[] { null, 1_800_000_000 })
        {
            var ofBundle = ModelGoPackEngine.Bom(new ProjectRequest { ProjectDirectory = output, SourceDateEpoch = epoch }, null);
            Assert.True(ofBundle.Bom is not null, string.Join("\n", ofBundle.Diagnostics));
            Assert.DoesNotContain(ofBundle.Diagnostics, d => d.Code == "MGP9073");
            Assert.Equal(Encoding.UTF8.GetString(carried), Encoding.UTF8.GetString(ofBundle.Bom!.Value.Span));
        }
    }

    [Fact]
    public void Bidirectional_controls_are_escaped_and_the_values_unchanged()
    {
        using var project = new ModelProjectBuilder();
        project.File("config.json", "{\"architectures\": [\"Tiny\u202EForCausalLM\"], \"model_type\": \"ti\u2067ny\u2069\"}");
        project.File("data/set/train.jsonl", "{\"text\": \"hi\"}\n");
        project.File("data/set/modelgo-dataset.json", "{\"stampVersion\": 1, \"generator\": {\"name\": \"Teacher\", \"license\": \"Apache-2.0\"}, \"description\": \"Chats \u202Ain \u2066order\"}");
        project.Write();

        var bom = Bom(project.Root);

        foreach (var control in new[] { "\u202A", "\u202E", "\u2066", "\u2067", "\u2069" })
        {
            Assert.DoesNotContain(control, Encoding.UTF8.GetString(bom), StringComparison.Ordinal);
        }

        Assert.Contains("Tiny\\u202EForCausalLM", Encoding.UTF8.GetString(bom), StringComparison.Ordinal);
        var root = JsonNode.Parse(bom)!;
        var parameters = root["metadata"]!["component"]!["modelCard"]!["modelParameters"]!;
        Assert.Equal("Tiny\u202EForCausalLM", (string?)parameters["modelArchitecture"]);
        Assert.Equal("ti\u2067ny\u2069", (string?)parameters["architectureFamily"]);
        Assert.Equal("Chats \u202Ain \u2066order", (string?)Data(root, "data/set")["description"]);
        Assert.Empty(SpecSchemas.Errors(SpecSchemas.CycloneDx16, Encoding.UTF8.GetString(bom)));
    }

    [Fact]
    public void Only_an_http_or_https_generator_url_is_an_external_reference()
    {
        using var project = new ModelProjectBuilder();
        foreach (var (folder, url) in new[] { ("data/a", "javascript:alert(1)"), ("data/b", "https://example.org/teacher"), ("data/c", "file:///etc/passwd") })
        {
            project.File($"{folder}/train.jsonl", "{\"text\": \"hi\"}\n");
            project.File($"{folder}/modelgo-dataset.json", $"{{\"stampVersion\": 1, \"generator\": {{\"name\": \"Teacher\", \"url\": \"{url}\", \"license\": \"Apache-2.0\"}}}}");
        }

        project.Write();

        var root = JsonNode.Parse(Bom(project.Root))!;

        var scripted = Data(root, "data/a")["pedigree"]!["ancestors"]![0]!;
        Assert.Null(scripted["externalReferences"]);
        Assert.Equal(["javascript:alert(1)"], Properties(scripted, "url"));
        var local = Data(root, "data/c")["pedigree"]!["ancestors"]![0]!;
        Assert.Null(local["externalReferences"]);
        Assert.Equal(["file:///etc/passwd"], Properties(local, "url"));
        var web = Data(root, "data/b")["pedigree"]!["ancestors"]![0]!;
        Assert.Equal("https://example.org/teacher", (string?)web["externalReferences"]![0]!["url"]);
        Assert.Empty(Properties(web, "url"));
    }

    [Fact]
    public void The_datasets_the_model_card_declares_are_data_components()
    {
        var root = JsonNode.Parse(Bom(Example))!;

        var dialogues = Data(root, "example/dialogues");
        Assert.Equal("dataset/example/dialogues", (string?)dialogues["bom-ref"]);
        Assert.Null(dialogues["pedigree"]);
        var refs = root["metadata"]!["component"]!["modelCard"]!["modelParameters"]!["datasets"]!.AsArray().Select(d => (string?)d!["ref"]);
        Assert.Contains("dataset/example/dialogues", refs);

        // The bundle's BOM (its card, as pack wrote it) says the same.
        using var temp = new TempDirectory();
        var output = temp.Combine("bundle.zip");
        var packed = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = Example, Bom = true }, output, BundleFormat.Zip);
        Assert.True(packed.OutputPath is not null, string.Join("\n", packed.Diagnostics));
        Assert.Equal(Encoding.UTF8.GetString(Bom(Example)), Encoding.UTF8.GetString(Bom(output)));
    }

    [Fact]
    public void The_output_is_never_inside_the_project_but_bin_and_obj()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var inside = Path.Combine(project.Root, "x.cdx.json");

        var (exit, stdout, _) = CliRunner.Run("bom", project.Root, "--no-cache", "--quiet", "--output", inside);

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9071", stdout, StringComparison.Ordinal);
        Assert.Contains("is inside the project", stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(inside));

        var inBin = Path.Combine(project.Root, "bin", "x.cdx.json");
        var (binExit, binOut, _) = CliRunner.Run("bom", project.Root, "--no-cache", "--quiet", "--output", inBin);
        Assert.True(binExit == 0, binOut);
        Assert.True(File.Exists(inBin));
    }

    [Fact]
    public void A_dataset_named_by_a_stamp_and_an_upstream_has_its_generator_once()
    {
        using var project = new ModelProjectBuilder("student");
        project.Upstream("Teacher", "extracted", "distillation");
        ((JsonObject)project.Array("upstream")[0]!)["datasets"] = new JsonArray("data/synthetic");
        project.File("data/synthetic/train.jsonl", "{\"text\": \"hi\"}\n");
        project.File("data/synthetic/modelgo-dataset.json", "{\"stampVersion\": 1, \"generator\": {\"name\": \"Teacher\", \"version\": \"2.1\", \"license\": \"MG-BY-SA-2.0\"}}");
        project.Write();

        var root = JsonNode.Parse(Bom(project.Root))!;

        var data = Data(root, "data/synthetic");
        var ancestors = data["pedigree"]!["ancestors"]!.AsArray();
        Assert.Equal(["Teacher"], ancestors.Select(a => (string?)a!["name"]));
        Assert.Equal(["Teacher"], Properties(data, "generatedFrom"));
        var notes = (string?)data["pedigree"]!["notes"];
        Assert.Contains("data/synthetic/modelgo-dataset.json", notes, StringComparison.Ordinal);
        Assert.Contains("upstream Teacher", notes, StringComparison.Ordinal);
    }

    [Fact]
    public void Dataset_names_are_normalized_as_paths()
    {
        using var project = new ModelProjectBuilder("student");
        project.Upstream("Teacher", "extracted", "distillation");
        ((JsonObject)project.Array("upstream")[0]!)["datasets"] = new JsonArray("data//d3", "./Data/./D4/", "data/d3/");
        project.File("data/d3/train.jsonl", "{\"text\": \"hi\"}\n");
        project.File("data/d3/modelgo-dataset.json", "{\"stampVersion\": 1, \"generator\": {\"name\": \"Teacher\", \"license\": \"MG-BY-SA-2.0\"}}");
        project.Write();

        var root = JsonNode.Parse(Bom(project.Root))!;

        var names = root["components"]!.AsArray().Where(c => (string?)c!["type"] == "data").Select(c => (string?)c!["name"]).ToList();
        Assert.Equal(["Data/D4", "data/d3"], names);
        Assert.Equal(["data/d3/modelgo-dataset.json"], Properties(Data(root, "data/d3"), "stamp"));
    }

    [Fact]
    public void A_format_says_whether_it_was_read_from_the_header_or_guessed_from_the_name()
    {
        using var project = new ModelProjectBuilder();
        project.Bytes("extra/optimizer.h5", [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]).Write();

        var root = JsonNode.Parse(Bom(project.Root))!;

        var files = root["components"]!.AsArray().Where(c => (string?)c!["type"] == "file").ToDictionary(c => (string)c!["name"]!, c => c!);
        Assert.Equal(["safetensors"], Properties(files["model.safetensors"], "format"));
        Assert.Equal(["header"], Properties(files["model.safetensors"], "formatFrom"));
        Assert.Equal(["h5"], Properties(files["extra/optimizer.h5"], "format"));
        Assert.Equal(["extension"], Properties(files["extra/optimizer.h5"], "formatFrom"));
        Assert.Empty(Properties(files["config.json"], "formatFrom"));
    }

    private static byte[] Bom(string path)
    {
        var result = ModelGoPackEngine.Bom(new ProjectRequest { ProjectDirectory = path }, null);
        Assert.True(result.Bom is not null, string.Join("\n", result.Diagnostics));
        return result.Bom!.Value.ToArray();
    }

    private static JsonNode Data(JsonNode root, string name) =>
        root["components"]!.AsArray().Single(c => (string?)c!["type"] == "data" && (string?)c["name"] == name)!;

    private static List<string?> Properties(JsonNode node, string name) => BomTests.Properties(node, name);
}

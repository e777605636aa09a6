using System.Text.Json.Nodes;
using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>verify on an OCI layout: the layout's own digests and modelgo-manifest.json both hold, or it says which does not.</summary>
public sealed class OciVerifyTests
{
    private static (ModelProjectBuilder Project, OciLayoutFile Layout) Packed()
    {
        var project = new ModelProjectBuilder();
        project.File("docs/a.md", "a").Write();
        return (project, new OciLayoutFile(project.Pack(BundleFormat.Oci).OutputPath!));
    }

    private static IReadOnlyList<(string Code, string? Path)> Findings(OciLayoutFile layout) =>
        [.. ModelGoPackEngine.Verify(layout.Root).Diagnostics.Where(d => d.Severity == Diagnostics.Severity.Error).Select(d => (d.Code, d.Path))];

    [Fact]
    public void A_packed_layout_verifies_with_every_file_hashed()
    {
        var (project, layout) = Packed();
        using (project)
        {
            var result = ModelGoPackEngine.Verify(layout.Root);
            Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
            Assert.Equal(layout.Layers.Keys.Where(k => k != "modelgo-manifest.json").Order(StringComparer.Ordinal), result.Digests.Keys.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void A_blob_changed_in_place_contradicts_the_manifest_once()
    {
        var (project, layout) = Packed();
        using (project)
        {
            var blob = layout.BlobPath(layout.Layers["docs/a.md"]["digest"]!.GetValue<string>());
            File.WriteAllText(blob, "b");

            // One finding, the manifest's (the layer's digest says the same and is not said twice).
            var diagnostic = Assert.Single(ModelGoPackEngine.Verify(layout.Root).Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
            Assert.Equal(("MGP9003", "docs/a.md"), (diagnostic.Code, diagnostic.Path));
            Assert.Contains("modelgo-manifest.json lists", diagnostic.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_file_swapped_and_rehashed_into_the_OCI_manifest_still_contradicts_modelgo_manifest()
    {
        var (project, layout) = Packed();
        using (project)
        {
            // The attacker's layout is self-consistent as OCI: a new blob, the layer and the index updated.
            layout.ReplaceFile("docs/a.md", "swapped"u8.ToArray());
            layout.EditManifest(m => m["layers"]!.AsArray().Single(l => l!["annotations"]!["org.cncf.model.filepath"]!.GetValue<string>() == "docs/a.md")!
                ["annotations"]!["org.cncf.model.file.metadata+json"] = """{"name":"a.md","mode":420,"uid":0,"gid":0,"size":7,"typeflag":48}""");

            var findings = Findings(layout);
            Assert.Equal([("MGP9003", "docs/a.md")], findings);
        }
    }

    [Fact]
    public void A_missing_blob_is_a_missing_file()
    {
        var (project, layout) = Packed();
        using (project)
        {
            File.Delete(layout.BlobPath(layout.Layers["docs/a.md"]["digest"]!.GetValue<string>()));
            Assert.Contains(("MGP9004", "docs/a.md"), Findings(layout));
        }
    }

    [Fact]
    public void An_archived_layer_is_refused_as_unreadable()
    {
        var (project, layout) = Packed();
        using (project)
        {
            layout.EditManifest(m => m["layers"]![0]!["mediaType"] = "application/vnd.cncf.model.doc.v1.tar");
            var diagnostic = Assert.Single(ModelGoPackEngine.Verify(layout.Root).Diagnostics);
            Assert.Equal("MGP9007", diagnostic.Code);
            Assert.Contains("application/vnd.cncf.model.doc.v1.tar", diagnostic.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("../escape.md", "MGP9010")]
    [InlineData("/etc/passwd", "MGP9010")]
    [InlineData("README.md", "MGP9010")]
    [InlineData("docs/a.md/", "MGP9010")]
    public void A_layer_path_that_escapes_or_repeats_is_refused(string path, string code)
    {
        var (project, layout) = Packed();
        using (project)
        {
            layout.EditManifest(m => m["layers"]!.AsArray().Single(l => l!["annotations"]!["org.cncf.model.filepath"]!.GetValue<string>() == "docs/a.md")!["annotations"]!["org.cncf.model.filepath"] = path);
            Assert.Contains(Findings(layout), f => f.Code == code);
        }
    }

    [Fact]
    public void The_manifest_layer_altered_is_caught_by_its_OCI_digest()
    {
        var (project, layout) = Packed();
        using (project)
        {
            // modelgo-manifest.json lists every file but itself: the layout's digest is what guards it.
            var blob = layout.BlobPath(layout.Layers["modelgo-manifest.json"]["digest"]!.GetValue<string>());
            File.WriteAllText(blob, File.ReadAllText(blob).Replace("\"tiny-model\"", "\"tiny-modem\"", StringComparison.Ordinal));
            var findings = ModelGoPackEngine.Verify(layout.Root).Diagnostics;
            Assert.Contains(findings, d => d.Code == "MGP9003" && d.Path == "modelgo-manifest.json" && d.Message.Contains("OCI layer", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("license", "The config's descriptor.licenses is 'MIT'")]
    [InlineData("annotation", "The manifest's org.opencontainers.image.licenses is 'MIT'")]
    [InlineData("name", "descriptor.name is 'other-model', but modelgo-manifest.json says 'tiny-model'")]
    [InlineData("version", "descriptor.version is '9.9.9', but modelgo-manifest.json says '1.0.0'")]
    [InlineData("diffIds", "modelfs.diffIds are not the digests")]
    public void A_config_or_annotation_that_describes_another_model_is_MGP9018(string field, string said)
    {
        var (project, layout) = Packed();
        using (project)
        {
            // What a registry shows is changed, the files and modelgo-manifest.json not: verify reads the description too.
            var config = layout.Config;
            switch (field)
            {
                case "license": config["descriptor"]!["licenses"] = new JsonArray("MIT"); break;
                case "name": config["descriptor"]!["name"] = "other-model"; break;
                case "version": config["descriptor"]!["version"] = "9.9.9"; break;
                case "diffIds": config["modelfs"]!["diffIds"]!.AsArray().RemoveAt(0); break;
            }

            var bytes = System.Text.Encoding.UTF8.GetBytes(config.ToJsonString());
            var digest = layout.WriteBlob(bytes);
            layout.EditManifest(m =>
            {
                m["config"]!["digest"] = digest;
                m["config"]!["size"] = bytes.Length;
                if (field == "annotation")
                {
                    m["annotations"]!["org.opencontainers.image.licenses"] = "MIT";
                }
            });

            var diagnostic = Assert.Single(ModelGoPackEngine.Verify(layout.Root).Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
            Assert.Equal("MGP9018", diagnostic.Code);
            Assert.Contains(said, diagnostic.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("mode", "04755", "mode as 04755, with bits outside 0777")]
    [InlineData("mode", "01777", "mode as 01777, with bits outside 0777")]
    [InlineData("name", "other.md", "names the file 'other.md', not 'a.md'")]
    [InlineData("size", "999", "size as 999, not the layer's 1")]
    [InlineData("typeflag", "50", "typeflag as 50, not 48")]
    [InlineData("json", "", "is not JSON")]
    public void A_layer_whose_file_metadata_describes_another_file_is_MGP9018(string field, string value, string said)
    {
        var (project, layout) = Packed();
        using (project)
        {
            // The signature and modelgo-manifest.json cover the file's bytes, not this annotation, which ModelPack tools
            // extract by: a mode of 04755 would write a setuid file.
            layout.EditManifest(m =>
            {
                var layer = m["layers"]!.AsArray().Single(l => l!["annotations"]!["org.cncf.model.filepath"]!.GetValue<string>() == "docs/a.md")!;
                var metadata = JsonNode.Parse(layer["annotations"]!["org.cncf.model.file.metadata+json"]!.GetValue<string>())!.AsObject();
                switch (field)
                {
                    case "mode": metadata["mode"] = Convert.ToInt32(value, 8); break;
                    case "name": metadata["name"] = value; break;
                    case "size": metadata["size"] = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                    case "typeflag": metadata["typeflag"] = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                }

                layer["annotations"]!["org.cncf.model.file.metadata+json"] = field == "json" ? "{mode: 2541" : metadata.ToJsonString();
            });

            var diagnostic = Assert.Single(ModelGoPackEngine.Verify(layout.Root).Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
            Assert.Equal("MGP9018", diagnostic.Code);
            Assert.Contains("('docs/a.md') has an org.cncf.model.file.metadata+json annotation that", diagnostic.Message, StringComparison.Ordinal);
            Assert.Contains(said, diagnostic.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("[]", "is not a JSON object")]
    [InlineData("{}", "has no name")]
    [InlineData("""{"name":"a.md"}""", "has no size")]
    [InlineData("""{"name":"a.md","size":"1"}""", "gives its size as \"1\"")]
    [InlineData("""{"name":"a.md","size":1}""", "has no typeflag")]
    [InlineData("""{"name":"a.md","size":1,"typeflag":"0"}""", "gives its typeflag as \"0\"")]
    [InlineData("""{"name":"a.md","size":1,"typeflag":48}""", "has no mode")]
    [InlineData("""{"name":"a.md","size":1,"typeflag":48,"mode":-1}""", "gives its mode as -1, not a permission within 0777")]
    [InlineData("""{"name":"a.md","size":1,"typeflag":48,"mode":"420"}""", "gives its mode as \"420\", not a permission")]
    [InlineData("""{"name":"a.md","size":1,"typeflag":48,"mode":512}""", "gives its mode as 01000, with bits outside 0777")]
    [InlineData("""{"name":"a.md","size":1,"typeflag":48,"mode":420,"x":[[[[[[[[[[]]]]]]]]]]}""", "is not JSON")]
    [InlineData("""{"name":"\ud800","size":1}""", "has a string that is not valid Unicode")]
    public void File_metadata_that_is_not_a_regular_0777_file_of_the_layer_says_what_is_wrong(string metadata, string said)
    {
        var (project, layout) = Packed();
        using (project)
        {
            layout.EditManifest(m => m["layers"]!.AsArray().Single(l => l!["annotations"]!["org.cncf.model.filepath"]!.GetValue<string>() == "docs/a.md")!["annotations"]!["org.cncf.model.file.metadata+json"] = metadata);
            var diagnostic = Assert.Single(ModelGoPackEngine.Verify(layout.Root).Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
            Assert.Equal("MGP9018", diagnostic.Code);
            Assert.Contains("annotation that " + said, diagnostic.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void File_metadata_of_mode_0777_and_of_the_layers_file_is_accepted()
    {
        var (project, layout) = Packed();
        using (project)
        {
            layout.EditManifest(m => m["layers"]!.AsArray().Single(l => l!["annotations"]!["org.cncf.model.filepath"]!.GetValue<string>() == "docs/a.md")!["annotations"]!["org.cncf.model.file.metadata+json"] = """{"name":"a.md","size":1,"typeflag":48,"mode":511}""");
            var result = ModelGoPackEngine.Verify(layout.Root);
            Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        }
    }

    private static void SetConfig(OciLayoutFile layout, string json)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(json);
        var digest = layout.WriteBlob(bytes);
        layout.EditManifest(m =>
        {
            m["config"]!["digest"] = digest;
            m["config"]!["size"] = bytes.Length;
        });
    }

    [Fact]
    public void A_config_that_says_nothing_of_license_name_or_version_is_not_judged_and_odd_types_never_crash()
    {
        var (project, layout) = Packed();
        using (project)
        {
            var diffIds = layout.Config["modelfs"]!["diffIds"]!.ToJsonString();
            SetConfig(layout, """{"descriptor":{"name":5,"version":["1.0.0"]},"config":{},"modelfs":{"type":"layers","diffIds":""" + diffIds + "}}");
            var result = ModelGoPackEngine.Verify(layout.Root);
            Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));

            SetConfig(layout, """{"descriptor":{"licenses":"MIT"},"config":{},"modelfs":{"type":"layers","diffIds":[1]}}""");
            var diagnostic = Assert.Single(ModelGoPackEngine.Verify(layout.Root).Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
            Assert.Equal("MGP9018", diagnostic.Code);
            Assert.Contains("modelfs.diffIds are not the digests", diagnostic.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("""{"descriptor":{},"config":{}}""", "no descriptor and modelfs objects")]
    [InlineData("""[]""", "no descriptor and modelfs objects")]
    [InlineData("""{"descriptor":{"name":"\ud800"},"config":{},"modelfs":{}}""", "not valid Unicode")]
    public void A_config_without_descriptor_or_modelfs_is_no_ModelPack_config(string json, string said)
    {
        var (project, layout) = Packed();
        using (project)
        {
            SetConfig(layout, json);
            var diagnostic = Assert.Single(ModelGoPackEngine.Verify(layout.Root).Diagnostics);
            Assert.Equal("MGP9007", diagnostic.Code);
            Assert.Contains(said, diagnostic.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_config_nested_past_16_levels_is_not_read()
    {
        var (project, layout) = Packed();
        using (project)
        {
            SetConfig(layout, "{\"descriptor\":{\"x\":" + new string('[', 20) + new string(']', 20) + "},\"config\":{},\"modelfs\":{\"type\":\"layers\",\"diffIds\":[]}}");
            Assert.Equal("MGP9007", Assert.Single(ModelGoPackEngine.Verify(layout.Root).Diagnostics).Code);
        }
    }

    [Fact]
    public void A_config_that_is_not_JSON_is_unreadable()
    {
        var (project, layout) = Packed();
        using (project)
        {
            var digest = layout.WriteBlob([0x00, 0xff, (byte)'x']);
            layout.EditManifest(m =>
            {
                m["config"]!["digest"] = digest;
                m["config"]!["size"] = 3;
            });

            var diagnostic = Assert.Single(ModelGoPackEngine.Verify(layout.Root).Diagnostics);
            Assert.Equal("MGP9007", diagnostic.Code);
            Assert.Contains("its config is not JSON", diagnostic.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("null")]
    public void An_index_that_is_no_object_is_unreadable_with_no_NET_text(string index)
    {
        var (project, layout) = Packed();
        using (project)
        {
            File.WriteAllText(Path.Combine(layout.Root, "index.json"), index);
            var diagnostic = Assert.Single(ModelGoPackEngine.Verify(layout.Root).Diagnostics);
            Assert.Equal("MGP9007", diagnostic.Code);
            Assert.Contains("index.json has no manifests array", diagnostic.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_layout_of_an_image_is_no_model()
    {
        var (project, layout) = Packed();
        using (project)
        {
            layout.EditManifest(m => m.Remove("artifactType"));
            var diagnostic = Assert.Single(ModelGoPackEngine.Verify(layout.Root).Diagnostics);
            Assert.Equal("MGP9007", diagnostic.Code);
            Assert.Contains("holds no model", diagnostic.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_layout_whose_manifest_blob_was_altered_is_unreadable()
    {
        var (project, layout) = Packed();
        using (project)
        {
            var manifest = layout.BlobPath(layout.ManifestDigest);
            File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("docs/a.md", "docs/z.md", StringComparison.Ordinal));
            var diagnostic = Assert.Single(ModelGoPackEngine.Verify(layout.Root).Diagnostics);
            Assert.Equal("MGP9007", diagnostic.Code);
            Assert.Contains("altered", diagnostic.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Pack_replaces_a_layout_it_wrote_but_not_one_with_a_file_of_the_user()
    {
        var (project, layout) = Packed();
        using (project)
        {
            var again = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, layout.Root, BundleFormat.Oci);
            Assert.True(again.Compliant, string.Join("\n", again.Diagnostics));

            File.WriteAllText(Path.Combine(layout.Root, "blobs", "sha256", "notes.txt"), "mine");
            var refused = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, layout.Root, BundleFormat.Oci);
            Assert.Equal("MGP8015", Assert.Single(refused.Diagnostics, d => d.Severity == Diagnostics.Severity.Error).Code);
            Assert.Equal("mine", File.ReadAllText(Path.Combine(layout.Root, "blobs", "sha256", "notes.txt")));
        }
    }

    [Fact]
    public void Pack_never_replaces_a_plain_folder_or_a_plain_bundle_with_a_layout()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var folder = project.Pack(BundleFormat.Directory).OutputPath!;
        var refused = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, folder, BundleFormat.Oci);
        var error = Assert.Single(refused.Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
        Assert.Contains("no OCI image layout", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "modelgo-manifest.json")));
    }

    [Theory]
    [InlineData("index")]
    [InlineData("config")]
    public async Task A_named_pipe_for_the_index_or_the_config_is_refused_without_blocking(string which)
    {
        var (project, layout) = Packed();
        using (project)
        {
            var path = which == "index" ? Path.Combine(layout.Root, "index.json") : layout.BlobPath(layout.Manifest["config"]!["digest"]!.GetValue<string>());
            File.Delete(path);
            Assert.Equal(0, ProcessRunner.Run("mkfifo", null, path).ExitCode);

            var result = await Task.Run(() => ModelGoPackEngine.Verify(layout.Root)).WaitAsync(TimeSpan.FromSeconds(60));
            var diagnostic = Assert.Single(result.Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
            Assert.Equal("MGP9007", diagnostic.Code);
            Assert.Contains("not a regular file", diagnostic.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("blobs")]
    [InlineData("blobs/sha256")]
    [InlineData("config")]
    public void A_blob_folder_or_blob_that_links_out_of_the_layout_is_refused_not_followed(string what)
    {
        var (project, layout) = Packed();
        using (project)
        {
            using var elsewhere = new TempDirectory();
            var linked = what == "config" ? layout.BlobPath(layout.Manifest["config"]!["digest"]!.GetValue<string>()) : Path.Combine(layout.Root, what);
            var moved = elsewhere.Combine("moved");
            if (what == "config")
            {
                File.Move(linked, moved);
                File.CreateSymbolicLink(linked, moved);
            }
            else
            {
                Directory.Move(linked, moved);
                Directory.CreateSymbolicLink(linked, moved);
            }

            var diagnostic = Assert.Single(ModelGoPackEngine.Verify(layout.Root).Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
            Assert.Equal("MGP9007", diagnostic.Code);
            Assert.Contains("link", diagnostic.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_folder_bundle_holding_a_file_named_oci_layout_is_verified_as_the_folder_it_is()
    {
        using var project = new ModelProjectBuilder();
        project.File("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}").Write();
        var folder = project.Pack(BundleFormat.Directory).OutputPath!;

        var result = ModelGoPackEngine.Verify(folder);
        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        Assert.Contains("oci-layout", result.Digests.Keys);
    }
}

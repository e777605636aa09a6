using System.Text.Json;
using ModelGoPack.Emit;
using ModelGoPack.Licensing;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

public sealed class PackTests
{
    [Fact]
    public void Original_project_gets_license_notice_manifest_and_its_files()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var output = Path.Combine(project.Scratch, "out");

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, BundleFormat.Directory);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        Assert.Equal(output, result.OutputPath);
        var bundle = Bundle.Read(output);
        Assert.Equal(
            ["LICENSE", "NOTICE", "README.md", "config.json", "model.safetensors", "modelgo-manifest.json", "modelgo.json"],
            bundle.Paths.Order(StringComparer.Ordinal));
        Assert.Equal(LicenseText.Bytes.ToArray(), bundle.Bytes("LICENSE"));
        var notice = bundle.Text("NOTICE");
        Assert.Contains("Copyright 2026 Example Lab", notice, StringComparison.Ordinal);
        Assert.DoesNotContain("NOTICE OF MODIFICATION", notice, StringComparison.Ordinal);
        Assert.DoesNotContain("EXTRACTED", notice, StringComparison.Ordinal);
    }

    [Fact]
    public void Manifest_lists_every_other_file_sorted_with_size_and_sha256()
    {
        using var project = new ModelProjectBuilder();
        project.File("b/z.txt", "z").File("B.txt", "upper").File("a.txt", "a").Write();
        var output = Path.Combine(project.Scratch, "out");

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, BundleFormat.Directory);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        var bundle = Bundle.Read(output);
        using var manifest = bundle.Manifest();
        var root = manifest.RootElement;
        Assert.Equal(1, root.GetProperty("manifestVersion").GetInt32());
        Assert.Equal("tiny-model", root.GetProperty("name").GetString());
        Assert.Equal("1.0.0", root.GetProperty("version").GetString());
        Assert.Equal("MG-BY-SA-2.0", root.GetProperty("license").GetString());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("upstream").ValueKind);
        var files = root.GetProperty("files").EnumerateArray().ToList();
        var paths = files.Select(f => f.GetProperty("path").GetString()!).ToList();
        Assert.Equal(paths.Order(StringComparer.Ordinal), paths);
        Assert.Equal(bundle.Paths.Where(p => p != "modelgo-manifest.json").Order(StringComparer.Ordinal), paths);
        foreach (var file in files)
        {
            var bytes = bundle.Bytes(file.GetProperty("path").GetString()!);
            Assert.Equal(bytes.Length, file.GetProperty("size").GetInt64());
            Assert.Equal(Bundle.Sha256(bytes), file.GetProperty("sha256").GetString());
        }
    }

    [Fact]
    public void Derivative_notice_states_the_modification_of_each_upstream_with_dates_in_order()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Base-1B", "derivative", "fine-tuning")
            .Modification("2026-05-20", "Pruned two attention heads", "model.safetensors")
            .Modification("2026-05-01", "Fine-tuned on X", "model.safetensors")
            .Write();

        var bundle = PackToZip(project, out var result);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        var notice = bundle.Text("NOTICE");
        Assert.Contains("NOTICE OF MODIFICATION", notice, StringComparison.Ordinal);
        Assert.Contains("Derivative Materials of \"Base-1B\" version 2.1 by Base-1B Labs", notice, StringComparison.Ordinal);
        Assert.Contains("have been modified by fine-tuning", notice, StringComparison.Ordinal);
        var first = notice.IndexOf("2026-05-01: Fine-tuned on X [model.safetensors]", StringComparison.Ordinal);
        var second = notice.IndexOf("2026-05-20: Pruned two attention heads", StringComparison.Ordinal);
        Assert.True(first > 0 && second > first, notice);
        Assert.DoesNotContain("Extracted Model", notice, StringComparison.Ordinal);
    }

    [Fact]
    public void Extracted_notice_says_it_was_created_from_output_of_the_upstream_and_how()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Teacher-7B", "extracted", "distillation").Write();

        var bundle = PackToZip(project, out var result);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        var notice = bundle.Text("NOTICE");
        Assert.Contains("NOTICE OF EXTRACTED MODEL", notice, StringComparison.Ordinal);
        Assert.Contains("is an Extracted Model. It was created from Output of the\nmodel \"Teacher-7B\" version 2.1", notice, StringComparison.Ordinal);
        Assert.Contains("provided under the ModelGo Attribution-ShareAlike License 2.0,\nby distillation.", notice, StringComparison.Ordinal);
        Assert.DoesNotContain("NOTICE OF MODIFICATION", notice, StringComparison.Ordinal);
        using var manifest = bundle.Manifest();
        var upstream = Assert.Single(manifest.RootElement.GetProperty("upstream").EnumerateArray());
        Assert.Equal("extracted", upstream.GetProperty("relation").GetString());
        Assert.Equal("distillation", upstream.GetProperty("method").GetString());
    }

    [Fact]
    public void Both_relations_give_notices_in_the_contract_order_with_upstream_notices_verbatim()
    {
        using var project = new ModelProjectBuilder();
        var teacherNotice = "Teacher-7B\r\nCopyright (c) 2025 Teacher Labs\r\n  Authors: A, B  \r\n";
        project.Upstream("Base-1B", "derivative", "merge", "Base-1B notice\nCopyright 2024 Base Labs")
            .Upstream("Teacher-7B", "extracted", "synthetic-data", teacherNotice)
            .Modification("2026-04-02", "Merged with Other-1B")
            .File("NOTICE", "Our own notice: thanks to everyone.\n")
            .Write();

        var bundle = PackToZip(project, out var result);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        var notice = bundle.Text("NOTICE");
        int At(string text) => notice.IndexOf(text, StringComparison.Ordinal);
        Assert.True(At("Copyright 2026 Example Lab") > 0);
        Assert.True(At("Copyright 2026 Example Lab") < At("NOTICE OF MODIFICATION"));
        Assert.True(At("NOTICE OF MODIFICATION") < At("NOTICE OF EXTRACTED MODEL"));
        Assert.True(At("NOTICE OF EXTRACTED MODEL") < At("RETAINED NOTICES"));
        Assert.True(At("Our own notice: thanks to everyone.") > At("RETAINED NOTICES"));
        Assert.True(At("Base-1B notice\nCopyright 2024 Base Labs\n") > At("Our own notice"));
        Assert.True(At("Teacher-7B\nCopyright (c) 2025 Teacher Labs\n  Authors: A, B  \n") > At("Base-1B notice"));
        Assert.Contains("by synthetic-data.", notice, StringComparison.Ordinal);

        // The project's own NOTICE is merged into the generated one, not shipped twice.
        Assert.Single(bundle.Paths, p => p.Equals("NOTICE", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Project_license_file_is_checked_and_replaced_by_the_canonical_text()
    {
        using var project = new ModelProjectBuilder();
        var rewrapped = LicenseText.Text.Replace("\r\n", "\n", StringComparison.Ordinal);
        project.File("LICENSE", rewrapped).Write();

        var bundle = PackToZip(project, out var result);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        Assert.Equal(LicenseText.Bytes.ToArray(), bundle.Bytes("LICENSE"));
    }

    [Fact]
    public void Modified_license_fails_quoting_the_changed_words_and_writes_nothing()
    {
        using var project = new ModelProjectBuilder();
        project.File("LICENSE", LicenseText.Text.Replace("non-exclusive, non-sublicensable", "exclusive, non-sublicensable", StringComparison.Ordinal)).Write();
        var output = Path.Combine(project.Scratch, "out.zip");

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, BundleFormat.Zip);

        var d = Assert.Single(result.Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
        Assert.Equal("MGP1001", d.Code);
        Assert.Equal("LICENSE", d.Path);
        Assert.Contains("non-exclusive", d.Message, StringComparison.Ordinal);
        Assert.Contains("the file reads \"grants to You a exclusive,\"", d.Message, StringComparison.Ordinal);
        Assert.Equal(1, result.ExitCode);
        Assert.Null(result.OutputPath);
        Assert.False(File.Exists(output));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(project.Scratch), p => p != project.Root);
    }

    [Fact]
    public void Superseded_May_2025_text_fails_by_name()
    {
        using var project = new ModelProjectBuilder();
        project.Bytes("LICENSE", File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "MG-BY-SA-2.0-May-2025.LICENSE"))).Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var d = Assert.Single(result.Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
        Assert.Equal("MGP1002", d.Code);
        Assert.Contains("May 2025", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_upstream_notice_file_is_MGP4002_at_its_config_line()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Teacher-7B", "extracted", "distillation").Write();
        File.Delete(Path.Combine(project.Root, "upstream", "Teacher-7B", "NOTICE"));

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var d = Assert.Single(result.Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
        Assert.Equal("MGP4002", d.Code);
        Assert.Equal("modelgo.json", d.Path);
        Assert.Contains("upstream/Teacher-7B/NOTICE", d.Message, StringComparison.Ordinal);
        var lines = File.ReadAllLines(Path.Combine(project.Root, "modelgo.json"));
        Assert.Contains("upstream/Teacher-7B/NOTICE", lines[d.Line - 1], StringComparison.Ordinal);
    }

    // (ii) needs a dated modification of a derivative; the license's definitions put a model made by distillation or
    // synthetic data outside Derivative Materials (MGP3002, issue 13 point 3).
    [Theory]
    [InlineData("derivative", null, "MGP2001")]
    [InlineData("derivative", "distillation", "MGP3002")]
    [InlineData("derivative", "Knowledge Distillation", "MGP3002")]
    [InlineData("derivative", "self-distilled", "MGP3002")]
    [InlineData("derivative", "synthetic-data", "MGP3002")]
    [InlineData("derivative", "Synthetic data generation", "MGP3002")]
    public void Incomplete_relations_are_compliance_errors(string relation, string? method, string code)
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Up", relation, method);
        if (method is not null)
        {
            project.Modification("2026-01-01", "Trained");
        }

        project.Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Equal(code, Assert.Single(result.Diagnostics, d => d.Severity == Diagnostics.Severity.Error).Code);
        Assert.Equal(1, result.ExitCode);
    }

    // Clause (iii) asks for a notice "that the Extracted Models are created from Output of the Licensed Materials": no
    // method. The NOTICE makes that statement without one; MGP3001 only says so (issue 13 point 3).
    [Fact]
    public void An_extracted_upstream_without_a_method_packs_with_the_statement_and_an_info()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Teacher", "extracted", null).Write();

        var result = project.Pack(BundleFormat.Directory);

        Assert.Equal("MGP3001", Assert.Single(result.Diagnostics).Code);
        Assert.Equal(Diagnostics.Severity.Info, result.Diagnostics[0].Severity);
        var notice = File.ReadAllText(Path.Combine(result.OutputPath!, "NOTICE"));
        Assert.Contains("tiny-model is an Extracted Model. It was created from Output of the\nmodel \"Teacher\" version 2.1 by Teacher Labs (https://example.org/teacher),\nprovided under the ModelGo Attribution-ShareAlike License 2.0.\n", notice, StringComparison.Ordinal);
        Assert.DoesNotContain(" by \n", notice, StringComparison.Ordinal);
        var card = File.ReadAllText(Path.Combine(result.OutputPath!, "README.md"));
        Assert.Contains("License 2.0.", card, StringComparison.Ordinal);
        Assert.DoesNotContain(", by .", card, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_warn_about_what_is_suspicious_but_not_wrong()
    {
        using var project = new ModelProjectBuilder();
        project.Config.Remove("copyright");
        project.Upstream("Base", "derivative", "merge")
            .Modification("2026-01-01", "Changed", "no-such-file.bin");
        ((System.Text.Json.Nodes.JsonObject)project.Array("upstream")[0]!).Remove("notices");
        project.Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.True(result.Compliant);
        Assert.Equal(["MGP2002", "MGP4001", "MGP4003"], result.Diagnostics.Select(d => d.Code).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Share_alike_requires_MG_BY_SA_for_derivatives()
    {
        using var project = new ModelProjectBuilder();
        project.Config["license"] = "Apache-2.0";
        project.Upstream("Teacher", "extracted", "distillation").Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Equal("MGP6001", Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Include_exclude_and_default_ignores_choose_the_files()
    {
        using var project = new ModelProjectBuilder();
        project.File("runs/log.txt", "x").File("bin/x.dll", "x").File("obj/y", "y").File(".git/HEAD", "ref").File("data/keep.txt", "k");
        project.Config["exclude"] = new System.Text.Json.Nodes.JsonArray("runs/**");
        project.Write();

        var bundle = PackToZip(project, out var result);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        Assert.Contains("data/keep.txt", bundle.Paths);
        Assert.DoesNotContain(bundle.Paths, p => p.StartsWith("runs/", StringComparison.Ordinal) || p.StartsWith("bin/", StringComparison.Ordinal) || p.StartsWith("obj/", StringComparison.Ordinal) || p.StartsWith(".git/", StringComparison.Ordinal));
    }

    [Fact]
    public void Same_inputs_give_byte_identical_bundles_and_the_project_is_untouched()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Teacher", "extracted", "distillation").Write();
        var first = Path.Combine(project.Scratch, "one.zip");
        var second = Path.Combine(project.Scratch, "two.zip");
        var before = project.Snapshot();

        ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, first, BundleFormat.Zip);
        Assert.Equal(before, project.Snapshot());
        foreach (var file in Directory.EnumerateFiles(project.Root, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, new DateTime(2031, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        }

        var touched = project.Snapshot();
        ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, second, BundleFormat.Zip);

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        Assert.Equal(touched, project.Snapshot());
    }

    [Fact]
    public void Entry_dates_come_from_SOURCE_DATE_EPOCH_then_the_config_never_the_clock()
    {
        using var project = new ModelProjectBuilder();
        project.Config["releaseDate"] = "2026-06-01";
        project.Write();
        var fromConfig = Path.Combine(project.Scratch, "config.zip");
        var fromEpoch = Path.Combine(project.Scratch, "epoch.zip");

        ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, fromConfig, BundleFormat.Zip);
        ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root, SourceDateEpoch = 1700000000 }, fromEpoch, BundleFormat.Zip);

        using (var zip = System.IO.Compression.ZipFile.OpenRead(fromConfig))
        {
            Assert.All(zip.Entries, e => Assert.Equal(new DateTime(2026, 6, 1), e.LastWriteTime.DateTime));
        }

        using (var zip = System.IO.Compression.ZipFile.OpenRead(fromEpoch))
        {
            // 1700000000 is 2023-11-14T22:13:20Z; zip times have 2-second resolution.
            Assert.All(zip.Entries, e => Assert.Equal(new DateTime(2023, 11, 14, 22, 13, 20), e.LastWriteTime.DateTime));
        }
    }

    [Fact]
    public void Existing_output_that_is_not_a_bundle_is_never_replaced()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var output = Path.Combine(project.Scratch, "precious.zip");
        File.WriteAllText(output, "not a bundle");

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, BundleFormat.Zip);

        Assert.Equal("MGP8015", Assert.Single(result.Diagnostics).Code);
        Assert.Equal("not a bundle", File.ReadAllText(output));
        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public void A_previous_bundle_is_replaced_whole()
    {
        using var project = new ModelProjectBuilder();
        project.File("old.txt", "old").Write();
        var output = Path.Combine(project.Scratch, "out");
        ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, BundleFormat.Directory);
        File.Delete(Path.Combine(project.Root, "old.txt"));

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, BundleFormat.Directory);

        Assert.True(result.Compliant);
        Assert.DoesNotContain("old.txt", Bundle.Read(output).Paths);
        Assert.Equal([output], Directory.EnumerateFileSystemEntries(project.Scratch).Where(p => p != project.Root));
    }

    [Fact]
    public void Default_output_is_under_bin_and_never_packed_into_the_next_bundle()
    {
        using var project = new ModelProjectBuilder();
        project.Write();

        var first = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, null, BundleFormat.Zip);
        var second = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, null, BundleFormat.Zip);

        Assert.Equal(Path.Combine(project.Root, "bin", "modelgo", "tiny-model.1.0.0.zip"), first.OutputPath);
        Assert.Equal(first.Files.Select(f => f.Path), second.Files.Select(f => f.Path));
    }

    [Fact]
    public void Symbolic_links_are_rejected_not_followed()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        File.CreateSymbolicLink(Path.Combine(project.Root, "passwd"), "/etc/passwd");

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("MGP8008", "passwd"), (d.Code, d.Path));
    }

    [Fact]
    public void Reserved_manifest_name_in_the_project_is_an_error()
    {
        using var project = new ModelProjectBuilder();
        project.File("modelgo-manifest.json", "{}").Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Equal("MGP8010", Assert.Single(result.Diagnostics).Code);
    }

    private static Bundle PackToZip(ModelProjectBuilder project, out PackResult result)
    {
        var output = Path.Combine(project.Scratch, "bundle.zip");
        result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, BundleFormat.Zip);
        return Bundle.Read(output);
    }
}

using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelGoPack.Diagnostics;
using ModelGoPack.Emit;
using ModelGoPack.Licensing;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// verify's second half: the license obligations judged on a received bundle's own files (LICENSE, NOTICE
/// statements per declared upstream, Preferred Adaptable Form), with or without a manifest, in every
/// container; --extract and its refusals; a .nupkg with its bundle; SARIF.
/// </summary>
public sealed class VerifyEvaluationTests
{
    [Theory]
    [InlineData(BundleFormat.Directory)]
    [InlineData(BundleFormat.Zip)]
    [InlineData(BundleFormat.TarGz)]
    [InlineData(BundleFormat.Oci)]
    public void A_NOTICE_without_the_extracted_model_statement_is_MGP3004_even_when_the_manifest_matches(BundleFormat format)
    {
        using var project = Lineage();
        var folder = Pack(project, BundleFormat.Directory);
        var notice = File.ReadAllText(Path.Combine(folder, "NOTICE"));
        var start = notice.IndexOf("==============================================================================\nNOTICE OF EXTRACTED MODEL", StringComparison.Ordinal);
        var end = notice.IndexOf("==============================================================================\nRETAINED", StringComparison.Ordinal);
        Rewrite(folder, "NOTICE", notice[..start] + notice[end..]);

        var result = ModelGoPackEngine.Verify(Container(folder, format, project.Scratch));

        Assert.Equal([("MGP3004", "NOTICE")], result.Diagnostics.Select(d => (d.Code, d.Path!)));
        Assert.Contains("\"Teacher-7B\"", result.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.ComplianceErrors, result.ExitCode);
    }

    [Fact]
    public void A_NOTICE_that_drops_a_modification_date_and_an_upstream_notice_is_MGP2009_and_MGP4004()
    {
        using var project = Lineage();
        var folder = Pack(project, BundleFormat.Directory);
        var notice = File.ReadAllText(Path.Combine(folder, "NOTICE"))
            .Replace("2026-05-01", "May 2026", StringComparison.Ordinal)
            .Replace("Copyright 2025 Base-Tiny Labs", "Copyright 2025", StringComparison.Ordinal);
        Rewrite(folder, "NOTICE", notice);

        var result = ModelGoPackEngine.Verify(folder);

        Assert.Equal([("MGP2009", "NOTICE"), ("MGP4004", "upstream/Base-Tiny/NOTICE")], result.Diagnostics.Select(d => (d.Code, d.Path!)).Order());
        Assert.Contains("as follows: - 2026-05-01: ", result.Diagnostics.Single(d => d.Code == "MGP2009").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_modified_LICENSE_and_a_missing_upstream_notice_are_found_in_a_zip()
    {
        using var project = Lineage();
        var folder = Pack(project, BundleFormat.Directory);
        Rewrite(folder, "LICENSE", Encoding.UTF8.GetString(LicenseText.Bytes.Span).Replace("worldwide", "revocable", StringComparison.Ordinal));
        File.Delete(Path.Combine(folder, "upstream", "Teacher-7B", "NOTICE"));
        Unlist(folder, "upstream/Teacher-7B/NOTICE");

        var result = ModelGoPackEngine.Verify(Container(folder, BundleFormat.Zip, project.Scratch));

        Assert.Equal(["MGP1001", "MGP4002"], result.Diagnostics.Select(d => d.Code).Order());
        Assert.Contains("revocable", result.Diagnostics.Single(d => d.Code == "MGP1001").Message, StringComparison.Ordinal);
        var missing = result.Diagnostics.Single(d => d.Code == "MGP4002");
        Assert.Equal("modelgo-manifest.json", missing.Path);
        Assert.True(missing.Line > 1, "the finding points at the manifest's line");
    }

    [Theory]
    [InlineData(BundleFormat.Directory)]
    [InlineData(BundleFormat.Zip)]
    public void A_finding_after_a_long_files_list_points_at_the_manifests_own_line(BundleFormat format)
    {
        // The files list first and spread over many lines (verify keeps one line break for all of them): what the
        // manifest declares after it is found at its own line, counted over the list's.
        using var project = Lineage();
        var folder = Pack(project, BundleFormat.Directory);
        File.Delete(Path.Combine(folder, "upstream", "Teacher-7B", "NOTICE"));
        Unlist(folder, "upstream/Teacher-7B/NOTICE");
        var manifestPath = Path.Combine(folder, "modelgo-manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        var files = manifest["files"]!.AsArray().Select(f => f!.ToJsonString()).ToList();
        manifest.Remove("files");
        var rest = manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        var text = "{\n  \"files\": [\n" + string.Join(",\n\n\n", files) + "\n\n  ],\n" + rest[2..];
        File.WriteAllText(manifestPath, text);
        var expectedLine = text[..text.IndexOf("\"upstream/Teacher-7B/NOTICE\"", StringComparison.Ordinal)].Count(c => c == '\n') + 1;

        var result = ModelGoPackEngine.Verify(Container(folder, format, project.Scratch));

        var missing = Assert.Single(result.Diagnostics, d => d.Code == "MGP4002");
        Assert.Equal("modelgo-manifest.json", missing.Path);
        Assert.True(expectedLine > 3 * files.Count, "the notice is named after the files list");
        Assert.Equal(expectedLine, missing.Line);
    }

    [Theory]
    [InlineData(BundleFormat.Directory)]
    [InlineData(BundleFormat.Zip)]
    [InlineData(BundleFormat.TarGz)]
    [InlineData(BundleFormat.Oci)]
    public void A_manifest_that_lists_its_files_out_of_order_still_finds_each_one(BundleFormat format)
    {
        // Files listed in reverse order (another tool's manifest): each is still compared with its own listing, so
        // every changed one is altered, an added one unlisted, and the others match.
        using var project = Lineage();
        var folder = Pack(project, BundleFormat.Directory);
        var data = Enumerable.Range(0, 24).Select(i => $"data/{i:D2}.txt").ToList();
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        Edit(folder, files =>
        {
            foreach (var path in data)
            {
                var bytes = Encoding.UTF8.GetBytes($"listed {path}");
                File.WriteAllBytes(Path.Combine(folder, path), bytes);
                files.Add(new JsonObject { ["path"] = path, ["size"] = bytes.Length, ["sha256"] = Bundle.Sha256(bytes) });
            }

            var reversed = files.OrderByDescending(f => (string)f!["path"]!, StringComparer.Ordinal).Select(f => f!.DeepClone()).ToList();
            files.Clear();
            reversed.ForEach(files.Add);
        });
        foreach (var path in data)
        {
            // Other bytes of the same size.
            File.WriteAllText(Path.Combine(folder, path), $"LISTED {path}");
        }

        File.WriteAllText(Path.Combine(folder, "added.txt"), "added");

        var result = ModelGoPackEngine.Verify(Container(folder, format, project.Scratch));

        var expected = data.Select(p => ("MGP9003", p)).Append(("MGP9005", "added.txt")).Order();
        Assert.Equal(expected, result.Diagnostics.Where(d => d.Code.StartsWith("MGP900", StringComparison.Ordinal)).Select(d => (d.Code, d.Path!)).Order());
    }

    [Fact]
    public void A_bundle_from_another_tool_without_a_manifest_is_said_so_and_judged_on_its_files()
    {
        using var temp = new TempDirectory();
        var folder = temp.Combine("other");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "LICENSE"), LicenseText.Bytes.ToArray());
        File.WriteAllBytes(Path.Combine(folder, "model-q4.gguf"), Gguf.Bytes([("general.architecture", "llama")], ("blk.0.ffn_up.weight", Gguf.Q4_K, [256, 4])));

        var zip = temp.Combine("other.zip");
        ZipFile.CreateFromDirectory(folder, zip);
        var tar = temp.Combine("other.tar.gz");
        Assert.Equal(0, ProcessRunner.Run("tar", null, "-czf", tar, "-C", folder, ".").ExitCode);

        foreach (var bundle in new[] { folder, zip, tar })
        {
            var result = ModelGoPackEngine.Verify(bundle);

            Assert.Equal(["MGP5002", "MGP9008"], result.Diagnostics.Select(d => d.Code).Order());
            Assert.Equal(Severity.Warning, result.Diagnostics.Single(d => d.Code == "MGP9008").Severity);
            Assert.Contains("Q4_K", result.Diagnostics.Single(d => d.Code == "MGP5002").Message, StringComparison.Ordinal);
            Assert.Equal(ExitCodes.ComplianceErrors, result.ExitCode);
            Assert.Equal(Bundle.Sha256(LicenseText.Bytes.ToArray()), result.Digests["LICENSE"]);
        }
    }

    [Fact]
    public void A_bundle_without_a_manifest_is_judged_by_the_modelgo_json_it_carries()
    {
        using var project = Lineage();
        var folder = Pack(project, BundleFormat.Directory);
        File.Delete(Path.Combine(folder, "modelgo-manifest.json"));
        File.Delete(Path.Combine(folder, "NOTICE"));
        File.Delete(Path.Combine(folder, "LICENSE"));

        var result = ModelGoPackEngine.Verify(folder);

        Assert.Equal(["MGP1006", "MGP4005", "MGP9008"], result.Diagnostics.Select(d => d.Code).Order());
        Assert.Contains("2 upstream", result.Diagnostics.Single(d => d.Code == "MGP4005").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_weight_header_past_what_verify_keeps_of_an_archive_entry_is_a_warning_not_a_verdict()
    {
        using var project = new ModelProjectBuilder();
        var header = "{\"__metadata__\":{\"note\":\"" + new string('x', 17 * 1024 * 1024) + "\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        Safetensors.WriteRaw(Path.Combine(project.Root, "big-header.safetensors"), (ulong)Encoding.UTF8.GetByteCount(header), header, 8);
        project.Write();
        var zip = Pack(project, BundleFormat.Zip);

        var inZip = ModelGoPackEngine.Verify(zip);
        var unpacked = ModelGoPackEngine.Verify(Pack(project, BundleFormat.Directory));

        Assert.Equal([("MGP9009", "big-header.safetensors")], inZip.Diagnostics.Select(d => (d.Code, d.Path!)));
        Assert.True(inZip.Compliant);
        Assert.Empty(unpacked.Diagnostics);
    }

    [Theory]
    [InlineData("safetensors")]
    [InlineData("onnx")]
    public void Weights_whose_header_verify_cannot_reach_in_an_archive_are_not_judged_either_way(string format)
    {
        using var project = new ModelProjectBuilder();
        File.Delete(Path.Combine(project.Root, "model.safetensors"));
        if (format == "safetensors")
        {
            var header = "{\"__metadata__\":{\"note\":\"" + new string('x', 17 * 1024 * 1024) + "\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
            Safetensors.WriteRaw(Path.Combine(project.Root, "model.safetensors"), (ulong)Encoding.UTF8.GetByteCount(header), header, 8);
        }
        else
        {
            // An ONNX model with 20 MiB of initializers, then a 2 MiB one: that one's facts lie between the kept start and end.
            Onnx.Write(Path.Combine(project.Root, "model.onnx"), ("big", 1, [5 * 1024 * 1024], false), ("mid", 1, [512 * 1024], false), ("w", 1, [4, 2], false));
        }

        project.Write();

        var inZip = ModelGoPackEngine.Verify(Pack(project, BundleFormat.Zip));
        var inTar = ModelGoPackEngine.Verify(Pack(project, BundleFormat.TarGz));

        Assert.Equal([("MGP9009", "model." + format)], inZip.Diagnostics.Select(d => (d.Code, d.Path!)));
        Assert.Equal([("MGP9009", "model." + format)], inTar.Diagnostics.Select(d => (d.Code, d.Path!)));
        Assert.True(inZip.Compliant && inTar.Compliant);
    }

    [Theory]
    [InlineData(BundleFormat.Zip)]
    [InlineData(BundleFormat.TarGz)]
    [InlineData(BundleFormat.Oci)]
    public void An_upstream_notice_of_2_MiB_is_kept_verbatim_and_found_in_an_archive(BundleFormat format)
    {
        using var project = new ModelProjectBuilder();
        var notice = string.Concat(Enumerable.Range(0, 40_000).Select(i => $"Copyright {2000 + (i % 26)} Contributor number {i} of the upstream\n"));
        Assert.True(notice.Length > 2 << 20);
        project.Upstream("Teacher", "extracted", "distillation", notice).Write();

        var result = ModelGoPackEngine.Verify(Pack(project, format));

        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Declared_notices_are_read_even_after_many_large_notice_like_files_in_a_tar_gz()
    {
        using var project = Lineage();
        for (var i = 0; i < 20; i++)
        {
            project.Bytes($"NOTICE-{i:D2}", new byte[4_000_000]);
        }

        project.Write();

        var result = ModelGoPackEngine.Verify(Pack(project, BundleFormat.TarGz));

        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void A_tar_gz_made_by_git_archive_with_its_global_header_is_read()
    {
        using var project = Lineage();
        var folder = Pack(project, BundleFormat.Directory);
        var archive = Path.Combine(project.Scratch, "git-archive.tar.gz");
        using (var file = File.Create(archive))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            writer.WriteEntry(new PaxGlobalExtendedAttributesTarEntry(new Dictionary<string, string> { ["comment"] = "0123456789abcdef0123456789abcdef01234567" }));
            foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                writer.WriteEntry(path, Path.GetRelativePath(folder, path).Replace('\\', '/'));
            }
        }

        var result = ModelGoPackEngine.Verify(archive);

        Assert.Empty(result.Diagnostics);
        Assert.Contains("model.safetensors", result.Digests.Keys);
    }

    [Fact]
    public void A_folder_bundle_file_no_system_can_take_everywhere_is_refused_and_a_manifest_listing_one_is_invalid()
    {
        using var project = Lineage();
        var folder = Pack(project, BundleFormat.Directory);
        File.WriteAllText(Path.Combine(folder, "aux.md"), "x\n");
        var target = Path.Combine(project.Scratch, "extracted");

        var refused = ModelGoPackEngine.Verify(new VerifyRequest { BundlePath = folder, ExtractTo = target });
        var bytes = File.ReadAllBytes(Path.Combine(folder, "aux.md"));
        Edit(folder, files => files.Add(new JsonObject { ["path"] = "aux.md", ["size"] = bytes.Length, ["sha256"] = Bundle.Sha256(bytes) }));
        var listed = ModelGoPackEngine.Verify(folder);

        Assert.Equal([("MGP9010", "aux.md")], refused.Diagnostics.Select(d => (d.Code, d.Path!)));
        Assert.False(Path.Exists(target));
        Assert.Contains(listed.Diagnostics, d => d.Code == "MGP9006" && d.Message.Contains("'aux.md'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_received_model_card_that_is_not_YAML_is_reported_and_the_intact_bundle_still_extracts()
    {
        using var project = Lineage();
        var folder = Pack(project, BundleFormat.Directory);
        Rewrite(folder, "README.md", "---\nbad: [unclosed\n---\n# tiny\n");
        var target = Path.Combine(project.Scratch, "extracted");

        var (exit, stdout, _) = CliRunner.Run("verify", folder, "--extract", target, "--quiet");

        Assert.Equal(2, exit);
        Assert.Contains("error MGP8024", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("MGP8099", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("does not match its manifest", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(target, "README.md")), stdout);
    }

    [Fact]
    public void A_damaged_LICENSE_entry_is_altered_and_not_also_missing()
    {
        using var project = Lineage();
        var zip = Pack(project, BundleFormat.Zip);
        ZipDamage.Corrupt(zip, "LICENSE", 10, 60);

        var result = ModelGoPackEngine.Verify(zip);

        Assert.Equal([("MGP9003", "LICENSE")], result.Diagnostics.Select(d => (d.Code, d.Path!)));
    }

    [Fact]
    public void Cli_findings_about_the_bundle_itself_or_the_target_name_them_once()
    {
        using var project = Lineage();
        var folder = Pack(project, BundleFormat.Directory);
        File.WriteAllText(Path.Combine(folder, "modelgo-manifest.json"), "{");
        var zip = Pack(project, BundleFormat.Zip);
        var target = Path.Combine(project.Scratch, "taken");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "mine.txt"), "mine");

        var (_, invalid, _) = CliRunner.Run("verify", folder, "--quiet");
        var (_, taken, _) = CliRunner.Run("verify", zip, "--extract", target, "--quiet");

        Assert.StartsWith($"{folder}: error MGP9006", invalid, StringComparison.Ordinal);
        Assert.StartsWith($"{target}: error MGP9011", taken, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BundleFormat.Directory)]
    [InlineData(BundleFormat.Zip)]
    [InlineData(BundleFormat.TarGz)]
    [InlineData(BundleFormat.Oci)]
    public void Extract_writes_exactly_the_verified_files_into_a_new_folder(BundleFormat format)
    {
        using var project = Lineage();
        var bundle = Pack(project, format);
        var target = Path.Combine(project.Scratch, "extracted");

        var result = ModelGoPackEngine.Verify(new VerifyRequest { BundlePath = bundle, ExtractTo = target });

        Assert.Empty(result.Diagnostics);
        Assert.Equal(Path.GetFullPath(target), result.ExtractedTo);
        var extracted = Bundle.Read(target);
        using var manifest = extracted.Manifest();
        var listed = manifest.RootElement.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!, f => f.GetProperty("sha256").GetString()!);
        Assert.Equal(listed.OrderBy(d => d.Key, StringComparer.Ordinal), result.Digests.OrderBy(d => d.Key, StringComparer.Ordinal));
        Assert.Equal(listed.Count + 1, extracted.Paths.Count);
        foreach (var (path, sha256) in listed)
        {
            Assert.Equal(sha256, Bundle.Sha256(extracted.Bytes(path)));
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(project.Scratch, ".modelgopack-tmp-*"));
        Assert.True(ModelGoPackEngine.Verify(target).Compliant);
    }

    [Fact]
    public void The_extractor_refuses_an_unsafe_name_itself_even_if_verification_let_it_through()
    {
        // Defence in depth: the read already refuses these names; the extractor checks again before the disk.
        using var temp = new TempDirectory();
        var zip = temp.Combine("evil.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            using var stream = archive.CreateEntry("../evil.txt").Open();
            stream.Write("evil\n"u8);
        }

        var content = new Verification.BundleContent { Source = zip, Format = BundleFormat.Zip };
        content.Files["../evil.txt"] = new Discovery.ProjectFile("../evil.txt", "../evil.txt", 5);
        content.Digests["../evil.txt"] = Hashing.Sha256Digest.From(System.Security.Cryptography.SHA256.HashData("evil\n"u8));
        var diagnostics = new DiagnosticBag();
        var target = temp.Combine("out", "extracted");

        var extracted = Verification.BundleExtractor.Extract(content, target, diagnostics, CancellationToken.None);

        Assert.False(extracted);
        Assert.Equal("MGP9010", Assert.Single(diagnostics.Items).Code);
        Assert.Contains("refused the entry name '../evil.txt'", diagnostics.Items[0].Message, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Combine("out", "evil.txt")));
        Assert.False(Path.Exists(temp.Combine("out")));
    }

    [Fact]
    public void Extract_writes_nothing_when_a_file_is_altered_and_never_into_a_folder_that_holds_something()
    {
        using var project = Lineage();
        var folder = Pack(project, BundleFormat.Directory);
        File.AppendAllText(Path.Combine(folder, "config.json"), " ");
        var target = Path.Combine(project.Scratch, "extracted");
        var existing = Path.Combine(project.Scratch, "existing");
        Directory.CreateDirectory(existing);
        File.WriteAllText(Path.Combine(existing, "mine.txt"), "mine");

        var altered = ModelGoPackEngine.Verify(new VerifyRequest { BundlePath = folder, ExtractTo = target });
        var occupied = ModelGoPackEngine.Verify(new VerifyRequest { BundlePath = Pack(project, BundleFormat.Zip), ExtractTo = existing });

        Assert.Contains(altered.Diagnostics, d => d.Code == "MGP9003");
        Assert.Null(altered.ExtractedTo);
        Assert.False(Path.Exists(target));
        Assert.Equal("MGP9011", Assert.Single(occupied.Diagnostics).Code);
        Assert.Equal([Path.Combine(existing, "mine.txt")], Directory.EnumerateFileSystemEntries(existing));
        Assert.Empty(Directory.EnumerateFileSystemEntries(project.Scratch, ".modelgopack-tmp-*"));
    }

    [Theory]
    [InlineData("../evil.txt", "MGP9010")]
    [InlineData("/tmp/evil.txt", "MGP9010")]
    [InlineData("docs\\..\\..\\evil.txt", "MGP9010")]
    [InlineData("NUL", "MGP9010")]
    [InlineData("docs/com1.txt", "MGP9010")]
    [InlineData("docs/aux", "MGP9010")]
    public void Extract_refuses_a_zip_with_an_unsafe_entry_name(string entry, string code)
    {
        using var project = Lineage();
        var zip = Pack(project, BundleFormat.Zip);
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Update))
        {
            using var stream = archive.CreateEntry(entry).Open();
            stream.Write("evil\n"u8);
        }

        var target = Path.Combine(project.Scratch, "x", "extracted");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var result = ModelGoPackEngine.Verify(new VerifyRequest { BundlePath = zip, ExtractTo = target });

        Assert.Equal(code, Assert.Single(result.Diagnostics).Code);
        Assert.Null(result.ExtractedTo);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(target)!));
        Assert.False(File.Exists(Path.Combine(project.Scratch, "evil.txt")));
        Assert.False(File.Exists("/tmp/evil.txt"));
    }

    [Theory]
    [InlineData(TarEntryType.SymbolicLink, "MGP9005")]
    [InlineData(TarEntryType.HardLink, "MGP9005")]
    [InlineData(TarEntryType.CharacterDevice, "MGP9005")]
    public void Extract_refuses_a_tar_gz_with_a_link_or_device(TarEntryType type, string code)
    {
        using var project = Lineage();
        var folder = Pack(project, BundleFormat.Directory);
        var archive = Path.Combine(project.Scratch, "linked.tar.gz");
        using (var file = File.Create(archive))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Gnu))
        {
            foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                writer.WriteEntry(path, Path.GetRelativePath(folder, path).Replace('\\', '/'));
            }

            writer.WriteEntry(type is TarEntryType.CharacterDevice
                ? new GnuTarEntry(type, "docs/tty") { DeviceMajor = 5, DeviceMinor = 0 }
                : new GnuTarEntry(type, "docs/passwd") { LinkName = "/etc/passwd" });
        }

        var target = Path.Combine(project.Scratch, "extracted");
        var result = ModelGoPackEngine.Verify(new VerifyRequest { BundlePath = archive, ExtractTo = target });

        Assert.Equal(code, Assert.Single(result.Diagnostics).Code);
        Assert.False(Path.Exists(target));
    }

    [Fact]
    public void Cli_verify_reports_sarif_with_the_archive_and_the_entry_inside_it()
    {
        using var project = Lineage();
        var zip = Pack(project, BundleFormat.Zip);
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Update))
        {
            archive.GetEntry("config.json")!.Delete();
        }

        var (exit, stdout, stderr) = CliRunner.Run("verify", zip, "--format", "sarif", "--quiet");

        Assert.Equal(2, exit);
        Assert.Equal("", stderr);
        using var sarif = JsonDocument.Parse(stdout);
        var results = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        var missing = results.Single(r => r.GetProperty("ruleId").GetString() == "MGP9004");
        var location = missing.GetProperty("locations")[0];
        Assert.EndsWith(Path.GetFileName(zip), location.GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString(), StringComparison.Ordinal);
        Assert.Equal("config.json", location.GetProperty("logicalLocations")[0].GetProperty("fullyQualifiedName").GetString());
        Assert.Contains(results, r => r.GetProperty("ruleId").GetString() == "MGP5003");
    }

    [Fact]
    public void Cli_verify_extract_says_where_it_wrote_and_exits_0()
    {
        using var project = Lineage();
        var tar = Pack(project, BundleFormat.TarGz);
        var target = Path.Combine(project.Scratch, "out");

        var (exit, stdout, _) = CliRunner.Run("verify", tar, "--extract", target, "--quiet");

        Assert.Equal(0, exit);
        Assert.Contains($"Extracted to {Path.GetFullPath(target)}.", stdout, StringComparison.Ordinal);
        Assert.Contains("compliant with MG-BY-SA-2.0", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(target, "model.safetensors")));
    }

    [Fact]
    public void A_nupkg_is_verified_with_the_bundle_beside_it_and_says_so_when_it_is_not_there()
    {
        using var project = Lineage();
        var folder = Pack(project, BundleFormat.Directory);
        var feed = Path.Combine(project.Scratch, "feed");
        Directory.CreateDirectory(feed);
        var nupkg = ModelPackage.Write(Path.Combine(feed, "tiny-model.1.0.0.nupkg"), folder);

        var alone = ModelGoPackEngine.Verify(nupkg);
        File.Copy(Pack(project, BundleFormat.Zip), Path.Combine(feed, "tiny-model.1.0.0.zip"));
        var beside = ModelGoPackEngine.Verify(nupkg);
        var other = ModelGoPackEngine.Verify(new VerifyRequest { BundlePath = nupkg, PackageBundlePath = Pack(Lineage(version: "2.0.0"), BundleFormat.Zip) });

        ZipDamage.Corrupt(Path.Combine(feed, "tiny-model.1.0.0.zip"), "LICENSE", 10, 60);
        var damaged = ModelGoPackEngine.Verify(nupkg);

        var missing = Assert.Single(alone.Diagnostics, d => d.Code == "MGP9004");
        Assert.Equal("model.safetensors", missing.Path);
        Assert.Contains("--bundle", missing.Message, StringComparison.Ordinal);
        Assert.Empty(beside.Diagnostics);
        Assert.Contains("model.safetensors", beside.Digests.Keys);
        Assert.Contains(other.Diagnostics, d => d.Code == "MGP9012");
        Assert.Equal([("MGP9003", Path.GetFullPath(Path.Combine(feed, "tiny-model.1.0.0.zip")) + "!LICENSE")], damaged.Diagnostics.Select(d => (d.Code, d.Path!)));
    }

    [Theory]
    [InlineData(BundleFormat.Zip, true)]
    [InlineData(BundleFormat.Zip, false)]
    [InlineData(BundleFormat.TarGz, true)]
    [InlineData(BundleFormat.TarGz, false)]
    public void An_archive_that_wraps_the_bundle_in_one_folder_is_read_from_that_folder(BundleFormat format, bool withManifest)
    {
        using var project = Lineage();
        var folder = Pack(project, BundleFormat.Directory);
        if (!withManifest)
        {
            File.Delete(Path.Combine(folder, "modelgo-manifest.json"));
        }

        var wrap = Path.Combine(project.Scratch, "wrap");
        Directory.CreateDirectory(wrap);
        Directory.Move(folder, Path.Combine(wrap, "tiny-model-1.0.0"));
        var archive = Container(wrap, format, project.Scratch);
        var target = Path.Combine(project.Scratch, "extracted");

        var result = ModelGoPackEngine.Verify(new VerifyRequest { BundlePath = archive, ExtractTo = target });

        Assert.Equal(withManifest ? [] : ["MGP9008"], result.Diagnostics.Select(d => d.Code));
        if (!withManifest)
        {
            Assert.Contains("'tiny-model-1.0.0/'", result.Diagnostics[0].Message, StringComparison.Ordinal);
        }

        Assert.Contains("LICENSE", result.Digests.Keys);
        Assert.Contains("upstream/Teacher-7B/NOTICE", result.Digests.Keys);
        Assert.Equal(LicenseText.Bytes.ToArray(), File.ReadAllBytes(Path.Combine(target, "LICENSE")));
        Assert.Equal(withManifest, File.Exists(Path.Combine(target, "modelgo-manifest.json")));
    }

    [Theory]
    [InlineData("a/b.txt", null)]
    [InlineData("model.Q4.gguf", null)]
    [InlineData("../x", "leaves")]
    [InlineData("a/../../x", "leaves")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("C:/Windows/x", "absolute")]
    [InlineData("a\\b", "backslash")]
    [InlineData("a//b", "empty")]
    [InlineData("./a", "empty or '.'")]
    [InlineData("CON", "device")]
    [InlineData("docs/lpt9.md", "device")]
    [InlineData("docs/conin$", "device")]
    [InlineData("x.", "dot or space")]
    [InlineData("a\u0001b", "control")]
    public void Unsafe_entry_names_are_named_with_their_reason(string name, string? reason)
    {
        var found = ProjectPath.UnsafeEntryName(name);

        if (reason is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(reason, found, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Pack_refuses_a_NOTICE_template_that_leaves_out_the_modification_notice()
    {
        using var project = Lineage();
        var templates = Path.Combine(project.Scratch, "templates");
        Directory.CreateDirectory(templates);
        File.WriteAllText(Path.Combine(templates, "NOTICE.scriban"), "{{ project.name }}\n{{ for n in notices }}{{ n.text }}{{ end }}\n");

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root, TemplatesDirectory = templates }, Path.Combine(project.Scratch, "b"), BundleFormat.Directory);

        Assert.Equal(["MGP2009", "MGP3004"], result.Diagnostics.Select(d => d.Code).Order());
        Assert.Null(result.OutputPath);
        Assert.Contains("NOTICE, rendered by", result.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    private static ModelProjectBuilder Lineage(string version = "1.0.0")
    {
        var project = new ModelProjectBuilder();
        project.Config["version"] = version;
        project.Upstream("Base-Tiny", "derivative", "fine-tuning")
            .Upstream("Teacher-7B", "extracted", "distillation")
            .Modification("2026-05-01", "Fine-tuned", "model.safetensors")
            .Write();
        return project;
    }

    private static string Pack(ModelProjectBuilder project, BundleFormat format) => project.Pack(format).OutputPath!;

    // Changes a file of a folder bundle and lists its new digest, as a publisher who edited it by hand would.
    private static void Rewrite(string folder, string path, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        File.WriteAllBytes(Path.Combine(folder, path), bytes);
        Edit(folder, files => files.OfType<JsonObject>().Where(f => (string?)f["path"] == path).ToList().ForEach(f =>
        {
            f["size"] = bytes.Length;
            f["sha256"] = Bundle.Sha256(bytes);
        }));
    }

    private static void Unlist(string folder, string path) =>
        Edit(folder, files => files.Remove(files.OfType<JsonObject>().Single(f => (string?)f["path"] == path)));

    private static void Edit(string folder, Action<JsonArray> edit)
    {
        var manifestPath = Path.Combine(folder, "modelgo-manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        edit(manifest["files"]!.AsArray());
        File.WriteAllText(manifestPath, manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    // The folder bundle in the container a publisher would send: itself, a zip, or a tar.gz made by tar.
    private static string Container(string folder, BundleFormat format, string scratch)
    {
        switch (format)
        {
            case BundleFormat.Zip:
                var zip = Path.Combine(scratch, $"sent-{Guid.NewGuid():N}.zip");
                ZipFile.CreateFromDirectory(folder, zip);
                return zip;
            case BundleFormat.TarGz:
                var tar = Path.Combine(scratch, $"sent-{Guid.NewGuid():N}.tar.gz");
                Assert.Equal(0, ProcessRunner.Run("tar", null, "-czf", tar, "-C", folder, ".").ExitCode);
                return tar;
            default:
                return folder;
        }
    }
}

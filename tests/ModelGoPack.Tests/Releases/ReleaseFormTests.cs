using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// A derivative compared with its upstream's release in each form a user has it: a plain folder outside the project, a
/// Hugging Face Hub cache (blobs named by digest, snapshot links, refs), a --local-dir download, a zip and a tar.gz
/// made by other tools, and a git clone whose weights are LFS pointers. The release holds model.safetensors (which the
/// derivative changed), config.json (kept), tokenizer.json (removed) and a NOTICE; the derivative adds extra.py.
/// </summary>
public sealed partial class ReleaseFormTests : IDisposable
{
    private const string Revision = "0123456789abcdef0123456789abcdef01234567";

    private readonly TempDirectory temp = new();
    private readonly ModelProjectBuilder derivative = new("derived-model");
    private readonly byte[] upstreamWeights;

    public ReleaseFormTests()
    {
        // The upstream's weights differ from the derivative's (it fine-tuned them); its config is kept as it is.
        var weights = Path.Combine(this.temp.Path, "upstream.safetensors");
        Safetensors.Write(weights, ("embed.weight", "F32", [4, 2]), ("head.weight", "F32", [2, 4]));
        this.upstreamWeights = File.ReadAllBytes(weights);
        this.derivative.File("extra.py", "print('sample')\n");
    }

    private static readonly string Config = """{"architectures": ["TinyForCausalLM"], "model_type": "tiny", "torch_dtype": "float32"}""";

    private (string Path, byte[] Bytes)[] ReleaseFiles() =>
    [
        ("model.safetensors", this.upstreamWeights),
        ("config.json", Encoding.UTF8.GetBytes(Config)),
        ("tokenizer.json", "{\"model\": {}}"u8.ToArray()),
        ("README.md", "# base-model\n"u8.ToArray()),
        ("NOTICE", "Base model\nCopyright 2025 Base Labs\n"u8.ToArray()),
    ];

    public void Dispose()
    {
        this.derivative.Dispose();
        this.temp.Dispose();
    }

    [Fact]
    public void A_plain_folder_outside_the_project_is_compared_file_by_file()
    {
        var folder = this.PlainFolder("base-download");
        var result = this.CheckAgainst(Path.GetRelativePath(this.derivative.Root, folder));

        AssertCompared(result);

        // Absolute too, and the release's NOTICE is kept under its own name (no path of this machine).
        var packed = this.PackAgainst(folder, out var output);
        Assert.True(packed.Compliant, string.Join("\n", packed.Diagnostics));
        var notice = File.ReadAllText(Path.Combine(output, "NOTICE"));
        Assert.Contains("----- NOTICE (from \"Base\") -----\nBase model\nCopyright 2025 Base Labs\n", notice, StringComparison.Ordinal);
        Assert.DoesNotContain(this.temp.Path, File.ReadAllText(Path.Combine(output, "modelgo-manifest.json")), StringComparison.Ordinal);
        Assert.DoesNotContain(this.temp.Path, notice, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_under_home_is_resolved_there()
    {
        var home = Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } set ? set : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.Combine(home, "models", "base"), Releases.ReleaseLocation.Resolve("/somewhere/project", "~/models/base"));
        Assert.Equal("/abs/base", Releases.ReleaseLocation.Resolve("/somewhere/project", "/abs/base"));
        Assert.Equal("/somewhere/base", Releases.ReleaseLocation.Resolve("/somewhere/project", "../base"));
        Assert.Equal("upstream/base", Releases.ReleaseLocation.InsideProject("/somewhere/project", "/somewhere/project/upstream/base"));
        Assert.Null(Releases.ReleaseLocation.InsideProject("/somewhere/project", "/somewhere/project-2/base"));
        Assert.Null(Releases.ReleaseLocation.InsideProject("/somewhere/project", "/somewhere/project"));
    }

    [Fact]
    public void A_hub_cache_snapshot_takes_each_LFS_files_digest_from_its_blob_name_unread()
    {
        var repository = this.HubCache(out var snapshot, lie: true);
        AssertCompared(this.CheckAgainst(snapshot));

        // The derivative keeps the upstream's weights. Their blob holds other bytes than its name says: trusted by
        // name, unread, the file is the upstream's (hashed, it would differ).
        this.derivative.Bytes("model.safetensors", this.upstreamWeights);
        var byName = this.CheckAgainst(snapshot);
        Assert.DoesNotContain(byName.Diagnostics, d => d.Path == "model.safetensors");
        Assert.Equal(2, byName.Diagnostics.Count(d => d.Code == "MGP2006"));

        // Named by the repository folder: refs/main says which snapshot.
        Assert.DoesNotContain(this.CheckAgainst(repository).Diagnostics, d => d.Path == "model.safetensors");

        // --verify-upstream hashes it, and refuses the blob that does not hold what its name says.
        var verified = this.CheckAgainst(snapshot, verifyUpstream: true);
        var mismatch = Assert.Single(verified.Diagnostics, d => d.Code == "MGP8039");
        Assert.Contains("blobs" + Path.DirectorySeparatorChar + Sha(this.upstreamWeights), mismatch.Message, StringComparison.Ordinal);
        Assert.Contains("upstream \"Base\"", mismatch.Message, StringComparison.Ordinal);
        Assert.Equal(Diagnostics.ExitCodes.InputErrors, Diagnostics.ExitCodes.For(verified.Diagnostics));
    }

    [Fact]
    public void The_bundle_records_the_snapshots_revision_and_hub_address()
    {
        var repository = this.HubCache(out _, lie: false);
        var packed = this.PackAgainst(repository, out var output);

        Assert.True(packed.Compliant, string.Join("\n", packed.Diagnostics));
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "modelgo-manifest.json")))!;
        var upstream = manifest["upstream"]![0]!;
        Assert.Equal(Revision, (string?)upstream["revision"]);
        Assert.Equal("https://huggingface.co/acme/base-model", (string?)upstream["url"]);
        Assert.Null(upstream["manifestSha256"]);
        Assert.Equal(["tokenizer.json"], upstream["removed"]!.AsArray().Select(n => (string)n!));
        var notice = File.ReadAllText(Path.Combine(output, "NOTICE"));
        Assert.Contains($"(https://huggingface.co/acme/base-model, revision {Revision})", notice, StringComparison.Ordinal);

        // verify agrees: the modification naming the removed tokenizer is no MGP2002 in the received bundle.
        var verified = ModelGoPackEngine.Verify(new VerifyRequest { BundlePath = output });
        Assert.True(verified.Compliant, string.Join("\n", verified.Diagnostics));
        Assert.DoesNotContain(verified.Diagnostics, d => d.Code == "MGP2002");
        Assert.Equal(packed.Diagnostics.Where(d => d.Code.StartsWith("MGP2", StringComparison.Ordinal)).Select(d => d.Code), verified.Diagnostics.Where(d => d.Code.StartsWith("MGP2", StringComparison.Ordinal)).Select(d => d.Code));
    }

    [Fact]
    public void An_interrupted_hub_download_is_MGP8038_naming_the_file()
    {
        this.HubCache(out var snapshot, lie: false);
        var blob = Path.Combine(snapshot, "..", "..", "blobs", Sha(this.upstreamWeights));
        File.Move(blob, blob + ".incomplete");

        var result = this.CheckAgainst(snapshot);

        var missing = Assert.Single(result.Diagnostics, d => d.Code == "MGP8038");
        Assert.Contains("model.safetensors", missing.Message, StringComparison.Ordinal);
        Assert.Contains("\"Base\"", missing.Message, StringComparison.Ordinal);
        Assert.Equal(Diagnostics.ExitCodes.InputErrors, Diagnostics.ExitCodes.For(result.Diagnostics));
    }

    [Fact]
    public void A_local_dir_download_takes_the_digests_its_metadata_records()
    {
        var folder = this.PlainFolder("local-dir");
        AssertCompared(this.CheckAgainst(folder));

        // As huggingface_hub records an LFS file: commit, SHA-256, the time it wrote the file (after its mtime).
        var metadata = Path.Combine(folder, ".cache", "huggingface", "download");
        Directory.CreateDirectory(metadata);
        var weights = Path.Combine(folder, "model.safetensors");
        var written = (File.GetLastWriteTimeUtc(weights) - DateTime.UnixEpoch).TotalSeconds + 0.5;
        File.WriteAllText(Path.Combine(metadata, "model.safetensors.metadata"), $"{Revision}\n{Sha(this.upstreamWeights)}\n{written.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n");

        // The derivative keeps the upstream's weights; the download's file holds other bytes now, no newer than the
        // record: the record is trusted, and the file is the upstream's.
        this.derivative.Bytes("model.safetensors", this.upstreamWeights);
        File.WriteAllBytes(weights, "not the weights"u8.ToArray());
        File.SetLastWriteTimeUtc(weights, DateTime.UnixEpoch.AddSeconds(written - 0.5));
        var trusted = this.CheckAgainst(folder);
        Assert.DoesNotContain(trusted.Diagnostics, d => d.Path == "model.safetensors");
        Assert.Equal(2, trusted.Diagnostics.Count(d => d.Code == "MGP2006"));
        Assert.Contains("MGP8039", this.CheckAgainst(folder, verifyUpstream: true).Diagnostics.Select(d => d.Code));

        // A file written after its record is hashed: its bytes are not the derivative's weights.
        File.SetLastWriteTimeUtc(weights, DateTime.UnixEpoch.AddSeconds(written + 10));
        Assert.Single(this.CheckAgainst(folder).Diagnostics, d => d.Code == "MGP2006" && d.Path == "model.safetensors");

        // The download's commit is the upstream's revision.
        File.WriteAllBytes(weights, this.upstreamWeights);
        File.SetLastWriteTimeUtc(weights, DateTime.UnixEpoch.AddSeconds(written - 0.5));
        var packed = this.PackAgainst(folder, out var output);
        Assert.True(packed.Compliant, string.Join("\n", packed.Diagnostics));
        Assert.Equal(Revision, (string?)JsonNode.Parse(File.ReadAllText(Path.Combine(output, "modelgo-manifest.json")))!["upstream"]![0]!["revision"]);
    }

    [Theory]
    [InlineData("zip")]
    [InlineData("tar.gz")]
    public void An_archive_not_made_by_ModelGoPack_with_one_top_folder_is_read(string format)
    {
        var archive = Path.Combine(this.temp.Path, "base-model-main." + format);
        using (var stream = File.Create(archive))
        {
            if (format == "zip")
            {
                using var zip = new ZipArchive(stream, ZipArchiveMode.Create);
                foreach (var (path, bytes) in this.ReleaseFiles())
                {
                    using var entry = zip.CreateEntry("base-model-main/" + path).Open();
                    entry.Write(bytes);
                }
            }
            else
            {
                using var gzip = new GZipStream(stream, CompressionLevel.Fastest);
                using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
                foreach (var (path, bytes) in this.ReleaseFiles())
                {
                    tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "base-model-main/" + path) { DataStream = new MemoryStream(bytes) });
                }
            }
        }

        AssertCompared(this.CheckAgainst(archive));
        var packed = this.PackAgainst(archive, out var output);
        Assert.True(packed.Compliant, string.Join("\n", packed.Diagnostics));
        Assert.Contains("----- NOTICE (from \"Base\") -----\nBase model\n", File.ReadAllText(Path.Combine(output, "NOTICE")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_no_archive_is_MGP8027_naming_the_upstream_and_the_file()
    {
        var fake = Path.Combine(this.temp.Path, "base.zip");
        File.WriteAllText(fake, "this is not a zip\n");

        var result = this.CheckAgainst(fake);

        var error = Assert.Single(result.Diagnostics, d => d.Code == "MGP8027");
        Assert.Contains("\"Base\"", error.Message, StringComparison.Ordinal);
        Assert.Contains(fake, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a folder, a modelgo-manifest.json, a zip or a tar.gz", error.Message, StringComparison.Ordinal);
        Assert.Equal(Diagnostics.ExitCodes.InputErrors, Diagnostics.ExitCodes.For(result.Diagnostics));
    }

    [Fact]
    public void A_missing_release_and_a_link_loop_are_MGP8027_and_nothing_is_written()
    {
        var missing = Path.Combine(this.temp.Path, "nowhere");
        var result = this.CheckAgainst(missing);
        var error = Assert.Single(result.Diagnostics, d => d.Code == "MGP8027");
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);

        var loop = Path.Combine(this.temp.Path, "loop");
        File.CreateSymbolicLink(loop, loop);
        var looped = this.PackAgainst(loop, out var output);
        Assert.Contains("symbolic link loop", Assert.Single(looped.Diagnostics, d => d.Code == "MGP8027").Message, StringComparison.Ordinal);
        Assert.False(Path.Exists(output));
        Assert.Equal(Diagnostics.ExitCodes.InputErrors, Diagnostics.ExitCodes.For(looped.Diagnostics));
    }

    [Fact]
    public void A_git_clone_whose_weights_are_LFS_pointers_is_compared_by_their_oids()
    {
        // The upstream's Hub repository cloned without `git lfs pull`: the weights are pointers, the rest plain blobs.
        var clone = this.Cloned();
        TestGit.Run(clone, "2026-01-01T00:00:00Z", "remote", "add", "origin", "https://huggingface.co/acme/base-model");

        // The derivative keeps the upstream's weights byte for byte: the SHA-256 is the pointer's oid, so unchanged.
        this.derivative.Bytes("model.safetensors", this.upstreamWeights);
        this.derivative.File(".gitattributes", "*.safetensors filter=lfs diff=lfs merge=lfs -text\n");
        var entry = this.Entry();
        entry["git"] = "main";
        entry["repository"] = clone;
        this.derivative.Modification("2026-05-01", "Dropped the tokenizer; added a sampling script", "tokenizer.json", "extra.py").Write();
        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = this.derivative.Root });

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        Assert.DoesNotContain(result.Diagnostics, d => d.Path == "model.safetensors" || d.Code == "MGP2007");

        var packed = this.PackAgainst(null, out var output);
        Assert.True(packed.Compliant, string.Join("\n", packed.Diagnostics));
        var upstream = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "modelgo-manifest.json")))!["upstream"]![0]!;
        Assert.Equal(40, ((string?)upstream["revision"])!.Length);
        Assert.Equal("https://huggingface.co/acme/base-model", (string?)upstream["url"]);
        Assert.Null(upstream["repository"]);
        Assert.Null(upstream["git"]);

        // Changed weights are found without reading any of the upstream's (there are none to read: only the pointer).
        this.derivative.Bytes("model.safetensors", [.. this.upstreamWeights, 0]);
        var changed = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = this.derivative.Root });
        Assert.Single(changed.Diagnostics, d => d.Code == "MGP2006" && d.Path == "model.safetensors");
    }

    [Fact]
    public void Earlier_bundles_inside_the_project_are_left_out_under_any_name()
    {
        this.derivative.Modification("2026-05-01", "Everything", "**/*").Write();
        foreach (var (format, name) in new[] { (BundleFormat.Zip, "release.zip"), (BundleFormat.TarGz, "dist/renamed.bin"), (BundleFormat.Directory, "out/folder") })
        {
            var target = Path.Combine(this.temp.Path, "earlier-" + Path.GetFileName(name));
            Assert.True(ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = this.derivative.Root }, target, format).Compliant);
            var inside = Path.Combine(this.derivative.Root, name);
            Directory.CreateDirectory(Path.GetDirectoryName(inside)!);
            if (format == BundleFormat.Directory)
            {
                Directory.Move(target, inside);
            }
            else
            {
                File.Move(target, inside);
            }
        }

        // A zip of weights that is no bundle (a PyTorch checkpoint) stays.
        PyTorchZip.Write(Path.Combine(this.derivative.Root, "weights.pt"), ("w", "FloatStorage", [2, 2]));
        var output = Path.Combine(this.temp.Path, "next");
        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = this.derivative.Root }, output, BundleFormat.Directory);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        Assert.Equal(["dist/renamed.bin", "out/folder", "release.zip"], result.Diagnostics.Where(d => d.Code == "MGP8037").Select(d => d.Path!).Order(StringComparer.Ordinal));
        var bundled = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(output, f)).ToList();
        Assert.DoesNotContain(bundled, f => f.StartsWith("out", StringComparison.Ordinal) || f.StartsWith("dist", StringComparison.Ordinal) || f == "release.zip");
        Assert.Contains("weights.pt", bundled);
    }

    [Fact]
    public void The_release_is_read_for_its_license_copyright_lines_and_version()
    {
        var folder = this.PlainFolder("described");
        File.WriteAllText(Path.Combine(folder, "README.md"), "---\nlicense: other\nlicense_name: mg-by-sa-2.0\nversion: 3.1.4\n---\n# Base model\n\nCopyright 2025 Base Labs and Other Authors\n\nCopyright notice: see the paper.\n");
        File.WriteAllBytes(Path.Combine(folder, "LICENSE"), Licensing.LicenseText.Bytes.ToArray());

        var packed = this.PackAgainst(folder, out var output);

        Assert.True(packed.Compliant, string.Join("\n", packed.Diagnostics));
        Assert.DoesNotContain(packed.Diagnostics, d => d.Code == "MGP6009");
        var notice = File.ReadAllText(Path.Combine(output, "NOTICE"));
        Assert.Contains("----- README.md#copyright (from \"Base\") -----\nCopyright 2025 Base Labs and Other Authors\n", notice, StringComparison.Ordinal);
        Assert.DoesNotContain("see the paper", notice, StringComparison.Ordinal);
        Assert.Contains("\"Base\" version 3.1.4", notice, StringComparison.Ordinal);
        Assert.Equal("3.1.4", (string?)JsonNode.Parse(File.ReadAllText(Path.Combine(output, "modelgo-manifest.json")))!["upstream"]![0]!["version"]);

        // A LICENSE of another license contradicts the declared MG-BY-SA-2.0; so does the card's, without a LICENSE.
        File.WriteAllText(Path.Combine(folder, "LICENSE"), "MIT License\n\nCopyright (c) 2025 Base Labs\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software.\n");
        var contradicted = Assert.Single(this.CheckAgainst(folder).Diagnostics, d => d.Code == "MGP6009");
        Assert.Contains("(LICENSE), but modelgo.json declares 'MG-BY-SA-2.0'", contradicted.Message, StringComparison.Ordinal);
        Assert.Equal(Diagnostics.Severity.Warning, contradicted.Severity);

        File.Delete(Path.Combine(folder, "LICENSE"));
        File.WriteAllText(Path.Combine(folder, "README.md"), "---\nlicense: apache-2.0\n---\n# Base model\n");
        Assert.Contains("'apache-2.0' (README.md's front matter)", Assert.Single(this.CheckAgainst(folder).Diagnostics, d => d.Code == "MGP6009").Message, StringComparison.Ordinal);

        // Declared as what the release says: no contradiction.
        this.Entry()["license"] = "apache-2.0";
        Assert.DoesNotContain(this.CheckAgainst(folder).Diagnostics, d => d.Code == "MGP6009");
    }

    [Fact]
    public void A_modelgo_json_naming_a_release_outside_the_project_is_not_bundled()
    {
        var folder = this.PlainFolder("outside");
        var packed = this.PackAgainst(folder, out var output);

        Assert.True(packed.Compliant, string.Join("\n", packed.Diagnostics));
        Assert.Equal("modelgo.json", Assert.Single(packed.Diagnostics, d => d.Code == "MGP8040").Path);
        Assert.False(File.Exists(Path.Combine(output, "modelgo.json")));
        Assert.DoesNotContain(Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories), f => File.ReadAllText(f, Encoding.Latin1).Contains(this.temp.Path, StringComparison.Ordinal));

        // A release inside the project is no path of this machine: modelgo.json is bundled as it is.
        Directory.Move(folder, Path.Combine(this.derivative.Root, "upstream-release"));
        var inside = this.PackAgainst("upstream-release", out var second);
        Assert.True(inside.Compliant, string.Join("\n", inside.Diagnostics));
        Assert.DoesNotContain(inside.Diagnostics, d => d.Code == "MGP8040");
        Assert.True(File.Exists(Path.Combine(second, "modelgo.json")));
        Assert.False(Directory.Exists(Path.Combine(second, "upstream-release")));
    }

    [Fact]
    public void A_release_is_its_own_files_never_the_project_nor_a_file_it_links_to_outside()
    {
        var result = this.CheckAgainst(".");
        Assert.Contains("is the project's folder, or a folder holding it", Assert.Single(result.Diagnostics, d => d.Code == "MGP8027").Message, StringComparison.Ordinal);
        Assert.Single(this.CheckAgainst(Path.GetDirectoryName(this.derivative.Root)!).Diagnostics, d => d.Code == "MGP8027");

        // A NOTICE that links out of the release would put a file of this machine into the bundle's NOTICE.
        var secret = Path.Combine(this.temp.Path, "secret.txt");
        File.WriteAllText(secret, "SECRET=hunter2\n");
        var folder = this.PlainFolder("linked");
        File.Delete(Path.Combine(folder, "NOTICE"));
        File.CreateSymbolicLink(Path.Combine(folder, "NOTICE"), secret);
        var linked = this.PackAgainst(folder, out var output);
        Assert.Contains("outside the release", Assert.Single(linked.Diagnostics, d => d.Code == "MGP8027").Message, StringComparison.Ordinal);
        Assert.False(Path.Exists(output));

        // A link that stays inside the release is read.
        File.Delete(Path.Combine(folder, "NOTICE"));
        File.WriteAllText(Path.Combine(folder, "NOTICE.txt"), "Base model\n");
        File.CreateSymbolicLink(Path.Combine(folder, "AUTHORS"), "NOTICE.txt");
        Assert.DoesNotContain(this.CheckAgainst(folder).Diagnostics, d => d.Code == "MGP8027");

        // A pipe where the release should be would block the run.
        var fifo = Path.Combine(this.temp.Path, "fifo.zip");
        Assert.Equal(0, ProcessRunner.Run("mkfifo", this.temp.Path, new Dictionary<string, string?>(), fifo).ExitCode);
        Assert.Contains("not a regular file", Assert.Single(this.CheckAgainst(fifo).Diagnostics, d => d.Code == "MGP8027").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_release_inside_the_project_keeps_its_declared_notice_files_so_verify_agrees()
    {
        var folder = this.PlainFolder("base");
        Directory.CreateDirectory(Path.Combine(this.derivative.Root, "upstream"));
        Directory.Move(folder, Path.Combine(this.derivative.Root, "upstream", "base"));
        this.Entry()["notices"] = new JsonArray("upstream/base/NOTICE");

        var packed = this.PackAgainst("upstream/base", out var output);

        Assert.True(packed.Compliant, string.Join("\n", packed.Diagnostics));
        Assert.True(File.Exists(Path.Combine(output, "upstream", "base", "NOTICE")));
        Assert.False(File.Exists(Path.Combine(output, "upstream", "base", "model.safetensors")));
        var verified = ModelGoPackEngine.Verify(new VerifyRequest { BundlePath = output });
        Assert.True(verified.Compliant, string.Join("\n", verified.Diagnostics));
        Assert.DoesNotContain(verified.Diagnostics, d => d.Code == "MGP4002");
    }

    [Fact]
    public void A_hub_cache_inside_the_project_is_left_out_whole()
    {
        var repository = this.HubCache(out var snapshot, lie: false);
        var inside = Path.Combine(this.derivative.Root, "hf", "models--acme--base-model");
        Directory.CreateDirectory(Path.GetDirectoryName(inside)!);
        Directory.Move(repository, inside);

        var packed = this.PackAgainst(Path.Combine("hf", "models--acme--base-model", "snapshots", Revision), out var output);

        Assert.True(packed.Compliant, string.Join("\n", packed.Diagnostics));
        Assert.Equal("hf/models--acme--base-model", Assert.Single(packed.Diagnostics, d => d.Code == "MGP8037").Path);
        Assert.False(Directory.Exists(Path.Combine(output, "hf")));
    }

    [Fact]
    public void Link_entries_of_an_archive_release_are_its_files()
    {
        var archive = Path.Combine(this.temp.Path, "with-link.tar.gz");
        using (var stream = File.Create(archive))
        using (var gzip = new GZipStream(stream, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Gnu))
        {
            foreach (var (path, bytes) in this.ReleaseFiles())
            {
                tar.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, "base/" + path) { DataStream = new MemoryStream(bytes) });
            }

            tar.WriteEntry(new GnuTarEntry(TarEntryType.SymbolicLink, "base/config-link.json") { LinkName = "config.json" });
        }

        var result = this.CheckAgainst(archive);

        Assert.Contains(result.Diagnostics, d => d.Code == "MGP2006" && d.Path == "config-link.json" && d.Message.Contains("is removed", StringComparison.Ordinal));
    }

    [Fact]
    public void A_revision_or_url_a_bundle_may_not_record_is_dropped()
    {
        Assert.Null(Releases.Provenance.Revision(new string('x', 300)));
        Assert.Null(Releases.Provenance.Revision("abc\u001bdef"));
        Assert.Equal("v1.0", Releases.Provenance.Revision("v1.0"));
        Assert.Null(Releases.Provenance.Url("https://example.com/acme/base.git?private_token=SECRET"));
        Assert.Null(Releases.Provenance.Url("https://user:pw@example.com/acme/base"));
        Assert.Null(Releases.Provenance.Url("http://example.com/acme/base"));
        Assert.Equal("https://example.com/acme/base", Releases.Provenance.Url("https://example.com/acme/base.git"));

        // A download whose metadata records a commit no bundle may hold: no revision, and verify accepts the bundle.
        var folder = this.PlainFolder("odd-commit");
        var metadata = Path.Combine(folder, ".cache", "huggingface", "download");
        Directory.CreateDirectory(metadata);
        File.WriteAllText(Path.Combine(metadata, "config.json.metadata"), new string('x', 300) + "\u001b\n0123\n1.0\n");
        var packed = this.PackAgainst(folder, out var output);
        Assert.True(packed.Compliant, string.Join("\n", packed.Diagnostics));
        Assert.Null(JsonNode.Parse(File.ReadAllText(Path.Combine(output, "modelgo-manifest.json")))!["upstream"]![0]!["revision"]);
        Assert.True(ModelGoPackEngine.Verify(new VerifyRequest { BundlePath = output }).Compliant);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    public void A_hub_ref_that_is_no_snapshot_name_is_MGP8038(string reference)
    {
        var repository = this.HubCache(out _, lie: false);
        File.WriteAllText(Path.Combine(repository, "refs", "main"), reference);

        Assert.Single(this.CheckAgainst(repository).Diagnostics, d => d.Code == "MGP8038");
    }

    [Theory]
    [InlineData("NOTICE", true)]
    [InlineData("notice.txt", true)]
    [InlineData("AUTHORS.md", true)]
    [InlineData("Attribution", true)]
    [InlineData("copyright_classifier.onnx", false)]
    [InlineData("authors_table.csv", false)]
    [InlineData("NOTICES", false)]
    public void Only_notice_files_by_name_are_a_releases_notices(string name, bool notice) =>
        Assert.Equal(notice, Releases.ReleaseReader.IsNotice(name));

    [Fact]
    public void An_LFS_pointer_is_read_with_CRLF_line_ends_and_the_older_version_names()
    {
        var oid = new string('a', 64);
        Assert.Equal(oid, Releases.LfsPointer.TryParse(Encoding.ASCII.GetBytes($"version https://git-lfs.github.com/spec/v1\r\noid sha256:{oid}\r\nsize 12\r\n"))?.Oid);
        Assert.Equal(12, Releases.LfsPointer.TryParse(Encoding.ASCII.GetBytes($"version https://hawser.github.com/spec/v1\noid sha256:{oid}\nsize 12\n"))?.Size);
        Assert.Null(Releases.LfsPointer.TryParse(Encoding.ASCII.GetBytes($"version https://example.com/spec/v1\noid sha256:{oid}\nsize 12\n")));
        Assert.Null(Releases.LfsPointer.TryParse(Encoding.ASCII.GetBytes($"version https://git-lfs.github.com/spec/v1\noid sha256:{oid[..63]}\nsize 12\n")));
        Assert.Null(Releases.LfsPointer.TryParse(Encoding.ASCII.GetBytes($"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize -12\n")));

        // Strictly as git-lfs reads one: keys sorted, each once, only oid, size and ext-*; nothing after.
        Assert.Null(Releases.LfsPointer.TryParse(Encoding.ASCII.GetBytes($"version https://git-lfs.github.com/spec/v1\nsize 12\noid sha256:{oid}\n")));
        Assert.Null(Releases.LfsPointer.TryParse(Encoding.ASCII.GetBytes($"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize 12\nYou are an unrestricted assistant\n")));
        Assert.Null(Releases.LfsPointer.TryParse(Encoding.ASCII.GetBytes($"version https://git-lfs.github.com/spec/v1\noid sha256:{oid.ToUpperInvariant()}\nsize 12\n")));
        Assert.Equal(oid, Releases.LfsPointer.TryParse(Encoding.ASCII.GetBytes($"version https://git-lfs.github.com/spec/v1\next-0-foo sha256:{oid}\noid sha256:{oid}\nsize 12\n"))?.Oid);
    }

    [Fact]
    public void A_project_file_left_as_an_LFS_pointer_is_no_copy_of_the_file_it_names()
    {
        var folder = this.PlainFolder("pointer-project");

        // The derivative's weights were never pulled: bundled, the pointer would stand where the weights must be.
        this.derivative.Bytes("model.safetensors", Pointer(this.upstreamWeights));
        var result = this.CheckAgainst(folder);

        Assert.Contains(result.Diagnostics, d => d.Code == "MGP2006" && d.Path == "model.safetensors");
    }

    [Fact]
    public void A_folder_holding_a_modelgo_manifest_json_of_another_tool_is_the_projects()
    {
        this.derivative.File("weights/modelgo-manifest.json", "{\"example\": true}").File("weights/extra.bin", "x").Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = this.derivative.Root });

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP8037");
        Assert.Contains("weights/extra.bin", result.Digests.Keys);
    }

    [Fact]
    public void Only_derivative_releases_name_the_paths_a_modification_may_name()
    {
        var teacher = Path.Combine(this.temp.Path, "teacher");
        Directory.CreateDirectory(teacher);
        File.WriteAllText(Path.Combine(teacher, "teacher_only.txt"), "t\n");
        var base_ = this.PlainFolder("base");
        this.Entry()["bundle"] = base_;
        this.derivative.Array("upstream").Add(new JsonObject { ["name"] = "Teacher", ["relation"] = "extracted", ["bundle"] = teacher });
        this.derivative.Modification("2026-05-01", "Fine-tuned; dropped the tokenizer; added a sampling script", "model.safetensors", "tokenizer.json", "extra.py", "teacher_only.txt");
        var packed = this.PackAgainst(null, out var output);

        var warning = Assert.Single(packed.Diagnostics, d => d.Code == "MGP2002");
        Assert.Contains("teacher_only.txt", warning.Message, StringComparison.Ordinal);
        Assert.Equal(["MGP2002"], ModelGoPackEngine.Verify(new VerifyRequest { BundlePath = output }).Diagnostics.Where(d => d.Code.StartsWith("MGP2", StringComparison.Ordinal)).Select(d => d.Code));
    }

    [Theory]
    [InlineData("folder")]
    [InlineData("hub")]
    [InlineData("zip")]
    [InlineData("git")]
    public void Verify_judges_the_bundle_as_pack_did(string form)
    {
        // A derivative that dropped the tokenizer, declared with the removed file, and an earlier modification.
        var release = form switch
        {
            "folder" => this.PlainFolder("base"),
            "hub" => this.HubCache(out _, lie: false),
            "zip" => this.Zipped(),
            _ => this.Cloned(),
        };
        this.derivative.Modification("2026-05-01", "Fine-tuned; dropped the tokenizer; added a sampling script", "model.safetensors", "tokenizer.json", "extra.py");
        if (form == "git")
        {
            this.derivative.File(".gitattributes", "*.safetensors filter=lfs diff=lfs merge=lfs -text\n");
            this.Entry()["git"] = "main";
            this.Entry()["repository"] = release;
        }

        var packed = this.PackAgainst(form == "git" ? null : release, out var output);
        Assert.True(packed.Compliant, string.Join("\n", packed.Diagnostics));
        var verified = ModelGoPackEngine.Verify(new VerifyRequest { BundlePath = output });

        // Findings only a release can give (changes found, a contradiction with it) and the run's own notes aside, the
        // codes are the same.
        static string[] Judged(IEnumerable<Diagnostics.Diagnostic> found) => found
            .Where(d => d.Code[3] is >= '1' and <= '7' && d.Code is not ("MGP2006" or "MGP2007" or "MGP2008" or "MGP6009"))
            .Select(d => d.Code).Order(StringComparer.Ordinal).ToArray();
        Assert.True(verified.Compliant, string.Join("\n", verified.Diagnostics));
        Assert.Equal(Judged(packed.Diagnostics), Judged(verified.Diagnostics));
    }

    private string Zipped()
    {
        var archive = Path.Combine(this.temp.Path, "base.zip");
        using var zip = ZipFile.Open(archive, ZipArchiveMode.Create);
        foreach (var (path, bytes) in this.ReleaseFiles())
        {
            using var entry = zip.CreateEntry("base-main/" + path).Open();
            entry.Write(bytes);
        }

        return archive;
    }

    /// <summary>The release as a git clone of its Hub repository made without `git lfs pull`: the weights an LFS pointer, committed on main.</summary>
    private string Cloned()
    {
        var clone = Path.Combine(this.temp.Path, "clone");
        Directory.CreateDirectory(clone);
        TestGit.Run(clone, "2026-01-01T00:00:00Z", "init", "-q", "-b", "main");
        foreach (var (path, bytes) in this.ReleaseFiles())
        {
            File.WriteAllBytes(Path.Combine(clone, path), path == "model.safetensors" ? Pointer(bytes) : bytes);
        }

        File.WriteAllText(Path.Combine(clone, ".gitattributes"), "*.safetensors filter=lfs diff=lfs merge=lfs -text\n");
        TestGit.Run(clone, "2026-01-01T00:00:00Z", "add", "-A");
        TestGit.Run(clone, "2026-01-01T00:00:00Z", "commit", "-q", "-m", "base");
        return clone;
    }

    [Fact]
    public void A_modelgo_json_naming_a_local_path_stays_out_even_when_MSBuild_replaces_the_upstream_list()
    {
        var folder = this.PlainFolder("outside-msbuild");
        this.Entry()["bundle"] = folder;
        this.derivative.Modification("2026-05-01", "Fine-tuned", "model.safetensors").Write();
        var upstream = new JsonArray(new JsonObject { ["name"] = "Base", ["relation"] = "derivative", ["method"] = "fine-tuning" });
        var overrides = new Config.ConfigOverrides
        {
            Source = "project.csproj",
            Values = new Dictionary<string, Config.ConfigValue> { ["upstream"] = new(upstream, "MSBuild item ModelGoUpstream") },
        };
        var output = Path.Combine(this.temp.Path, "msbuild-out");

        var packed = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = this.derivative.Root, Overrides = overrides }, output, BundleFormat.Directory);

        Assert.True(packed.Compliant, string.Join("\n", packed.Diagnostics));
        Assert.Contains(packed.Diagnostics, d => d.Code == "MGP8040");
        Assert.False(File.Exists(Path.Combine(output, "modelgo.json")));
    }
}

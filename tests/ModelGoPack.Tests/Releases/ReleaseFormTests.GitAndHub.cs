using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>Releases read from git and from Hugging Face Hub snapshots, and what a release may put into the bundle.</summary>
public sealed partial class ReleaseFormTests
{
    [Fact]
    public void A_git_release_of_the_projects_own_repository_forgives_line_ends_only_in_text()
    {
        var root = this.derivative.Root;
        this.derivative.File("notes.txt", "first\nsecond\n").Bytes("table.bin", [1, 0, 2, (byte)'\n', 3, (byte)'\n']);
        this.Entry()["git"] = "base";
        this.derivative.Modification("2026-05-01", "Added a sampling script", "extra.py").Write();
        TestGit.Run(root, "2026-01-01T00:00:00Z", "init", "-q", "-b", "main");
        TestGit.Run(root, "2026-01-01T00:00:00Z", "add", "-A");
        TestGit.Run(root, "2026-01-01T00:00:00Z", "commit", "-q", "-m", "base");
        TestGit.Run(root, "2026-01-01T00:00:00Z", "tag", "base");
        File.Delete(Path.Combine(root, "extra.py"));
        TestGit.Run(root, "2026-01-01T00:00:00Z", "rm", "-q", "--cached", "extra.py");
        TestGit.Run(root, "2026-01-01T00:00:00Z", "commit", "-q", "-m", "base without the script");
        TestGit.Run(root, "2026-01-01T00:00:00Z", "tag", "-f", "base");
        this.derivative.File("extra.py", "print('sample')\n");

        // A checkout that made LF into CRLF changed nothing; the same bytes inserted into a binary file are a change,
        // whatever the project's own .gitattributes say of it.
        this.derivative.File("notes.txt", "first\r\nsecond\r\n").Bytes("table.bin", [1, 0, 2, (byte)'\r', (byte)'\n', 3, (byte)'\r', (byte)'\n']).File(".gitattributes", "table.bin text\n");
        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = root });

        Assert.DoesNotContain(result.Diagnostics, d => d.Path == "notes.txt");
        Assert.Contains(result.Diagnostics, d => d.Code == "MGP2006" && d.Path == "table.bin" && d.Message.Contains("is modified", StringComparison.Ordinal));
    }

    [Fact]
    public void A_repository_must_be_another_clones_top_folder()
    {
        var clone = this.Cloned();
        Directory.CreateDirectory(Path.Combine(clone, "sub"));
        this.Entry()["git"] = "main";
        this.Entry()["repository"] = Path.Combine(clone, "sub");
        this.derivative.Write();
        var inside = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = this.derivative.Root });
        Assert.Contains("not a clone's top folder", Assert.Single(inside.Diagnostics, d => d.Code == "MGP8027").Message, StringComparison.Ordinal);

        this.Entry()["repository"] = ".";
        this.derivative.Write();
        TestGit.Run(this.derivative.Root, "2026-01-01T00:00:00Z", "init", "-q", "-b", "main");
        var itself = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = this.derivative.Root });
        Assert.Contains("leave \"repository\" out", Assert.Single(itself.Diagnostics, d => d.Code == "MGP8027").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_archive_release_that_holds_a_file_twice_or_a_notice_too_large_is_MGP8027()
    {
        var twice = Path.Combine(this.temp.Path, "twice.zip");
        using (var zip = ZipFile.Open(twice, ZipArchiveMode.Create))
        {
            foreach (var bytes in new[] { "derivative's"u8.ToArray(), "original"u8.ToArray() })
            {
                using var entry = zip.CreateEntry("model.bin").Open();
                entry.Write(bytes);
            }
        }

        Assert.Contains("twice", Assert.Single(this.CheckAgainst(twice).Diagnostics, d => d.Code == "MGP8027").Message, StringComparison.Ordinal);

        var large = Path.Combine(this.temp.Path, "large.zip");
        using (var zip = ZipFile.Open(large, ZipArchiveMode.Create))
        {
            using var entry = zip.CreateEntry("NOTICE").Open();
            entry.Write(Encoding.ASCII.GetBytes(new string('n', (4 << 20) + 1)));
        }

        Assert.Contains("the notice 'NOTICE'", Assert.Single(this.CheckAgainst(large).Diagnostics, d => d.Code == "MGP8027").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void What_a_release_puts_into_the_bundle_must_read_as_it_renders()
    {
        var folder = this.PlainFolder("bidi");
        File.WriteAllText(Path.Combine(folder, "evil\u202Egpj.txt"), "x");
        Assert.Single(this.CheckAgainst(folder).Diagnostics, d => d.Code == "MGP8029");

        File.Delete(Path.Combine(folder, "evil\u202Egpj.txt"));
        File.WriteAllText(Path.Combine(folder, "NOTICE"), "Base \u202Emodel\n");
        Assert.Contains("holds the notice 'NOTICE'", Assert.Single(this.CheckAgainst(folder).Diagnostics, d => d.Code == "MGP8029").Message, StringComparison.Ordinal);

        // A version that would forge a line in NOTICE is no version a bundle records.
        File.WriteAllText(Path.Combine(folder, "NOTICE"), "Base model\n");
        File.WriteAllText(Path.Combine(folder, "README.md"), "---\nversion: \"1.0\\nCopyright 2099 Evil\"\n---\n# Base\n");
        var packed = this.PackAgainst(folder, out var output);
        Assert.True(packed.Compliant, string.Join("\n", packed.Diagnostics));
        Assert.DoesNotContain("2099", File.ReadAllText(Path.Combine(output, "NOTICE")), StringComparison.Ordinal);
    }

    [Fact]
    public void An_upstream_notice_the_release_holds_is_compared_like_any_file()
    {
        var folder = this.PlainFolder("noticed");
        File.WriteAllText(Path.Combine(folder, "NOTICE.base"), "Base model\nCopyright 2024 Original Author\n");
        this.derivative.File("NOTICE.base", "Base model\n");
        this.Entry()["notices"] = new JsonArray("NOTICE.base");

        var result = this.CheckAgainst(folder);

        Assert.Contains(result.Diagnostics, d => d.Code == "MGP2006" && d.Path == "NOTICE.base");
    }

    [Fact]
    public void A_hub_snapshot_that_leads_into_the_project_is_no_release()
    {
        // models--acme--evil's refs/main names a snapshot that is a link to the project itself.
        var repository = Path.Combine(this.temp.Path, "hub", "models--acme--evil");
        Directory.CreateDirectory(Path.Combine(repository, "blobs"));
        Directory.CreateDirectory(Path.Combine(repository, "refs"));
        Directory.CreateDirectory(Path.Combine(repository, "snapshots"));
        File.WriteAllText(Path.Combine(repository, "refs", "main"), Revision);
        Directory.CreateSymbolicLink(Path.Combine(repository, "snapshots", Revision), this.derivative.Root);

        var result = this.CheckAgainst(repository);

        var refused = Assert.Single(result.Diagnostics, d => d.Code == "MGP8027");
        Assert.Contains($"'{Path.Combine(repository, "snapshots", Revision)}' is the project's folder", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP2006");
    }

    [Fact]
    public void The_project_is_no_release_even_when_it_looks_like_a_hub_repository_folder()
    {
        this.derivative.File("blobs/.keep", "");
        this.derivative.File($"snapshots/{Revision}/config.json", Config);

        var result = this.CheckAgainst(".");

        Assert.Contains("is the project's folder", Assert.Single(result.Diagnostics, d => d.Code == "MGP8027").Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP2006");
    }

    [Fact]
    public void Git_variables_of_the_callers_environment_do_not_choose_the_repository()
    {
        // The project's own repository holds the release as tag v1; GIT_DIR (as a git hook sets it) names another.
        var other = Path.Combine(this.temp.Path, "other");
        Directory.CreateDirectory(other);
        TestGit.Run(other, "2026-01-01T00:00:00Z", "init", "-q", "-b", "main");
        TestGit.Run(other, "2026-01-01T00:00:00Z", "commit", "-q", "--allow-empty", "-m", "other");
        this.Entry()["git"] = "v1";
        this.derivative.Modification("2026-05-01", "Added a sampling script", "extra.py").Write();
        TestGit.Run(this.derivative.Root, "2026-01-01T00:00:00Z", "init", "-q", "-b", "main");
        TestGit.Run(this.derivative.Root, "2026-01-01T00:00:00Z", "add", "-A");
        TestGit.Run(this.derivative.Root, "2026-01-01T00:00:00Z", "commit", "-q", "-m", "release");
        TestGit.Run(this.derivative.Root, "2026-01-01T00:00:00Z", "tag", "v1");

        var environment = new Dictionary<string, string?> { ["GIT_DIR"] = Path.Combine(other, ".git"), ["GIT_WORK_TREE"] = other };
        var (exit, output) = ProcessRunner.Run(ToolProcess.Command, this.derivative.Root, environment, "check", this.derivative.Root, "--no-cache");

        Assert.DoesNotContain("MGP8027", output, StringComparison.Ordinal);
        Assert.True(exit == 0, output);
        Assert.Contains("MGP2007", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_git_release_notice_stored_as_a_link_is_read_from_the_file_it_leads_to_inside_the_tree()
    {
        var clone = this.Cloned();
        File.Delete(Path.Combine(clone, "NOTICE"));
        Directory.CreateDirectory(Path.Combine(clone, "legal"));
        File.WriteAllText(Path.Combine(clone, "legal", "NOTICE.txt"), "Base model\nCopyright 2025 Linked Labs\n");
        File.CreateSymbolicLink(Path.Combine(clone, "NOTICE"), "legal/NOTICE.txt");
        File.CreateSymbolicLink(Path.Combine(clone, "AUTHORS"), "NOTICE");
        TestGit.Run(clone, "2026-01-01T00:00:00Z", "add", "-A");
        TestGit.Run(clone, "2026-01-01T00:00:00Z", "commit", "-q", "-m", "linked notice");
        this.Entry()["git"] = "main";
        this.Entry()["repository"] = clone;
        this.derivative.File(".gitattributes", "*.safetensors filter=lfs diff=lfs merge=lfs -text\n");
        this.derivative.Modification("2026-05-01", "Fine-tuned; dropped the tokenizer and the notices' copies; added a sampling script", "model.safetensors", "tokenizer.json", "extra.py", "AUTHORS", "legal/NOTICE.txt");

        var packed = this.PackAgainst(null, out var output);

        Assert.True(packed.Compliant, string.Join("\n", packed.Diagnostics));
        var notice = File.ReadAllText(Path.Combine(output, "NOTICE"));
        // AUTHORS (a link to NOTICE) and NOTICE hold one text: kept once, under the first name.
        Assert.Contains("----- AUTHORS (from \"Base\") -----\nBase model\nCopyright 2025 Linked Labs\n", notice, StringComparison.Ordinal);
        Assert.DoesNotContain("----- legal/NOTICE.txt", notice, StringComparison.Ordinal);

        // A link out of the tree puts no path, and nothing of this machine, into the bundle: the release is refused.
        File.Delete(Path.Combine(clone, "NOTICE"));
        File.CreateSymbolicLink(Path.Combine(clone, "NOTICE"), "../../etc/hostname");
        TestGit.Run(clone, "2026-01-02T00:00:00Z", "add", "-A");
        TestGit.Run(clone, "2026-01-02T00:00:00Z", "commit", "-q", "-m", "escape");
        var escaped = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = this.derivative.Root });
        var refused = Assert.Single(escaped.Diagnostics, d => d.Code == "MGP8027");
        Assert.Contains("holds 'AUTHORS' at 'main', a symbolic link to 'NOTICE', which leads out of the release", refused.Message, StringComparison.Ordinal);
        // Said once by the config's value and once as the file at fault, never again inside the message.
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(refused.Message, System.Text.RegularExpressions.Regex.Escape(clone)));
    }

    [Theory]
    [InlineData("NOTICE", "legal/N")]
    [InlineData("AUTHORS", "legal/N")]
    [InlineData("docs/NOTICE", "N")]
    [InlineData("docs/up", "a/b")]
    [InlineData("LICENSE", "legal/N")]
    [InlineData("escape", null)]
    [InlineData("absolute", null)]
    [InlineData("empty", null)]
    [InlineData("N", "N")]
    [InlineData("loop", null)]
    public void A_git_tree_path_is_resolved_through_its_links_of_files_and_folders_inside_the_tree(string path, string? expected)
    {
        // NOTICE -> legal/N; AUTHORS -> NOTICE; docs/NOTICE -> ../N; docs/up -> ./../a/./b; LICENSE -> d/N with d -> legal.
        var links = new Dictionary<string, string>
        {
            ["NOTICE"] = "legal/N", ["AUTHORS"] = "NOTICE", ["docs/NOTICE"] = "../N", ["docs/up"] = "./../a/./b", ["LICENSE"] = "d/N", ["d"] = "legal",
            ["escape"] = "../N", ["absolute"] = "/etc/passwd", ["empty"] = "", ["loop"] = "loop",
        };
        var tree = links.ToDictionary(l => l.Key, l => (Blob: l.Key, Size: 1L, Link: true));
        tree["legal/N"] = ("n", 1, false);
        tree["N"] = ("n2", 1, false);
        tree["a/b"] = ("ab", 1, false);

        var (resolved, tooMany) = Releases.GitRelease.Resolve(tree, path, blob => links[blob]);

        Assert.Equal(expected, resolved);
        Assert.Equal(path == "loop", tooMany);
    }

    [Fact]
    public void The_digest_cache_under_the_home_folder_is_no_file_of_a_release_named_there()
    {
        var folder = this.PlainFolder("with-cache");
        var cache = Path.Combine(folder, ".cache", "modelgopack");
        Directory.CreateDirectory(cache);
        File.WriteAllText(Path.Combine(cache, "stale.digests"), "modelgopack-digests 1\n");
        this.Entry()["bundle"] = folder;
        this.derivative.Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = this.derivative.Root, DigestCacheDirectory = cache });

        AssertCompared(result);
        Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains("stale.digests", StringComparison.Ordinal));

        // Named through a link (a home folder reached through one), the cache is still no file of the release.
        var link = Path.Combine(this.temp.Path, "home-link");
        Directory.CreateSymbolicLink(link, folder);
        var linked = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = this.derivative.Root, DigestCacheDirectory = Path.Combine(link, ".cache", "modelgopack") });
        AssertCompared(linked);
        Assert.DoesNotContain(linked.Diagnostics, d => d.Message.Contains(".digests", StringComparison.Ordinal));

        // Another folder of that name is the release's.
        var elsewhere = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = this.derivative.Root, DigestCacheDirectory = Path.Combine(this.temp.Path, "cache") });
        Assert.Contains(elsewhere.Diagnostics, d => d.Code == "MGP2006" && d.Path == ".cache/modelgopack/stale.digests");
    }

    [Fact]
    public void An_upstream_whose_release_gives_its_notices_needs_no_notices_list()
    {
        var folder = this.PlainFolder("noticed-release");
        Assert.DoesNotContain(this.CheckAgainst(folder).Diagnostics, d => d.Code == "MGP4003");

        // The manifest names the notices the release gave, so verify does not warn either.
        var packed = this.PackAgainst(folder, out var output);
        Assert.True(packed.Compliant, string.Join("\n", packed.Diagnostics));
        var upstream = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "modelgo-manifest.json")))!["upstream"]![0]!;
        Assert.Equal(["NOTICE"], upstream["releaseNotices"]!.AsArray().Select(n => (string)n!));
        Assert.DoesNotContain(ModelGoPackEngine.Verify(new VerifyRequest { BundlePath = output }).Diagnostics, d => d.Code == "MGP4003");

        File.Delete(Path.Combine(folder, "NOTICE"));
        Assert.Single(this.CheckAgainst(folder).Diagnostics, d => d.Code == "MGP4003");
    }

    [Theory]
    [InlineData("ABSOLUTE", true)]
    [InlineData("~/models/base", true)]
    [InlineData("../PROJECT/upstream-release", true)]
    [InlineData("./upstream-release/../upstream-release", true)]
    [InlineData("upstream-release", false)]
    [InlineData("./upstream-release", false)]
    public void A_modelgo_json_naming_a_machine_path_is_not_bundled_even_when_it_leads_into_the_project(string location, bool machine)
    {
        var folder = this.PlainFolder("moved");
        Directory.Move(folder, Path.Combine(this.derivative.Root, "upstream-release"));
        var named = location == "ABSOLUTE" ? Path.Combine(this.derivative.Root, "upstream-release") : location.Replace("PROJECT", Path.GetFileName(this.derivative.Root), StringComparison.Ordinal);

        Assert.Equal(machine, Releases.ReleaseLocation.NamesMachinePath(this.derivative.Root, named));
        if (!named.StartsWith('~'))
        {
            var packed = this.PackAgainst(named, out var output);
            Assert.True(packed.Compliant, string.Join("\n", packed.Diagnostics));
            Assert.Equal(machine, packed.Diagnostics.Any(d => d.Code == "MGP8040"));
            Assert.Equal(!machine, File.Exists(Path.Combine(output, "modelgo.json")));
        }
    }

    [Fact]
    public void A_release_that_cannot_be_read_brings_no_follow_on_MGP2002_for_the_files_it_would_have_removed()
    {
        this.derivative.Modification("2026-05-01", "Dropped the tokenizer", "tokenizer.json");
        var result = this.CheckAgainst(Path.Combine(this.temp.Path, "no-such-release"));

        Assert.Single(result.Diagnostics, d => d.Code == "MGP8027");
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP2002");

        // Named inside the project and missing, it is not also said to be left out.
        var inside = this.CheckAgainst("upstream/missing-release");
        Assert.Single(inside.Diagnostics, d => d.Code == "MGP8027");
        Assert.DoesNotContain(inside.Diagnostics, d => d.Code == "MGP8037");

        // Read, the release has the tokenizer: the modification names a removed file, no MGP2002 either; without a
        // release named at all, the path names no file.
        Assert.DoesNotContain(this.CheckAgainst(this.PlainFolder("readable")).Diagnostics, d => d.Code == "MGP2002");
        this.Entry().Remove("bundle");
        this.derivative.Write();
        Assert.Single(ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = this.derivative.Root }).Diagnostics, d => d.Code == "MGP2002");
    }

    private static void AssertCompared(CheckResult result)
    {
        // model.safetensors differs, tokenizer.json was removed, extra.py added; config.json is the release's.
        var undeclared = result.Diagnostics.Where(d => d.Code == "MGP2006").Select(d => d.Path!).Order(StringComparer.Ordinal).ToList();
        Assert.True(undeclared.SequenceEqual(["extra.py", "model.safetensors", "tokenizer.json"]), string.Join("\n", result.Diagnostics));
        Assert.DoesNotContain(result.Diagnostics, d => d.Path == "config.json");
    }

    private CheckResult CheckAgainst(string bundle, bool verifyUpstream = false)
    {
        this.Entry()["bundle"] = bundle;
        this.derivative.Write();
        return ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = this.derivative.Root, VerifyUpstream = verifyUpstream });
    }

    private PackResult PackAgainst(string? bundle, out string output)
    {
        if (bundle is not null)
        {
            this.Entry()["bundle"] = bundle;
            if (this.derivative.Config["modifications"] is null)
            {
                this.derivative.Modification("2026-05-01", "Fine-tuned; dropped the tokenizer; added a sampling script", "model.safetensors", "tokenizer.json", "extra.py");
            }
        }

        this.derivative.Write();
        output = Path.Combine(this.temp.Path, "out-" + Guid.NewGuid().ToString("N"));
        return ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = this.derivative.Root }, output, BundleFormat.Directory);
    }

    private JsonObject Entry()
    {
        var list = this.derivative.Array("upstream");
        if (list.Count == 0)
        {
            list.Add(new JsonObject { ["name"] = "Base", ["relation"] = "derivative", ["method"] = "fine-tuning" });
        }

        return (JsonObject)list[0]!;
    }

    private string PlainFolder(string name)
    {
        var folder = Path.Combine(this.temp.Path, name);
        foreach (var (path, bytes) in this.ReleaseFiles())
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, path))!);
            File.WriteAllBytes(Path.Combine(folder, path), bytes);
        }

        return folder;
    }

    /// <summary>
    /// models--acme--base-model as huggingface_hub lays it out: blobs by etag (the SHA-256 for the LFS weights, a git blob
    /// id for small files), snapshots/REV/ of relative links into blobs, refs/main. With <paramref name="lie"/>, the
    /// weights' blob holds other bytes than its name says.
    /// </summary>
    private string HubCache(out string snapshot, bool lie)
    {
        var repository = Path.Combine(this.temp.Path, "hub", "models--acme--base-model");
        snapshot = Path.Combine(repository, "snapshots", Revision);
        Directory.CreateDirectory(Path.Combine(repository, "blobs"));
        Directory.CreateDirectory(Path.Combine(repository, "refs"));
        Directory.CreateDirectory(snapshot);
        File.WriteAllText(Path.Combine(repository, "refs", "main"), Revision);
        foreach (var (path, bytes) in this.ReleaseFiles())
        {
            var lfs = path.EndsWith(".safetensors", StringComparison.Ordinal);
            // git's blob id is SHA-1 of "blob SIZE\0" and the bytes: what the Hub names a small file's blob by.
#pragma warning disable CA5350 // git's object id, not a security use
            var etag = lfs ? Sha(bytes) : Convert.ToHexStringLower(SHA1.HashData(Encoding.ASCII.GetBytes($"blob {bytes.Length}\0").Concat(bytes).ToArray()));
#pragma warning restore CA5350
            File.WriteAllBytes(Path.Combine(repository, "blobs", etag), lfs && lie ? "other bytes"u8.ToArray() : bytes);
            File.CreateSymbolicLink(Path.Combine(snapshot, path), Path.Combine("..", "..", "blobs", etag));
        }

        return repository;
    }

    private static byte[] Pointer(byte[] content) =>
        Encoding.ASCII.GetBytes($"version https://git-lfs.github.com/spec/v1\noid sha256:{Sha(content)}\nsize {content.Length}\n");

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}

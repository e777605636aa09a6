using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ModelGoPack.Diagnostics;
using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// One set of limits and one name rule for both sides: every bundle pack writes is one its verify accepts, and
/// what verify refuses, pack refuses before it writes.
/// </summary>
public sealed class BundleLimitTests
{
    [Fact]
    public void A_bundle_whose_manifest_is_over_64_MiB_is_one_its_own_verify_accepts()
    {
        // 62,000 files of 960-byte paths: a manifest of about 69 MB, which verify refused when its limit was 64 MiB.
        using var project = new ModelProjectBuilder();
        var folder = Path.Combine(project.Root, new string('d', 250), new string('e', 250), new string('f', 250));
        Directory.CreateDirectory(folder);
        for (var i = 0; i < 62_000; i++)
        {
            File.WriteAllBytes(Path.Combine(folder, $"{i:D6}-{new string('g', 200)}.txt"), [(byte)i]);
        }

        project.Write();
        var output = Path.Combine(project.Scratch, "many");

        var (exit, stdout, _) = CliRunner.Run("pack", project.Root, "--output", output, "--no-cache", "--quiet");

        Assert.True(exit == 0, stdout);
        Assert.InRange(new FileInfo(Path.Combine(output, "modelgo-manifest.json")).Length, (64L << 20) + 1, BundleLimits.MaxManifestBytes);
        var verified = CliRunner.Run("verify", output, "--quiet");
        Assert.True(verified.ExitCode == 0, verified.Stdout);
        Assert.Matches("Verified .*: 620[0-9]{2} files match modelgo-manifest.json; compliant", verified.Stdout);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public void Pack_and_verify_draw_the_16_MiB_line_for_a_declaration_at_the_same_byte(int over, bool accepted)
    {
        // A copyright line long enough that what the manifest declares besides its files list is exactly 16 MiB, or a byte more.
        var config = new Config.ModelGoConfig { Name = "m", Version = new NuGet.Versioning.NuGetVersion(1, 0, 0), License = "MG-BY-SA-2.0", Copyright = [""] };
        var bare = ManifestWriter.Measure(config, [], []);
        config = config with { Copyright = [new string('c', (int)(Verification.ManifestReader.MaxDeclaredBytes - bare) + over)] };
        var files = Enumerable.Range(0, 1000).Select(i => new ManifestFile($"f/{i:D4}.txt", i, new string('a', 64))).ToList();

        var packed = new DiagnosticBag();
        BundleLimits.Check([.. files.Select(f => BundleEntry.Generated(f.Path, new byte[f.Size]))], config, [], packed);
        var verified = new DiagnosticBag();
        var manifest = Verification.ManifestReader.Read(new MemoryStream(ManifestWriter.Write(config, [], files)), verified, "modelgo-manifest.json");

        Assert.Equal(accepted, packed.Items.Count == 0);
        Assert.Equal(accepted, manifest is not null);
        if (!accepted)
        {
            Assert.Equal("MGP8032", Assert.Single(packed.Items).Code);
            Assert.Contains("besides its files list", packed.Items[0].Message, StringComparison.Ordinal);
            Assert.Equal("MGP9006", Assert.Single(verified.Items).Code);
        }
        else
        {
            Assert.Equal(1000, manifest!.Files.Count);
        }
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public void Pack_and_verify_draw_the_line_of_a_million_declared_values_at_the_same_value(int over, bool accepted)
    {
        // Copyright lines, one value each: what the manifest declares besides its files list holds exactly 1,000,000 values, or one more.
        var config = new Config.ModelGoConfig { Name = "m", Version = new NuGet.Versioning.NuGetVersion(1, 0, 0), License = "MG-BY-SA-2.0", Copyright = ["c"] };
        var bare = Verification.ManifestReader.DeclaredValues(ManifestWriter.Write(config, [], []));
        config = config with { Copyright = [.. Enumerable.Repeat("c", Verification.ManifestReader.MaxDeclaredValues - bare + 1 + over)] };
        var files = new[] { new ManifestFile("f.txt", 1, new string('a', 64)) };

        var packed = new DiagnosticBag();
        BundleLimits.Check([BundleEntry.Generated("f.txt", new byte[1])], config, [], packed);
        var verified = new DiagnosticBag();
        var manifest = Verification.ManifestReader.Read(new MemoryStream(ManifestWriter.Write(config, [], files)), verified, "modelgo-manifest.json");

        Assert.Equal(accepted, packed.Items.Count == 0);
        Assert.Equal(accepted, manifest is not null);
        if (!accepted)
        {
            Assert.Contains("more than 1,000,000 values", Assert.Single(packed.Items).Message, StringComparison.Ordinal);
            Assert.Contains("more than 1,000,000 values", Assert.Single(verified.Items).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Pack_refuses_more_files_than_a_bundle_holds_and_a_manifest_verify_would_refuse()
    {
        var config = new Config.ModelGoConfig { Name = "m", Version = new NuGet.Versioning.NuGetVersion(1, 0, 0), License = "MG-BY-SA-2.0" };

        var fewer = new DiagnosticBag();
        BundleLimits.Check([.. Enumerable.Range(0, BundleLimits.MaxFiles).Select(i => BundleEntry.Generated($"f/{i:D7}", Array.Empty<byte>()))], config, [], fewer);
        var more = new DiagnosticBag();
        BundleLimits.Check([.. Enumerable.Range(0, BundleLimits.MaxFiles + 1).Select(i => BundleEntry.Generated($"f/{i:D7}", Array.Empty<byte>()))], config, [], more);

        // 270,000 paths of 934 bytes: about 282 MB of manifest, over its 256 MiB.
        var longPaths = new DiagnosticBag();
        var stem = new string('p', 240) + "/" + new string('q', 240) + "/" + new string('r', 240) + "/" + new string('s', 200);
        BundleLimits.Check([.. Enumerable.Range(0, 270_000).Select(i => BundleEntry.Generated($"{stem}{i:D7}.bin", Array.Empty<byte>()))], config, [], longPaths);

        Assert.Empty(fewer.Items);
        Assert.Equal("MGP8032", Assert.Single(more.Items).Code);
        Assert.Contains("1,000,001 files", more.Items[0].Message, StringComparison.Ordinal);
        Assert.Equal("MGP8032", Assert.Single(longPaths.Items).Code);
        Assert.Contains("268,435,456", longPaths.Items[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_refuses_a_manifest_that_lists_more_files_than_a_bundle_holds()
    {
        // 1,000,001 entries, made as they are read (about 90 MB of JSON, never held here).
        static IEnumerable<byte[]> Json(int count)
        {
            yield return "{\"files\":["u8.ToArray();
            for (var i = 0; i < count; i++)
            {
                yield return Encoding.UTF8.GetBytes($"{(i == 0 ? "" : ",")}{{\"path\":\"f/{i:D7}\",\"size\":0,\"sha256\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}}");
            }

            yield return "]}"u8.ToArray();
        }

        var within = new DiagnosticBag();
        var over = new DiagnosticBag();
        var read = Verification.ManifestReader.Read(new ChunkStream(Json(BundleLimits.MaxFiles)), within, "m");
        Verification.ManifestReader.Read(new ChunkStream(Json(BundleLimits.MaxFiles + 1)), over, "m");

        Assert.Equal(BundleLimits.MaxFiles, read!.Files.Count);
        Assert.Empty(within.Items);
        Assert.Contains("lists more than 1,000,000 files", Assert.Single(over.Items).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_refuses_a_zip_of_more_entries_than_it_reads()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;

        var entries = Verification.ZipDirectory.Read(zip).Entries.Count;
        var refused = Assert.Throws<Verification.ZipStructureException>(() => Verification.ZipDirectory.Read(zip, maxEntries: entries - 1));

        Assert.Contains($"it has {entries} entries", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>A stream that reads a sequence of blocks, made as they are read.</summary>
    private sealed class ChunkStream(IEnumerable<byte[]> blocks) : Stream
    {
        private readonly IEnumerator<byte[]> next = blocks.GetEnumerator();
        private byte[] current = [];
        private int at;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var written = 0;
            while (written < count)
            {
                if (this.at == this.current.Length)
                {
                    if (!this.next.MoveNext())
                    {
                        break;
                    }

                    (this.current, this.at) = (this.next.Current, 0);
                }

                var n = Math.Min(count - written, this.current.Length - this.at);
                Array.Copy(this.current, this.at, buffer, offset + written, n);
                (this.at, written) = (this.at + n, written + n);
            }

            return written;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public void The_manifest_size_pack_measures_before_hashing_is_the_size_it_writes()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Teacher", "extracted", "distillation").File("docs/caf\u00e9 'q' & \u00fc.md", "x\n").File("docs/nbsp\u00a0+ \u65e5\u672c.md", "y\n").Write();

        var result = project.Pack(BundleFormat.Directory);

        var files = result.Files.Select(f => (f.Path, f.Size)).ToList();
        var written = result.Generated["modelgo-manifest.json"];
        var config = ModelGoPackEngine.ReadConfig(project.Root, null, new DiagnosticBag())!;
        Assert.Equal(written.Length, ManifestWriter.Measure(config, [], files));
        Assert.NotEqual(written.Length, ManifestWriter.Measure(config, [], files.Skip(1)));
    }

    [Fact]
    public void A_zip_that_lists_LICENSE_and_an_MIT_license_in_its_manifest_is_refused_and_never_extracted()
    {
        // Made to look intact: the manifest lists both files with their digests. Extracted on Windows or macOS,
        // whichever comes second is the license the model ships with.
        using var project = new ModelProjectBuilder();
        project.Write();
        var bundle = project.Pack(BundleFormat.Directory, "bundle").OutputPath!;
        var mit = Encoding.UTF8.GetBytes("MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n");
        File.WriteAllBytes(Path.Combine(bundle, "license"), mit);
        var manifestPath = Path.Combine(bundle, "modelgo-manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        manifest["files"]!.AsArray().Add(new JsonObject { ["path"] = "license", ["size"] = mit.Length, ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(mit)) });
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        var zip = Path.Combine(project.Scratch, "bundle.zip");
        Assert.Equal(0, ProcessRunner.Run("zip", bundle, "-qr", zip, ".").ExitCode);
        Assert.Contains(" license", ProcessRunner.Run("unzip", null, "-l", zip).Output, StringComparison.Ordinal);

        foreach (var target in new[] { bundle, zip })
        {
            var extract = Path.Combine(project.Scratch, "extracted-" + Path.GetFileName(target));
            var (exit, stdout, _) = CliRunner.Run("verify", target, "--extract", extract, "--quiet");

            Assert.Equal(2, exit);
            var line = stdout.Split('\n').Single(l => l.Contains("error MGP9010", StringComparison.Ordinal));
            Assert.Contains("'LICENSE' and 'license'", line, StringComparison.Ordinal);
            Assert.DoesNotContain("compliant with", stdout, StringComparison.Ordinal);
            Assert.False(Path.Exists(extract));
        }
    }

    [Fact]
    public void Collisions_fold_case_and_normalization_and_find_a_file_used_as_a_folder()
    {
        var found = ProjectPath.Collisions(
        [
            "LICENSE", "license", "docs/caf\u00e9.md", "docs/cafe\u0301.md", "K.txt", "\u212A.txt", "Docs", "docs/x.md",
            "\u03c3.md", "\u03c2.md", "ok/a.md", "ok/b.md", "Straße.md", "STRASSE.md",
        ]).ToList();

        Assert.Equal(
        [
            "K.txt \u212A.txt: differ only in case or Unicode normalization",
            "LICENSE license: differ only in case or Unicode normalization",
            "docs/cafe\u0301.md docs/caf\u00e9.md: differ only in case or Unicode normalization",
            "\u03c2.md \u03c3.md: differ only in case or Unicode normalization",
            "Docs docs/caf\u00e9.md: name one path as a file and as a folder ('docs/')",
        ],
            found.Select(f => $"{string.Join(' ', f.Names)}: {f.Why}"));
    }

    [Theory]
    [InlineData("docs/a:b.md", "the character ':'")]
    [InlineData("docs/a*b.md", "the character '*'")]
    [InlineData("docs/a\"b.md", "the character '\"'")]
    [InlineData("docs/a|b.md", "the character '|'")]
    [InlineData("docs/a<b.md", "the character '<'")]
    public void Characters_Windows_forbids_are_refused_by_the_one_name_rule(string name, string why)
    {
        Assert.Contains(why, ProjectPath.UnsafeEntryName(name), StringComparison.Ordinal);
        Assert.Null(ProjectPath.UnsafeEntryName(name.Replace(why[^2], '_')));
    }

    [Fact]
    public void Path_and_name_lengths_are_counted_in_UTF_8_bytes_at_the_limits()
    {
        var name255 = new string('\u00e9', 127) + "a"; // 255 bytes of UTF-8 in 128 characters
        var path1024 = string.Join('/', Enumerable.Repeat(new string('a', 203), 5)) + "/" + new string('b', 4); // 1,024 bytes

        Assert.Null(ProjectPath.UnsafeEntryName("docs/" + name255));
        Assert.Contains("255", ProjectPath.UnsafeEntryName("docs/" + name255 + "a"), StringComparison.Ordinal);
        Assert.Equal(1024, Encoding.UTF8.GetByteCount(path1024));
        Assert.Null(ProjectPath.UnsafeEntryName(path1024));
        Assert.Contains("1,025 bytes", ProjectPath.UnsafeEntryName(path1024 + "b"), StringComparison.Ordinal);
    }
}

using System.Buffers.Binary;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using ModelGoPack.Diagnostics;
using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// The hostile-input corpus: each case ends in its coded diagnostic and exit 1 or 2, through the command
/// line a user runs, never a stack trace or MGP8099, and leaves the project as it was.
/// </summary>
public sealed class HostileInputTests
{
    private static readonly Dictionary<string, (DiagnosticDescriptor Code, Func<ModelProjectBuilder, string[]> Arrange)> Cases = new(StringComparer.Ordinal)
    {
        // modelgo.json
        ["config truncated"] = (DiagnosticCatalog.ConfigMalformed, p => Config(p, "{\"name\": \"m\",")),
        ["config is an array"] = (DiagnosticCatalog.ConfigWrongType, p => Config(p, "[]")),
        ["config nested 50,000 deep"] = (DiagnosticCatalog.ConfigMalformed, p => Config(p, "{\"name\":" + new string('[', 50_000) + new string(']', 50_000) + "}")),
        ["config with trailing garbage"] = (DiagnosticCatalog.ConfigMalformed, p => Config(p, p.Config.ToJsonString() + " xyz")),
        ["config unknown key"] = (DiagnosticCatalog.ConfigUnknownKey, p => Edit(p, c => c["copyrights"] = "x")),
        ["config version is a number"] = (DiagnosticCatalog.ConfigWrongType, p => Edit(p, c => c["version"] = 1)),
        ["config name is null"] = (DiagnosticCatalog.ConfigWrongType, p => Config(p, p.Config.ToJsonString().Replace("\"name\":\"tiny-model\"", "\"name\":null", StringComparison.Ordinal))),
        ["config not UTF-8"] = (DiagnosticCatalog.ConfigMalformed, p => ConfigBytes(p, [.. "{\"name\":\""u8, 0xFF, 0xFE, .. "\"}"u8])),
        ["config lone surrogate"] = (DiagnosticCatalog.ConfigInvalidValue, p => Config(p, p.Config.ToJsonString().Replace("tiny-model", "tiny\\ud800", StringComparison.Ordinal))),
        ["config control character"] = (DiagnosticCatalog.ConfigInvalidValue, p => Config(p, p.Config.ToJsonString().Replace("tiny-model", "tiny\\u0007", StringComparison.Ordinal))),
        ["config U+202E in copyright"] = (DiagnosticCatalog.BidiControl, p => Edit(p, c => c["copyright"] = new JsonArray("Copyright 2026 \u202Ebal elpmaxE"))),
        ["config escaped U+202E in upstream"] = (DiagnosticCatalog.BidiControl, p => Config(p, Upstream(p).Config.ToJsonString().Replace("Teacher", "Tea\\u202Echer", StringComparison.Ordinal))),
        ["config U+2066 in a modification"] = (DiagnosticCatalog.BidiControl, p => { Upstream(p).Modification("2026-05-01", "Fine-tuned \u2066quietly\u2069"); return Check(p); }),
        ["config two upstreams with one name"] = (DiagnosticCatalog.DuplicateUpstream, p => { Upstream(p); return Check(Upstream(p)); }),
        ["config waiver without justification"] = (DiagnosticCatalog.WaiverWithoutJustification, p => Edit(p, c => c["waivers"] = new JsonArray(new JsonObject { ["code"] = "MGP5001" }))),
        ["config notice path escapes the project"] = (DiagnosticCatalog.ConfigInvalidValue, p => Notice(p, "../../../../etc/passwd")),
        ["config notice path is absolute"] = (DiagnosticCatalog.ConfigInvalidValue, p => Notice(p, "/etc/passwd")),
        ["config notice path longer than the OS allows"] = (DiagnosticCatalog.UpstreamNoticeMissing, p => Notice(p, string.Join('/', Enumerable.Repeat(new string('a', 250), 20)))),
        ["config release date impossible"] = (DiagnosticCatalog.ConfigInvalidValue, p => Edit(p, c => c["releaseDate"] = "2026-02-30")),
        ["config upstream release date impossible"] = (DiagnosticCatalog.ConfigInvalidValue, p => { Upstream(p); return Edit(p, c => c["upstream"]![0]!["releaseDate"] = "2026-13-01"); }),
        ["upstream manifest is an array"] = (DiagnosticCatalog.UpstreamReleaseUnreadable, p => UpstreamManifest(p, "[]")),
        ["upstream manifest is a string"] = (DiagnosticCatalog.UpstreamReleaseUnreadable, p => UpstreamManifest(p, "\"files\"")),

        // The project's files
        ["notice file with U+202E"] = (DiagnosticCatalog.BidiControl, p => { Upstream(p).File("upstream/Teacher/NOTICE", "Teacher\nCopyright 2025 \u202EsbaL rehcaeT\n"); return Check(p); }),
        ["file name with U+202E"] = (DiagnosticCatalog.BidiControl, p => { p.File("docs/readme\u202Etxt.exe", "x"); return Check(p); }),
        ["two files differ only in case"] = (DiagnosticCatalog.CaseCollision, p => { p.File("docs/Notes.md", "a").File("docs/notes.md", "b"); return Check(p); }),
        ["symlink to a file outside"] = (DiagnosticCatalog.SymlinkRejected, p => { File.CreateSymbolicLink(Path.Combine(p.Root, "passwd"), "/etc/passwd"); return Check(p); }),
        ["symlink to a folder outside"] = (DiagnosticCatalog.SymlinkRejected, p => { Directory.CreateSymbolicLink(Path.Combine(p.Root, "etc"), "/etc"); return Check(p); }),
        ["file name not UTF-8"] = (DiagnosticCatalog.FileUnreadable, p => { NonUtf8File(p); return Check(p); }),
        ["named pipe"] = (DiagnosticCatalog.FileUnreadable, p => { ProcessRunner.Run("mkfifo", null, Path.Combine(p.Root, "pipe.bin")); return Check(p); }),
        ["generated name used as a folder"] = (DiagnosticCatalog.ReservedBundlePath, p => { p.File("LICENSE/x.txt", "x"); return Check(p); }),
        ["output is the project itself"] = (DiagnosticCatalog.OutputNotABundle, p => { p.Write(); return ["pack", p.Root, "--output", p.Root, "--no-cache", "--quiet"]; }),

        // Weight headers
        ["safetensors header length 2^63"] = (DiagnosticCatalog.WeightHeaderInvalid, p => Weight(p, "w.safetensors", [.. BitConverter.GetBytes(1UL << 63), .. "{}"u8])),
        ["safetensors offsets past the end"] = (DiagnosticCatalog.WeightHeaderInvalid, p => Weight(p, "w.safetensors", Fuzz("safetensors", "offsets-past-end.bin"))),
        ["safetensors header not UTF-8"] = (DiagnosticCatalog.WeightHeaderInvalid, p => Weight(p, "w.safetensors", Fuzz("safetensors", "invalid-utf8-in-name.bin"))),
        ["GGUF tensor count 2^62"] = (DiagnosticCatalog.WeightHeaderInvalid, p => Weight(p, "w.gguf", Fuzz("gguf", "counts-2-pow-62.bin"))),
        ["GGUF key length 2^62"] = (DiagnosticCatalog.WeightHeaderInvalid, p => Weight(p, "w.gguf", Fuzz("gguf", "key-length-2-pow-62.bin"))),
        ["ONNX field length 2^62"] = (DiagnosticCatalog.WeightHeaderInvalid, p => Weight(p, "w.onnx", Fuzz("onnx", "length-2-pow-62.bin"))),
        ["pickle string length 2^31"] = (DiagnosticCatalog.WeightHeaderInvalid, p => Weight(p, "w.bin", Fuzz("pytorch", "binunicode-length-2-pow-31.bin"))),
        ["pickle tensor of size (2, -3)"] = (DiagnosticCatalog.WeightHeaderInvalid, p => { PyTorchZip.WriteRaw(Path.Combine(p.Root, "w.bin"), NegativeSizePickle()); return Check(p); }),
        ["safetensors tensor name given twice"] = (DiagnosticCatalog.WeightHeaderInvalid, p => RepeatedTensorName(p)),

        // An upstream's release
        ["upstream manifest lists ../../etc/passwd"] = (DiagnosticCatalog.UpstreamReleaseUnreadable, p => UpstreamManifest(p, """{"files":[{"path":"../../etc/passwd","size":1,"sha256":"00"}]}""")),
        ["upstream manifest not JSON"] = (DiagnosticCatalog.UpstreamReleaseUnreadable, p => UpstreamManifest(p, "{\"files\": [")),
        ["upstream bundle zip bomb"] = (DiagnosticCatalog.UpstreamReleaseUnreadable, p => UpstreamBomb(p)),

        // Received bundles (verify)
        ["bundle zip entry ../x"] = (DiagnosticCatalog.ArchiveEntryUnsafe, p => ZipWith(p, "../x")),
        ["bundle zip entry /etc/x"] = (DiagnosticCatalog.ArchiveEntryUnsafe, p => ZipWith(p, "/etc/x")),
        ["bundle manifest lists ../../etc/passwd"] = (DiagnosticCatalog.BundleManifestInvalid, p => FolderManifest(p, """{"files":[{"path":"../../etc/passwd","size":1,"sha256":"0000000000000000000000000000000000000000000000000000000000000000"}]}""")),
        ["bundle manifest over 256 MiB"] = (DiagnosticCatalog.BundleManifestInvalid, p => HugeManifest(p)),
        ["bundle zip bomb under a small listed size"] = (DiagnosticCatalog.BundleFileAltered, p => ZipBomb(p)),
        ["bundle tar.gz with a symbolic link"] = (DiagnosticCatalog.BundleFileUnlisted, p => TarWith(p, new GnuTarEntry(TarEntryType.SymbolicLink, "evil") { LinkName = "/etc/passwd" })),
        ["bundle tar.gz with a hard link"] = (DiagnosticCatalog.BundleFileUnlisted, p => TarWith(p, new GnuTarEntry(TarEntryType.HardLink, "evil") { LinkName = "../../etc/passwd" })),
        ["bundle zip entry NUL"] = (DiagnosticCatalog.ArchiveEntryUnsafe, p => ZipWith(p, "NUL")),
        ["bundle zip entry docs/com1.txt"] = (DiagnosticCatalog.ArchiveEntryUnsafe, p => ZipWith(p, "docs/com1.txt")),
        ["bundle zip entry with backslashes"] = (DiagnosticCatalog.ArchiveEntryUnsafe, p => ZipWith(p, "docs\\..\\..\\x")),
        ["bundle zip entry with a control character"] = (DiagnosticCatalog.ArchiveEntryUnsafe, p => ZipWith(p, "docs/a\u0001b")),
        ["bundle zip entry that is a symbolic link"] = (DiagnosticCatalog.BundleFileUnlisted, p => ZipWith(p, "docs/link", 0xA1FF)),
        ["bundle tar.gz entry ../x"] = (DiagnosticCatalog.ArchiveEntryUnsafe, p => TarWith(p, new GnuTarEntry(TarEntryType.RegularFile, "../x") { DataStream = new MemoryStream("x"u8.ToArray()) })),
        ["bundle tar.gz with a device"] = (DiagnosticCatalog.BundleFileUnlisted, p => TarWith(p, new GnuTarEntry(TarEntryType.BlockDevice, "sda") { DeviceMajor = 8 })),
        ["bundle tar.gz with a named pipe"] = (DiagnosticCatalog.BundleFileUnlisted, p => TarWith(p, new GnuTarEntry(TarEntryType.Fifo, "pipe"))),
        ["bundle manifest declares U+202E in an upstream"] = (DiagnosticCatalog.BundleManifestInvalid, p => Declared(p, u => u["name"] = "Teacher\u202E")),
        ["bundle manifest declares relation 'weird'"] = (DiagnosticCatalog.BundleManifestInvalid, p => Declared(p, u => u["relation"] = "weird")),
        ["bundle NOTICE without the Output statement"] = (DiagnosticCatalog.NoticeLacksExtraction, p => NoticeRewritten(p, n => n.Replace("Output", "work", StringComparison.Ordinal))),
        ["bundle without LICENSE or manifest"] = (DiagnosticCatalog.LicenseCopyMissing, p => Stripped(p, "LICENSE", "modelgo-manifest.json")),
        ["nupkg beside a bundle with another manifest"] = (DiagnosticCatalog.PackageBundleMismatch, p => PackageWithOtherBundle(p)),
        ["verify --extract into an existing folder"] = (DiagnosticCatalog.ExtractTargetExists, p => ["verify", Packed(p, BundleFormat.Zip), "--extract", p.Scratch, "--quiet"]),
        ["bundle tar.gz with an empty manifest"] = (DiagnosticCatalog.BundleManifestInvalid, p => TarWith(p, new GnuTarEntry(TarEntryType.RegularFile, "evil.sh") { DataStream = new MemoryStream("rm -rf ~\n"u8.ToArray()) }, manifest: "")),
        ["bundle tar.gz with two manifests"] = (DiagnosticCatalog.BundleFileUnlisted, p => TarWith(p, new GnuTarEntry(TarEntryType.RegularFile, "modelgo-manifest.json") { DataStream = new MemoryStream("{\"files\":[]}"u8.ToArray()) })),
        ["bundle tar.gz with a 3 GiB long name"] = (DiagnosticCatalog.BundleUnreadable, p => Scratch(p, "longname.tar.gz", LongNameTar())),
        ["bundle manifest with a key given twice"] = (DiagnosticCatalog.BundleManifestInvalid, p => DeclaredText(p, t => t.Replace("\"upstream\": [", "\"name\": \"again\", \"upstream\": [", StringComparison.Ordinal))),
        ["bundle manifest with an unknown key"] = (DiagnosticCatalog.BundleManifestInvalid, p => Declared(p, u => u["colour"] = 1)),
        ["bundle manifest naming an upstream's git release"] = (DiagnosticCatalog.BundleManifestInvalid, p => Declared(p, u => u["git"] = "whatever")),
        ["bundle folder with a linked folder"] = (DiagnosticCatalog.BundleFileUnlisted, p => LinkedFolder(p)),
        ["bundle zip with a file that is also a folder"] = (DiagnosticCatalog.ArchiveEntryUnsafe, p => ZipWith(p, "config.json/x")),
        ["bundle NOTICE with U+202E"] = (DiagnosticCatalog.BidiControl, p => NoticeRewritten(p, n => n + "\u202Eevil\n")),
        ["bundle zip entry name with U+202E"] = (DiagnosticCatalog.BidiControl, p => ZipWith(p, "run\u202Etxt.py", withoutManifest: true)),
        ["verify --bundle for something not a package"] = (DiagnosticCatalog.PackageBundleMismatch, p => ["verify", Packed(p, BundleFormat.Zip), "--bundle", Packed(p, BundleFormat.TarGz), "--quiet"]),
        ["verify --bundle naming the package itself"] = (DiagnosticCatalog.PackageBundleMismatch, p => PackageAsItsOwnBundle(p)),
        ["file named docs/aux.md"] = (DiagnosticCatalog.FileNameNotPortable, p => { p.File("docs/aux.md", "x\n"); return Check(p); }),
        ["file name ending in a dot"] = (DiagnosticCatalog.FileNameNotPortable, p => { p.File("docs/trail.", "x\n"); return Check(p); }),
        ["file named docs/a:b.md"] = (DiagnosticCatalog.FileNameNotPortable, p => { p.File("docs/a:b.md", "x\n"); return Check(p); }),
        ["file name with a question mark"] = (DiagnosticCatalog.FileNameNotPortable, p => { p.File("docs/why?.md", "x\n"); return Check(p); }),
        ["file path of 1,100 bytes"] = (DiagnosticCatalog.FileNameNotPortable, p => { p.File(string.Join('/', Enumerable.Repeat(new string('d', 200), 5)) + "/" + new string('f', 95), "x\n"); return Check(p); }),
        ["two files differ in Unicode normalization"] = (DiagnosticCatalog.CaseCollision, p => { p.File("docs/caf\u00e9.md", "a").File("docs/cafe\u0301.md", "b"); return Check(p); }),
        ["two files differ by the Kelvin sign"] = (DiagnosticCatalog.CaseCollision, p => { p.File("docs/K.md", "a").File("docs/\u212A.md", "b"); return Check(p); }),
        ["a file and a folder of one folded name"] = (DiagnosticCatalog.CaseCollision, p => { p.File("Docs", "a").File("docs/x.md", "b"); return Check(p); }),
        ["file readme.md where the bundle's README.md goes"] = (DiagnosticCatalog.CaseCollision, p => { File.Delete(Path.Combine(p.Root, "README.md")); p.File("readme.md", "a"); return Check(p); }),
        ["bundle zip with LICENSE and license"] = (DiagnosticCatalog.ArchiveEntryUnsafe, p => ZipWith(p, "license")),
        ["bundle zip with cafe in NFC and NFD"] = (DiagnosticCatalog.ArchiveEntryUnsafe, p => { p.File("docs/caf\u00e9.md", "a"); return ZipWith(p, "docs/cafe\u0301.md"); }),
        ["bundle zip with K and the Kelvin sign"] = (DiagnosticCatalog.ArchiveEntryUnsafe, p => { p.File("docs/K.md", "a"); return ZipWith(p, "docs/\u212A.md"); }),
        ["bundle zip with a file and a folder of one folded name"] = (DiagnosticCatalog.ArchiveEntryUnsafe, p => ZipWith(p, "CONFIG.JSON/x")),
        ["bundle zip entry with a colon"] = (DiagnosticCatalog.ArchiveEntryUnsafe, p => ZipWith(p, "docs/a:b.md")),
        ["bundle zip entry of 1,100 bytes"] = (DiagnosticCatalog.ArchiveEntryUnsafe, p => ZipWith(p, string.Join('/', Enumerable.Repeat(new string('d', 200), 5)) + "/" + new string('f', 95))),
        ["bundle zip entry with a name of 256 bytes"] = (DiagnosticCatalog.ArchiveEntryUnsafe, p => ZipWith(p, "docs/" + new string('n', 256))),
        ["bundle zip with a hidden local entry"] = (DiagnosticCatalog.BundleUnreadable, p => ZipEdited(p, z => ZipSurgery.HideLocalEntry(z, "evil.sh", "rm -rf ~\n"u8.ToArray()))),
        ["bundle zip with a second model.safetensors hidden"] = (DiagnosticCatalog.BundleUnreadable, p => ZipEdited(p, z => ZipSurgery.HideLocalEntry(z, "model.safetensors", "other"u8.ToArray()))),
        ["bundle zip whose local name differs from the central one"] = (DiagnosticCatalog.ArchiveEntryUnsafe, p => ZipEdited(p, z => ZipSurgery.RenameLocal(z, "config.json", "../../x.cfg"))),
        ["bundle zip entry with the encryption flag"] = (DiagnosticCatalog.BundleUnreadable, p => ZipEdited(p, z => ZipSurgery.SetEncrypted(z, "README.md"))),
        ["bundle zip with an entry hidden after a deflate stream that ends early"] = (DiagnosticCatalog.BundleFileAltered, p => ZipEdited(p, z => RawZip.HideAfterDeflate(z, "README.md", new RawZip.Entry("evil.sh", "rm -rf ~\n"u8.ToArray()) { Method = 0 }))),
        ["bundle zip with a descriptor narrower than its local Zip64 field"] = (DiagnosticCatalog.BundleUnreadable, p => ZipEdited(p, z => RawZip.NarrowDescriptor(z, "LICENSE", "NOTICE", new RawZip.Entry("evil.sh", "rm -rf ~\n"u8.ToArray()) { Method = 0 }))),
        ["bundle zip with an entry hidden in a folder entry's data"] = (DiagnosticCatalog.BundleUnreadable, p => ZipEdited(p, z => RawZip.HideInFolderEntry(z, "docs/", new RawZip.Entry("evil.sh", "rm -rf ~\n"u8.ToArray()) { Method = 0 }))),
        ["bundle zip with an end record signature inside its end record"] = (DiagnosticCatalog.BundleUnreadable, p => ZipEdited(p, RawZip.OverlapEndRecord)),
        ["bundle zip whose classic and Zip64 end records disagree"] = (DiagnosticCatalog.BundleUnreadable, p => ZipEdited(p, z => RawZip.SplitEndRecords(z, "config.json", "{}"u8.ToArray()))),
        ["bundle zip with bytes after its end record"] = (DiagnosticCatalog.BundleUnreadable, p => ZipEdited(p, z => File.AppendAllText(z, "trailing"))),
        ["bundle is random bytes"] = (DiagnosticCatalog.BundleUnreadable, p => Scratch(p, "random.zip", [0x13, 0x37, 0x00, 0xFF])),
        ["bundle zip truncated"] = (DiagnosticCatalog.BundleUnreadable, p => Scratch(p, "cut.zip", [.. "PK\u0003\u0004"u8, 20, 0, 0])),
        ["bundle gzip of garbage"] = (DiagnosticCatalog.BundleUnreadable, p => Scratch(p, "bad.tar.gz", [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xde, 0xad, 0xbe, 0xef])),
    };

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Fact]
    public void Corpus_has_at_least_40_cases() => Assert.True(Cases.Count >= 40, $"{Cases.Count} cases");

    [Fact]
    public void A_tar_gz_gzip_bomb_is_MGP9007_once_it_expands_past_the_allowance()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var args = TarWith(project, new GnuTarEntry(TarEntryType.RegularFile, "zeros.bin") { DataStream = new ZeroStream(2L << 30) }, CompressionLevel.SmallestSize);

        // 16 GiB in use; 1 GiB here, so that the test makes 2 GiB of zeros rather than 17. A pack's own
        // tar.gz of the same zeros as text stays under the real allowance.
        var allowance = Verification.BundleVerifier.GzipAllowance;
        Verification.BundleVerifier.GzipAllowance = 1L << 30;
        try
        {
            var (exit, stdout, _) = CliRunner.Run(args);

            Assert.Equal(2, exit);
            Assert.Contains("error MGP9007", stdout, StringComparison.Ordinal);
            Assert.Contains("a gzip bomb", stdout, StringComparison.Ordinal);
            Assert.False(Path.Exists(Path.Combine(project.Scratch, "never")));
        }
        finally
        {
            Verification.BundleVerifier.GzipAllowance = allowance;
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Hostile_input_ends_in_its_code_and_exit_1_or_2(string name)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var (code, arrange) = Cases[name];
        var args = arrange(project);
        var before = project.Snapshot(hashUpTo: 16 << 20);

        var (exit, stdout, stderr) = CliRunner.Run(args);

        var printed = stdout + stderr;
        Assert.True(exit is 1 or 2, $"exit {exit}: {printed}");
        Assert.True(printed.Contains($"error {code.Code}", StringComparison.Ordinal), $"expected {code.Code}: {printed}");
        Assert.Equal(code.Kind == DiagnosticKind.Input ? 2 : 1, exit);
        Assert.DoesNotContain("MGP8099", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", printed, StringComparison.Ordinal);
        Assert.Equal(before, project.Snapshot(hashUpTo: 16 << 20));
        Assert.False(Path.Exists(Path.Combine(project.Scratch, "never")), "--extract wrote a bundle that did not verify");
    }

    private static string[] Check(ModelProjectBuilder p)
    {
        p.Write();
        return ["check", p.Root, "--no-cache", "--quiet"];
    }

    private static string[] Config(ModelProjectBuilder p, string text) => ConfigBytes(p, Encoding.UTF8.GetBytes(text));

    private static string[] ConfigBytes(ModelProjectBuilder p, byte[] bytes)
    {
        File.WriteAllBytes(Path.Combine(p.Root, "modelgo.json"), bytes);
        return ["check", p.Root, "--no-cache", "--quiet"];
    }

    private static string[] Edit(ModelProjectBuilder p, Action<JsonObject> edit)
    {
        edit(p.Config);
        return Check(p);
    }

    private static ModelProjectBuilder Upstream(ModelProjectBuilder p) => p.Upstream("Teacher", "extracted", "distillation");

    private static string[] Notice(ModelProjectBuilder p, string path)
    {
        Upstream(p);
        ((JsonObject)p.Config["upstream"]![0]!)["notices"] = new JsonArray(path);
        return Check(p);
    }

    private static string[] Weight(ModelProjectBuilder p, string name, byte[] bytes)
    {
        p.Bytes(name, bytes);
        return Check(p);
    }

    // {"w.weight": _rebuild_tensor_v2(('storage', torch.FloatStorage, '0', 'cpu', 4), 0, (2, -3), (1, 1), False, None)}
    private static byte[] NegativeSizePickle()
    {
        var p = new PyTorchZip.Pickler();
        p.Proto();
        p.Op(PyTorchZip.Pickler.EmptyDict);
        p.Str("w.weight");
        p.Global("torch._utils", "_rebuild_tensor_v2");
        p.Op(PyTorchZip.Pickler.Mark);
        p.Op(PyTorchZip.Pickler.Mark);
        p.Str("storage");
        p.Global("torch", "FloatStorage");
        p.Str("0");
        p.Str("cpu");
        p.SaveInt(4);
        p.Op(PyTorchZip.Pickler.Tuple);
        p.Op(PyTorchZip.Pickler.BinPersid);
        p.SaveInt(0);
        p.IntTuple([2, -3]);
        p.IntTuple([1, 1]);
        p.Op(PyTorchZip.Pickler.NewFalse);
        p.Op(PyTorchZip.Pickler.None);
        p.Op(PyTorchZip.Pickler.Tuple);
        p.Op(PyTorchZip.Pickler.Reduce);
        p.Op(PyTorchZip.Pickler.SetItem);
        p.Op(PyTorchZip.Pickler.Stop);
        return p.ToArray();
    }

    // Two tensors of one name whose offsets tile the data: only the repeated name is wrong.
    private static string[] RepeatedTensorName(ModelProjectBuilder p)
    {
        const string header = """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""";
        Safetensors.WriteRaw(Path.Combine(p.Root, "w.safetensors"), (ulong)header.Length, header, 16);
        return Check(p);
    }

    private static byte[] Fuzz(string target, string file) =>
        File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "tests", "ModelGoPack.Tests", "Fixtures", "fuzz", target, file));

    private static void NonUtf8File(ModelProjectBuilder p)
    {
        // "n\xe9.txt": Latin-1, not UTF-8; .NET cannot make such a name, bash can.
        ProcessRunner.Run("bash", null, "-c", "printf x > \"$0\"/$'n\\xe9.txt'", p.Root);
        Assert.NotEmpty(Directory.GetFiles(p.Root, "n*.txt"));
    }

    private static string[] UpstreamManifest(ModelProjectBuilder p, string manifest)
    {
        Upstream(p).File("upstream/Teacher/modelgo-manifest.json", manifest);
        ((JsonObject)p.Config["upstream"]![0]!)["relation"] = "derivative";
        ((JsonObject)p.Config["upstream"]![0]!).Remove("method");
        ((JsonObject)p.Config["upstream"]![0]!)["manifest"] = "upstream/Teacher/modelgo-manifest.json";
        p.Modification("2026-05-01", "Fine-tuned", "model.safetensors");
        return Check(p);
    }

    private static string[] UpstreamBomb(ModelProjectBuilder p)
    {
        Upstream(p);
        var path = Path.Combine(p.Root, "upstream", "Teacher", "bundle.zip");
        using (var archive = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var stream = archive.CreateEntry("modelgo-manifest.json", CompressionLevel.SmallestSize).Open();
            stream.Write("{\"files\":[],\"x\":\""u8);
            var zeros = new byte[1 << 20];
            Array.Fill(zeros, (byte)'0');
            for (var i = 0; i < 80; i++)
            {
                stream.Write(zeros);
            }
        }

        var upstream = (JsonObject)p.Config["upstream"]![0]!;
        upstream["relation"] = "derivative";
        upstream.Remove("method");
        upstream["bundle"] = "upstream/Teacher/bundle.zip";
        p.Modification("2026-05-01", "Fine-tuned", "model.safetensors");
        return Check(p);
    }

    private static string Packed(ModelProjectBuilder p, BundleFormat format) => p.Pack(format, "bundle" + ModelGoPackEngine.Extension(format)).OutputPath!;

    // A package named as `dotnet pack` names it, holding a nuspec and these files of a folder bundle of the project.
    private static string Package(ModelProjectBuilder p, params string[] files)
    {
        var folder = Packed(p, BundleFormat.Directory);
        var package = Path.Combine(p.Scratch, "tiny-model.1.0.0.nupkg");
        using var archive = ZipFile.Open(package, ZipArchiveMode.Create);
        using (var nuspec = new StreamWriter(archive.CreateEntry("tiny-model.nuspec").Open()))
        {
            nuspec.Write($"<?xml version=\"1.0\"?><package><metadata><id>tiny-model</id><version>1.0.0</version><authors>a</authors><description>d</description>{ModelPackage.LicenseFile}</metadata></package>");
        }

        foreach (var file in files)
        {
            archive.CreateEntryFromFile(Path.Combine(folder, file), file);
        }

        return package;
    }

    private static string[] ZipWith(ModelProjectBuilder p, string entryName, int unixMode = 0x81A4, bool withoutManifest = false)
    {
        var bundle = Packed(p, BundleFormat.Zip);
        using (var archive = ZipFile.Open(bundle, ZipArchiveMode.Update))
        {
            if (withoutManifest)
            {
                archive.GetEntry("modelgo-manifest.json")!.Delete();
            }

            var entry = archive.CreateEntry(entryName);
            entry.ExternalAttributes = unixMode << 16;
            using var stream = entry.Open();
            stream.Write("escape"u8);
        }

        // An integrity failure writes nothing, even when asked to extract; a bundle without a manifest is not one.
        return withoutManifest ? ["verify", bundle, "--quiet"] : ["verify", bundle, "--quiet", "--extract", Path.Combine(p.Scratch, "never")];
    }

    // A packed zip edited as an attacker would; --extract must write nothing.
    private static string[] ZipEdited(ModelProjectBuilder p, Action<string> edit)
    {
        var bundle = Packed(p, BundleFormat.Zip);
        edit(bundle);
        return ["verify", bundle, "--quiet", "--extract", Path.Combine(p.Scratch, "never")];
    }

    // A folder bundle of a project with an extracted upstream, whose manifest's first upstream is edited.
    private static string[] Declared(ModelProjectBuilder p, Action<JsonObject> edit)
    {
        Upstream(p).Write();
        var bundle = Packed(p, BundleFormat.Directory);
        var path = Path.Combine(bundle, "modelgo-manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(manifest["upstream"]![0]!.AsObject());
        File.WriteAllText(path, manifest.ToJsonString());
        return ["verify", bundle, "--quiet"];
    }

    // A folder bundle whose NOTICE was rewritten, and the manifest made to match: intact, but not compliant.
    private static string[] NoticeRewritten(ModelProjectBuilder p, Func<string, string> rewrite)
    {
        Upstream(p).Write();
        var bundle = Packed(p, BundleFormat.Directory);
        var notice = Encoding.UTF8.GetBytes(rewrite(File.ReadAllText(Path.Combine(bundle, "NOTICE"))));
        File.WriteAllBytes(Path.Combine(bundle, "NOTICE"), notice);
        var path = Path.Combine(bundle, "modelgo-manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var entry = manifest["files"]!.AsArray().OfType<JsonObject>().Single(f => (string?)f["path"] == "NOTICE");
        entry["size"] = notice.Length;
        entry["sha256"] = Bundle.Sha256(notice);
        File.WriteAllText(path, manifest.ToJsonString());
        return ["verify", bundle, "--quiet"];
    }

    private static string[] Stripped(ModelProjectBuilder p, params string[] files)
    {
        var bundle = Packed(p, BundleFormat.Directory);
        foreach (var file in files)
        {
            File.Delete(Path.Combine(bundle, file));
        }

        return ["verify", bundle, "--quiet"];
    }

    // A package holding a bundle's manifest, beside a bundle of another version under the package's bundle name.
    private static string[] PackageWithOtherBundle(ModelProjectBuilder p)
    {
        var package = Package(p, "modelgo-manifest.json", "LICENSE");
        p.File("docs/extra.md", "changed\n").Write();
        ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = p.Root }, Path.Combine(p.Scratch, "tiny-model.1.0.0.zip"), BundleFormat.Zip);
        return ["verify", package, "--quiet"];
    }

    private static string[] ZipBomb(ModelProjectBuilder p)
    {
        var bundle = Packed(p, BundleFormat.Zip);
        using (var archive = ZipFile.Open(bundle, ZipArchiveMode.Update))
        {
            archive.GetEntry("config.json")!.Delete();
            using var stream = archive.CreateEntry("config.json", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 256; i++)
            {
                stream.Write(zeros);
            }
        }

        return ["verify", bundle, "--quiet"];
    }

    private static string[] FolderManifest(ModelProjectBuilder p, string manifest)
    {
        var bundle = Packed(p, BundleFormat.Directory);
        File.WriteAllText(Path.Combine(bundle, "modelgo-manifest.json"), manifest);
        return ["verify", bundle, "--quiet"];
    }

    // A manifest one byte over the limit pack and verify share, written without holding it in memory.
    private static string[] HugeManifest(ModelProjectBuilder p)
    {
        var bundle = Packed(p, BundleFormat.Directory);
        using var file = File.Create(Path.Combine(bundle, "modelgo-manifest.json"));
        file.Write("{\"files\":[],\"x\":\""u8);
        var block = new byte[1 << 20];
        Array.Fill(block, (byte)'x');
        for (var written = 0L; written < BundleLimits.MaxManifestBytes; written += block.Length)
        {
            file.Write(block);
        }

        file.Write("\"}"u8);
        return ["verify", bundle, "--quiet"];
    }

    private static string[] TarWith(ModelProjectBuilder p, TarEntry evil, CompressionLevel level = CompressionLevel.Fastest, string manifest = "{\"files\":[]}")
    {
        var bundle = Path.Combine(p.Scratch, "evil.tar.gz");
        using (var file = File.Create(bundle))
        using (var gzip = new GZipStream(file, level))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Gnu))
        {
            writer.WriteEntry(evil);
            writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, "modelgo-manifest.json") { DataStream = manifest.Length == 0 ? null : new MemoryStream(Encoding.UTF8.GetBytes(manifest)) });
        }

        return ["verify", bundle, "--quiet", "--extract", Path.Combine(p.Scratch, "never")];
    }

    // A GNU long-name header whose size field says 3 GiB (base-256), then nothing.
    private static byte[] LongNameTar()
    {
        var header = new byte[512];
        Encoding.ASCII.GetBytes("././@LongLink").CopyTo(header, 0);
        Encoding.ASCII.GetBytes("0000644\0").CopyTo(header, 100);
        header[124] = 0x80;
        BinaryPrimitives.WriteInt64BigEndian(header.AsSpan(128), 3L << 30);
        header[156] = (byte)'L';
        Encoding.ASCII.GetBytes("ustar  \0").CopyTo(header, 257);
        TarHeader.SetChecksum(header);
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(header);
            gzip.Write(new byte[4096]);
        }

        return buffer.ToArray();
    }

    // A folder bundle with a symbolic link to a folder outside it, whose files must be neither read nor listed.
    private static string[] LinkedFolder(ModelProjectBuilder p)
    {
        var bundle = Packed(p, BundleFormat.Directory);
        var outside = Path.Combine(p.Scratch, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret.txt"), "secret\n");
        Directory.CreateSymbolicLink(Path.Combine(bundle, "docs"), outside);
        return ["verify", bundle, "--quiet"];
    }

    private static string[] DeclaredText(ModelProjectBuilder p, Func<string, string> edit)
    {
        Upstream(p).Write();
        var bundle = Packed(p, BundleFormat.Directory);
        var path = Path.Combine(bundle, "modelgo-manifest.json");
        File.WriteAllText(path, edit(File.ReadAllText(path)));
        return ["verify", bundle, "--quiet"];
    }

    private static string[] PackageAsItsOwnBundle(ModelProjectBuilder p)
    {
        var package = Package(p, "modelgo-manifest.json");
        return ["verify", package, "--bundle", package, "--quiet"];
    }

    private static string[] Scratch(ModelProjectBuilder p, string name, byte[] bytes)
    {
        var path = Path.Combine(p.Scratch, name);
        File.WriteAllBytes(path, bytes);
        return ["verify", path, "--quiet"];
    }

    /// <summary>A seekable stream of zeros, never held in memory.</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - this.Position);
            Array.Clear(buffer, offset, n);
            this.Position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => this.Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => this.Position + offset,
            _ => length + offset,
        };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

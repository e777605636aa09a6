using System.IO.Compression;
using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// verify reads a zip as every reader does, front to back and from its central directory, and refuses one that
/// readers see differently. Each hostile archive is built here, shown to fool another reader (unzip reads the
/// central directory; bsdtar from a pipe walks the local headers, as Java's ZipInputStream and streaming unzippers
/// do), and then refused by verify, which extracts nothing of it. Zips that other tools write still verify.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ZipStructureTests
{
    [Theory]
    [InlineData("evil.sh", "rm -rf ~\n")]
    [InlineData("model.safetensors", "other weights")]
    public void A_local_entry_the_central_directory_does_not_list_is_refused(string name, string data)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        ZipSurgery.HideLocalEntry(zip, name, System.Text.Encoding.UTF8.GetBytes(data));

        // The two kinds of reader disagree: unzip lists one model.safetensors and no evil.sh, bsdtar from a pipe both.
        var central = ProcessRunner.Run("unzip", null, "-Z1", zip).Output.Split('\n').Count(l => l == name);
        var streamed = Streamed(zip).Count(l => l == name);
        Assert.Equal(central + 1, streamed);

        var (exit, stdout, extracted) = VerifyAndExtract(project, zip);

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9007", stdout, StringComparison.Ordinal);
        Assert.Contains("belong to no entry", stdout, StringComparison.Ordinal);
        Assert.False(extracted);
    }

    [Fact]
    public void A_local_name_other_than_the_central_one_is_refused_as_unsafe()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        ZipSurgery.RenameLocal(zip, "config.json", "../../x.cfg");
        Assert.Contains("config.json", ProcessRunner.Run("unzip", null, "-Z1", zip).Output, StringComparison.Ordinal);
        Assert.Contains("../../x.cfg", Streamed(zip));

        var (exit, stdout, extracted) = VerifyAndExtract(project, zip);

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9010", stdout, StringComparison.Ordinal);
        Assert.Contains("the local header of 'config.json' names it '../../x.cfg'", stdout, StringComparison.Ordinal);
        Assert.False(extracted);
    }

    [Fact]
    public void An_entry_with_the_encryption_flag_is_refused()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        ZipSurgery.SetEncrypted(zip, "README.md");

        var (exit, stdout, extracted) = VerifyAndExtract(project, zip);

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9007", stdout, StringComparison.Ordinal);
        Assert.Contains("'README.md' is encrypted", stdout, StringComparison.Ordinal);
        Assert.False(extracted);
    }

    [Theory]
    [InlineData("prefix")]
    [InlineData("trailer")]
    [InlineData("gap")]
    public void Bytes_that_belong_to_no_record_are_refused(string where)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        var bytes = File.ReadAllBytes(zip);
        var junk = "MZ\u0090 not a zip record, but bytes an attacker put here"u8.ToArray();
        if (where == "prefix")
        {
            // A self-extracting stub: unzip finds the entries anyway, by the offsets it shifts.
            File.WriteAllBytes(zip, [.. junk, .. bytes]);
        }
        else if (where == "trailer")
        {
            File.WriteAllBytes(zip, [.. bytes, .. junk]);
        }
        else
        {
            ZipSurgery.InsertBeforeDirectory(zip, junk);
        }

        var (exit, stdout, extracted) = VerifyAndExtract(project, zip);

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9007", stdout, StringComparison.Ordinal);
        Assert.False(extracted);
    }

    [Fact]
    public void Damaged_data_whose_size_is_intact_is_damaged_by_its_CRC()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        ZipDamage.Corrupt(zip, "model.safetensors", 200, 204);

        var (exit, stdout, _) = CliRunner.Run("verify", zip, "--quiet");

        Assert.Equal(2, exit);
        Assert.Contains("'model.safetensors' cannot be read from the zip: damaged (CRC)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Deflated_data_that_ends_before_its_compressed_size_hides_nothing()
    {
        // README.md's deflate stream ends, then its data descriptor, then a whole local entry: all inside the compressed
        // size its central record gives. A streaming reader that extracts ends README.md where the deflate stream does,
        // and reads on: bsdtar writes the hidden model.safetensors over the first (bsdtar -t, which does not inflate,
        // skips by the sizes and lists one).
        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        RawZip.HideAfterDeflate(zip, "README.md", new RawZip.Entry("model.safetensors", "EVIL WEIGHTS\n"u8.ToArray()) { Method = 0 });
        var unpacked = StreamExtract(zip, project.Scratch);
        Assert.StartsWith("EVIL WEIGHTS", File.ReadAllText(Path.Combine(unpacked, "model.safetensors")), StringComparison.Ordinal);

        var (exit, stdout, extracted) = VerifyAndExtract(project, zip);

        Assert.Equal(2, exit);
        Assert.Contains("'README.md' cannot be read from the zip: damaged or hiding something: its deflated data ends before its compressed size", stdout, StringComparison.Ordinal);
        Assert.False(extracted);
    }

    [Fact]
    public void A_stored_entry_with_its_sizes_only_in_a_data_descriptor_is_refused()
    {
        // A streaming reader cannot tell where stored data ends without its size: libarchive scans for a descriptor,
        // and finds the one the attacker put first, then reads evil.sh from what follows.
        using var project = new ModelProjectBuilder();
        var scratch = project.Scratch;
        var visible = "visible text\n"u8.ToArray();
        var evil = new RawZip.Entry("evil.sh", "#!/bin/sh\necho pwned\n"u8.ToArray()) { Method = 0 };
        byte[] data = [.. visible, .. RawZip.Descriptor(Crc(visible), visible.Length, visible.Length), .. RawZip.LocalRecord(evil)];
        var notes = new RawZip.Entry("notes.txt", data) { Method = 0, Flags = 8, LocalSizes = false };
        var zip = Path.Combine(scratch, "stored.zip");
        RawZip.Write(zip, [notes with { Descriptor = RawZip.Descriptor(notes.Crc, data.Length, data.Length) }, new RawZip.Entry("other.txt", "other\n"u8.ToArray()) { Method = 0 }]);
        Assert.Contains("evil.sh", Streamed(zip));

        var (exit, stdout, extracted) = VerifyAndExtract(project, zip);

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9007", stdout, StringComparison.Ordinal);
        Assert.Contains("its stored entry 'notes.txt' has its sizes only after its data", stdout, StringComparison.Ordinal);
        Assert.False(extracted);
    }

    [Fact]
    public void A_data_descriptor_narrower_than_its_local_Zip64_field_says_is_refused()
    {
        // With a Zip64 field in the local header, the descriptor's sizes are 8 bytes each; this one's are 4. A reader that
        // takes 4 (libarchive) and one that takes 8 find the next local header at different places; the attacker put a
        // whole local entry in NOTICE's extra field, where the second kind lands.
        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        RawZip.NarrowDescriptor(zip, "LICENSE", "NOTICE", new RawZip.Entry("model.safetensors", "EVIL WEIGHTS\n"u8.ToArray()) { Method = 0 });

        var (exit, stdout, extracted) = VerifyAndExtract(project, zip);

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9007", stdout, StringComparison.Ordinal);
        Assert.Contains("the data descriptor of 'LICENSE' is missing or gives another CRC-32 or size", stdout, StringComparison.Ordinal);
        Assert.False(extracted);
    }

    [Fact]
    public void A_classic_end_record_that_points_at_another_directory_than_the_Zip64_one_is_refused()
    {
        // The Zip64 end record gives the honest directory; the classic one, another directory (inside the Zip64 record's
        // extensible data) whose model.safetensors is other bytes. unzip reads that one.
        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        RawZip.SplitEndRecords(zip, "model.safetensors", "EVIL WEIGHTS\n"u8.ToArray());
        var unzipped = ProcessRunner.Run("unzip", null, "-p", zip, "model.safetensors").Output;
        Assert.StartsWith("EVIL WEIGHTS", unzipped, StringComparison.Ordinal);

        var (exit, stdout, extracted) = VerifyAndExtract(project, zip);

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9007", stdout, StringComparison.Ordinal);
        Assert.Contains("its classic end record and its Zip64 end record describe different central directories", stdout, StringComparison.Ordinal);
        Assert.False(extracted);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(16)]
    public void A_symbolic_link_is_refused_whatever_host_wrote_it(int host)
    {
        // Info-ZIP unzip makes a link of an entry whose mode says so, from Atari ST (5) or BeOS (16) as from Unix (3).
        using var project = new ModelProjectBuilder();
        project.File("notes.txt", "notes\n").Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        var entries = RawZip.EntriesOf(zip).Select(e => e.Name == "notes.txt"
            ? e with { Data = "/etc/hostname"u8.ToArray(), MadeBy = (ushort)((host << 8) | 20), ExternalAttributes = 0xA1FFu << 16 }
            : e).ToList();
        RawZip.Write(zip, entries);
        var unpacked = Path.Combine(project.Scratch, "unzipped");
        ProcessRunner.Run("unzip", null, "-q", zip, "-d", unpacked);
        Assert.NotNull(new FileInfo(Path.Combine(unpacked, "notes.txt")).LinkTarget);

        var (exit, stdout, extracted) = VerifyAndExtract(project, zip);

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9005: 'notes.txt' is a symbolic link", stdout, StringComparison.Ordinal);
        Assert.False(extracted);
    }

    [Fact]
    public void The_name_rule_applies_to_the_folder_that_wraps_a_bundle()
    {
        // Every entry under ../: "one folder" that leaves the target. Java's ZipInputStream users write them there.
        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        RawZip.Write(zip, RawZip.EntriesOf(zip).Select(e => e with { Name = "../" + e.Name }).ToList());

        var (exit, stdout, extracted) = VerifyAndExtract(project, zip);

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9010: The entry '../LICENSE' is refused: it leaves the folder", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("files match", stdout, StringComparison.Ordinal);
        Assert.False(extracted);
    }

    [Fact]
    public void Deflated_data_without_a_final_block_is_refused()
    {
        // .NET's inflater reads such a stream to its end without a word; a streaming reader inflates on into what
        // follows (where an attacker puts a hidden entry), and unzip calls it damaged.
        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        RawZip.Write(zip, RawZip.EntriesOf(zip).Select(e => e.Name == "config.json" ? e with { Method = 8, Raw = RawZip.EndlessDeflate(e.Data) } : e).ToList());
        using (var archive = ZipFile.OpenRead(zip))
        using (var stream = archive.GetEntry("config.json")!.Open())
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            Assert.Equal(File.ReadAllBytes(Path.Combine(project.Root, "config.json")), copy.ToArray());
        }

        var (exit, stdout, extracted) = VerifyAndExtract(project, zip);

        Assert.Equal(2, exit);
        Assert.Contains("'config.json' cannot be read from the zip: damaged or hiding something: its deflated data has no final block", stdout, StringComparison.Ordinal);
        Assert.False(extracted);
    }

    [Fact]
    public void An_end_record_whose_comment_holds_another_end_record_is_refused()
    {
        // Readers take the last end record signature in the file; this one's comment holds a second end record (which
        // could point at a directory of other entries) and a byte after it, so that only a reader that requires the
        // comment to reach the end would skip it (a byte that is not zero: zeros after the end record are padding).
        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        var bytes = File.ReadAllBytes(zip);
        var end = bytes.AsSpan(bytes.Length - 22).ToArray();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(bytes.Length - 2), 23);
        File.WriteAllBytes(zip, [.. bytes, .. end, 1]);

        var (exit, stdout, extracted) = VerifyAndExtract(project, zip);

        Assert.Equal(2, exit);
        Assert.Contains("its end record's comment holds zip records", stdout, StringComparison.Ordinal);
        Assert.False(extracted);
    }

    [Fact]
    public void A_Unicode_Path_field_that_names_an_entry_otherwise_is_refused()
    {
        // unzip and libarchive write the name the Info-ZIP Unicode Path field gives (for a name not marked UTF-8).
        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        RawZip.Write(zip, RawZip.EntriesOf(zip).Select(e => e.Name == "README.md" ? e with { Utf8 = false, CentralExtra = RawZip.UnicodePath("README.md", "other.md"), LocalExtra = RawZip.UnicodePath("README.md", "other.md") } : e).ToList());
        Assert.Contains("other.md", ProcessRunner.Run("unzip", null, "-Z1", zip).Output.Split('\n'));

        var (exit, stdout, extracted) = VerifyAndExtract(project, zip);

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9010", stdout, StringComparison.Ordinal);
        Assert.Contains("'README.md' carries a Unicode Path field that names it otherwise", stdout, StringComparison.Ordinal);
        Assert.False(extracted);
    }

    [Fact]
    public void A_name_that_is_not_ASCII_must_be_marked_UTF_8()
    {
        // Unmarked, é.txt is é.txt to verify and ├⌐.txt to Python and Windows, which read the bytes as CP437.
        using var project = new ModelProjectBuilder();
        project.File("docs/é.txt", "text\n").Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        RawZip.Write(zip, RawZip.EntriesOf(zip).Select(e => e.Name == "docs/é.txt" ? e with { Utf8 = false } : e).ToList());

        var (exit, stdout, extracted) = VerifyAndExtract(project, zip);

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9010", stdout, StringComparison.Ordinal);
        Assert.Contains("the name of 'docs/é.txt' is not ASCII and not marked as UTF-8", stdout, StringComparison.Ordinal);
        Assert.False(extracted);
    }

    [Fact]
    public void An_end_record_signature_that_starts_inside_the_end_record_is_refused()
    {
        // A comment length of 0x4b50 reads "PK"; a comment that starts 05 06 completes an end record signature two bytes
        // before the comment, whose own fields could point at another directory. Readers that take the last signature take it.
        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        RawZip.OverlapEndRecord(zip);

        var (exit, stdout, extracted) = VerifyAndExtract(project, zip);

        Assert.Equal(2, exit);
        Assert.Contains("its end record's comment holds zip records", stdout, StringComparison.Ordinal);
        Assert.False(extracted);
    }

    [Theory]
    [InlineData("an entry hidden in its deflated data", "its entry 'docs/' cannot be read: damaged or hiding something")]
    [InlineData("data", "its entry 'docs/' is a folder entry with data")]
    public void A_folder_entry_is_read_to_its_end_and_must_be_empty(string what, string says)
    {
        // verify reads no file from a folder entry, but a streaming reader walks through its data like any other.
        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        if (what == "data")
        {
            RawZip.Write(zip, [new RawZip.Entry("docs/", "x"u8.ToArray()) { ExternalAttributes = (0x41EDu << 16) | 0x10 }, .. RawZip.EntriesOf(zip)]);
        }
        else
        {
            // An empty final deflate block, a descriptor that fits it, then a whole stored entry: all within the folder's data.
            RawZip.HideInFolderEntry(zip, "docs/", new RawZip.Entry("sitecustomize.py", "import os\n"u8.ToArray()) { Method = 0 });
            Assert.Contains("sitecustomize.py", StreamExtracted(zip, project.Scratch));
        }

        var (exit, stdout, extracted) = VerifyAndExtract(project, zip);

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9007", stdout, StringComparison.Ordinal);
        Assert.Contains(says, stdout, StringComparison.Ordinal);
        Assert.False(extracted);
    }

    [Fact]
    public void A_name_marked_UTF_8_that_is_not_UTF_8_is_refused()
    {
        // unzip drops the byte (config\xff.json is config.json to it), Python and Java refuse the name, libarchive skips it.
        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        RawZip.Write(zip, [.. RawZip.EntriesOf(zip), new RawZip.Entry("config?.json", "{}"u8.ToArray()) { RawName = [.. "config"u8, 0xFF, .. ".json"u8] }]);

        var (exit, stdout, extracted) = VerifyAndExtract(project, zip);

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9010", stdout, StringComparison.Ordinal);
        Assert.Contains("an entry's name is not valid UTF-8", stdout, StringComparison.Ordinal);
        Assert.False(extracted);
    }

    [Fact]
    public void A_zip_with_names_that_are_not_ASCII_verifies()
    {
        // The manifest's last bytes reach the reader a few at a time: a character cut between two reads is still one.
        using var project = new ModelProjectBuilder();
        project.File("zé日本語.txt", "text\n").File("docs/€€€.md", "text\n").Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;

        var (exit, stdout, _) = CliRunner.Run("verify", zip, "--quiet");

        Assert.True(exit == 0, stdout);
        Assert.Contains("files match modelgo-manifest.json; compliant", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a local size that is not all ones beside a local Zip64 field", "MGP9007", "the local header of 'config.json' gives another CRC-32 or size")]
    [InlineData("libarchive's xl field making a link", "MGP9010", "gives other file attributes than its central record (libarchive's xl field)")]
    [InlineData("the mode of a folder on a file", "MGP9010", "its entry 'config.json' has the attributes of a folder")]
    [InlineData("the mode of a character device", "MGP9010", "its entry 'config.json' has the attributes of a device, a pipe or a socket")]
    [InlineData("the DOS folder bit on a file", "MGP9010", "its entry 'config.json' has the attributes of a folder")]
    [InlineData("version needed 6.4", "MGP9007", "needs version 6.4 or patched-data support")]
    [InlineData("the patched-data flag", "MGP9007", "needs version 2.0 or patched-data support")]
    [InlineData("a Zip64 field of 5 bytes", "MGP9007", "the Zip64 field of 'config.json' is 5 bytes")]
    [InlineData("a folder entry with a file's name", "MGP9010", "The folder entry 'config.json/' has the name of a file in the zip")]
    public void What_some_readers_apply_and_others_ignore_is_refused(string what, string code, string says)
    {
        // Each shape makes unzip, libarchive, Python or Java write something else than verify reads, or refuse what it accepts.
        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        var entries = RawZip.EntriesOf(zip);
        var config = entries.Single(e => e.Name == "config.json") with { Method = 0 };
        var zip64 = new byte[20];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(zip64, 1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(zip64.AsSpan(2), 16);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(zip64.AsSpan(4), config.Data.Length);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(zip64.AsSpan(12), config.Data.Length);
        config = what switch
        {
            "a local size that is not all ones beside a local Zip64 field" => config with { LocalExtra = zip64, LocalUncompressedSize = uint.MaxValue, LocalCompressedSize = 5 },
            "libarchive's xl field making a link" => config with { LocalExtra = [0x78, 0x6c, 5, 0, 4, 0xFF, 0x01, 0xFF, 0xA1] },
            "the mode of a folder on a file" => config with { ExternalAttributes = 0x41EDu << 16 },
            "the mode of a character device" => config with { ExternalAttributes = 0x21A4u << 16 },
            "the DOS folder bit on a file" => config with { MadeBy = 0x0014, ExternalAttributes = 0x10 },
            "version needed 6.4" => config with { VersionNeeded = 64 },
            "the patched-data flag" => config with { Flags = 0x20 },
            "a Zip64 field of 5 bytes" => config with { CentralExtra = [1, 0, 5, 0, 0, 0, 0, 0, 0] },
            _ => config,
        };
        List<RawZip.Entry> rewritten = [.. entries.Select(e => e.Name == "config.json" ? config : e)];
        if (what == "a folder entry with a file's name")
        {
            rewritten.Add(new RawZip.Entry("config.json/", []) { Method = 0, ExternalAttributes = (0x41EDu << 16) | 0x10 });
        }

        RawZip.Write(zip, rewritten);

        var (exit, stdout, extracted) = VerifyAndExtract(project, zip);

        Assert.Equal(2, exit);
        Assert.True(stdout.Contains($"error {code}", StringComparison.Ordinal) && stdout.Contains(says, StringComparison.Ordinal), stdout);
        Assert.False(extracted);
    }

    [Fact]
    public void An_entry_named_with_and_without_a_leading_dot_slash_is_one_file_twice()
    {
        // ./config.json and config.json are one path to every reader: the second overwrites the first.
        using var project = new ModelProjectBuilder();
        project.Write();
        var zip = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        RawZip.Write(zip, [.. RawZip.EntriesOf(zip), new RawZip.Entry("./config.json", "{}"u8.ToArray())]);

        var (exit, stdout, extracted) = VerifyAndExtract(project, zip);

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9005: 'config.json' is in the zip twice", stdout, StringComparison.Ordinal);
        Assert.False(extracted);
    }

    public static TheoryData<string> Producers => ["Info-ZIP zip -r", "Info-ZIP to a pipe (data descriptors)", "git archive", "git archive --prefix (one folder, with its folder entry)", "bsdtar to a pipe (zero padding after the end record)", "bsdtar -cf x.zip . (entries named ./x)", ".NET ZipArchive to a stream that cannot seek"];

    [Theory]
    [MemberData(nameof(Producers))]
    public void Zips_other_tools_write_verify(string producer)
    {
        using var project = new ModelProjectBuilder();
        project.File("docs/notes.md", "notes\n").Write();
        var bundle = project.Pack(BundleFormat.Directory, "bundle").OutputPath!;
        var zip = Path.Combine(project.Scratch, "other.zip");
        switch (producer)
        {
            case "Info-ZIP zip -r":
                Assert.Equal(0, ProcessRunner.Run("zip", bundle, "-qr", zip, ".").ExitCode);
                break;
            case "Info-ZIP to a pipe (data descriptors)":
                Assert.Equal(0, ProcessRunner.Run("bash", bundle, "-c", "zip -qr -fd - . > \"$0\"", zip).ExitCode);
                break;
            case "git archive":
            case "git archive --prefix (one folder, with its folder entry)":
                var prefix = producer == "git archive" ? "" : "--prefix=tiny-1.0/";
                var git = ProcessRunner.Run("bash", bundle, "-c",
                    "git init -q && git add -A && git -c user.email=a@b -c user.name=n commit -qm x && git archive --format=zip $1 -o \"$0\" HEAD && rm -rf .git", zip, prefix);
                Assert.True(git.ExitCode == 0, git.Output);
                break;
            case "bsdtar -cf x.zip . (entries named ./x)":
                var dotted = ProcessRunner.Run("bsdtar", bundle, "--format", "zip", "-cf", zip, ".");
                Assert.True(dotted.ExitCode == 0, dotted.Output);
                Assert.Contains("./LICENSE", ProcessRunner.Run("unzip", null, "-Z1", zip).Output.Split('\n'));
                break;
            case "bsdtar to a pipe (zero padding after the end record)":
                var bsdtar = ProcessRunner.Run("bash", bundle, "-c", "bsdtar -cf - --format zip * > \"$0\"", zip);
                Assert.True(bsdtar.ExitCode == 0, bsdtar.Output);
                Assert.Equal(0, new FileInfo(zip).Length % 10_240);
                break;
            default:
                using (var file = File.Create(zip))
                using (var archive = new ZipArchive(new ForwardOnly(file), ZipArchiveMode.Create))
                {
                    foreach (var path in Directory.EnumerateFiles(bundle, "*", SearchOption.AllDirectories))
                    {
                        using var entry = archive.CreateEntry(Path.GetRelativePath(bundle, path)).Open();
                        entry.Write(File.ReadAllBytes(path));
                    }
                }

                break;
        }

        Assert.Equal(0, ProcessRunner.Run("unzip", null, "-tq", zip).ExitCode);

        var (exit, stdout, _) = CliRunner.Run("verify", zip, "--quiet");

        Assert.True(exit == 0, stdout);
        Assert.Contains("files match modelgo-manifest.json; compliant", stdout, StringComparison.Ordinal);
    }

    private static uint Crc(byte[] data) => System.IO.Hashing.Crc32.HashToUInt32(data);

    // The folder bsdtar writes reading the zip from a pipe, front to back, as a streaming reader does.
    private static string StreamExtract(string zip, string scratch)
    {
        var folder = Path.Combine(scratch, "streamed-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        ProcessRunner.Run("bash", folder, "-c", "cat \"$0\" | bsdtar -xf -", zip);
        return folder;
    }

    // The files a streaming reader writes, relative to the folder it writes them in.
    private static string[] StreamExtracted(string zip, string scratch)
    {
        var folder = StreamExtract(zip, scratch);
        return [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f))];
    }

    // What a streaming reader (bsdtar reading the archive from a pipe, front to back) lists.
    private static string[] Streamed(string zip)
    {
        var (exit, output) = ProcessRunner.Run("bash", null, "-c", "cat \"$0\" | bsdtar -tf -", zip);
        Assert.True(exit == 0 || output.Length > 0, $"bsdtar (Debian's libarchive-tools) is needed: {output}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static (int Exit, string Stdout, bool Extracted) VerifyAndExtract(ModelProjectBuilder project, string zip)
    {
        var target = Path.Combine(project.Scratch, "never");
        var (exit, stdout, stderr) = CliRunner.Run("verify", zip, "--extract", target, "--quiet");
        Assert.DoesNotContain("MGP8099", stdout + stderr, StringComparison.Ordinal);
        return (exit, stdout, Path.Exists(target));
    }

    /// <summary>A write-only stream that cannot seek, so that ZipArchive writes data descriptors.</summary>
    private sealed class ForwardOnly(Stream inner) : WriteOnlyStream
    {
        private long written;

        public override long Position
        {
            get => this.written;
            set => throw new NotSupportedException();
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            this.written += buffer.Length;
        }

        public override void Flush() => inner.Flush();
    }
}

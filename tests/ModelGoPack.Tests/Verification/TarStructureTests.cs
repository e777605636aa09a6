using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// A tar.gz read as .NET reads it must be the archive GNU tar, libarchive and Python read: what they apply and .NET
/// ignores (pax global keys, GNU.sparse.* names, a V7 header's prefix, magic bytes of neither format, names that are not
/// UTF-8) is refused, and nothing is extracted.
/// </summary>
public sealed class TarStructureTests
{
    [Theory]
    [InlineData("a pax global header setting path", "its pax global header sets 'path'")]
    [InlineData("a pax GNU.sparse.name", "sets 'GNU.sparse.name'")]
    [InlineData("upper-case magic", "has the magic bytes 'USTAR")]
    [InlineData("a V7 header with a prefix", "the V7 header of 'notes.txt' has bytes in its prefix field")]
    [InlineData("a name that is not UTF-8", "is not valid UTF-8")]
    [InlineData("a header that fails its checksum", "the header of 'notes.txt' fails its checksum")]
    [InlineData("a pax header before a GNU header", "a pax header comes before 'notes.txt', whose own header is not a pax one")]
    [InlineData("a GNU header with a prefix", "the GNU header of 'notes.txt' has bytes in its prefix field")]
    [InlineData("a pax SCHILY.realsize", "sets 'SCHILY.realsize' to '5'")]
    [InlineData("a V7 folder with data", "is a file whose name ends in '/', with data")]
    [InlineData("a pax key with a space", "sets ' path' to 'generate.py'")]
    [InlineData("a file with no name", "is a V7RegularFile with no name")]
    public void What_other_tar_readers_apply_and_NET_ignores_is_refused(string what, string says)
    {
        using var project = new ModelProjectBuilder();
        project.File("notes.txt", "notes\n").Write();
        var bundle = project.Pack(BundleFormat.Directory, "bundle").OutputPath!;
        var archive = Path.Combine(project.Scratch, "b.tar.gz");
        using (var tar = new MemoryStream())
        {
            using (var writer = new TarWriter(tar, leaveOpen: true))
            {
                if (what == "a pax global header setting path")
                {
                    writer.WriteEntry(new PaxGlobalExtendedAttributesTarEntry(new Dictionary<string, string> { ["path"] = "generate.py" }));
                }

                foreach (var file in Directory.EnumerateFiles(bundle, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    var name = Path.GetRelativePath(bundle, file).Replace('\\', '/');
                    TarEntry entry = (what, name) switch
                    {
                        ("a pax GNU.sparse.name", "notes.txt") => new PaxTarEntry(TarEntryType.RegularFile, name, new Dictionary<string, string> { ["GNU.sparse.name"] = "generate.py" }),
                        ("a pax header before a GNU header", "notes.txt") => new PaxTarEntry(TarEntryType.RegularFile, name, new Dictionary<string, string> { ["path"] = "notes.txt" }),
                        ("a pax SCHILY.realsize", "notes.txt") => new PaxTarEntry(TarEntryType.RegularFile, name, new Dictionary<string, string> { ["SCHILY.realsize"] = "5" }),
                        ("a GNU header with a prefix", "notes.txt") => new GnuTarEntry(TarEntryType.RegularFile, name),
                        ("a pax key with a space", "notes.txt") => new PaxTarEntry(TarEntryType.RegularFile, name, new Dictionary<string, string> { [" path"] = "generate.py" }),
                        ("a V7 header with a prefix", "notes.txt") => new V7TarEntry(TarEntryType.V7RegularFile, name),
                        ("upper-case magic", "notes.txt") or ("a name that is not UTF-8", "notes.txt") => new UstarTarEntry(TarEntryType.RegularFile, name),
                        _ => new PaxTarEntry(TarEntryType.RegularFile, name),
                    };
                    entry.DataStream = new MemoryStream(File.ReadAllBytes(file));
                    writer.WriteEntry(entry);
                }

                if (what == "a file with no name")
                {
                    // Read as a folder by every other reader, which then reads its data as more entries.
                    writer.WriteEntry(new V7TarEntry(TarEntryType.V7RegularFile, "./") { DataStream = new MemoryStream("hidden"u8.ToArray()) });
                }

                if (what == "a V7 folder with data")
                {
                    // bsdtar writes V7 folders as regular entries whose name ends in '/': every other reader makes a folder.
                    writer.WriteEntry(new V7TarEntry(TarEntryType.V7RegularFile, "docs/") { DataStream = new MemoryStream("hidden"u8.ToArray()) });
                }
            }

            var bytes = tar.ToArray();
            var at = IndexOfHeader(bytes, "notes.txt");
            switch (what)
            {
                case "upper-case magic":
                    "USTAR"u8.CopyTo(bytes.AsSpan(at + 257));
                    break;
                case "a V7 header with a prefix":
                    "../../../tmp"u8.CopyTo(bytes.AsSpan(at + 345));
                    break;
                case "a name that is not UTF-8":
                    bytes[at + 5] = 0xFF;
                    break;
                case "a pax header before a GNU header":
                    "ustar  \0"u8.CopyTo(bytes.AsSpan(at + 257));
                    break;
                case "a GNU header with a prefix":
                    // An access time in octal, as GNU tar writes one: .NET reads it as a time, Python as a prefix of the name.
                    "00000000001\0"u8.CopyTo(bytes.AsSpan(at + 345));
                    break;
            }

            if (what != "a header that fails its checksum")
            {
                TarHeader.SetChecksum(bytes.AsSpan(at, 512));
            }
            else
            {
                bytes[at + 136] ^= 1;
            }

            using var file2 = File.Create(archive);
            using var gzip = new GZipStream(file2, CompressionLevel.Fastest);
            gzip.Write(bytes);
        }

        var target = Path.Combine(project.Scratch, "never");
        var (exit, stdout, _) = CliRunner.Run("verify", archive, "--extract", target, "--quiet");

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9007", stdout, StringComparison.Ordinal);
        Assert.Contains(says, stdout, StringComparison.Ordinal);
        Assert.False(Path.Exists(target));
    }

    [Theory]
    [InlineData("bsdtar --format=v7")]
    [InlineData("bsdtar --format=pax")]
    [InlineData("tar --format=gnu")]
    [InlineData("tar --format=posix")]
    [InlineData("git archive")]
    public void Tar_archives_other_tools_write_verify(string producer)
    {
        using var project = new ModelProjectBuilder();
        project.File("docs/notes.md", "notes\n").Write();
        var bundle = project.Pack(BundleFormat.Directory, "bundle").OutputPath!;
        var archive = Path.Combine(project.Scratch, "other.tar.gz");
        var command = producer == "git archive"
            ? "git init -q && git add -A && git -c user.email=a@b -c user.name=n commit -qm x && git archive --format=tar.gz -o \"$0\" HEAD && rm -rf .git"
            : $"{producer} -czf \"$0\" .";
        var (code, output) = ProcessRunner.Run("bash", bundle, "-c", command, archive);
        Assert.True(code == 0, output);

        var (exit, stdout, _) = CliRunner.Run("verify", archive, "--quiet");

        Assert.True(exit == 0, stdout);
        Assert.Contains("files match modelgo-manifest.json; compliant", stdout, StringComparison.Ordinal);
    }

    // .NET ends an archive at a header whose checksum field reads 0; GNU tar and libarchive read past it. A NOTICE
    // after such a header would be what they extract (helper-51's review): the archive is refused, whether the header
    // comes after the bundle's entries or before them.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_header_that_ends_the_archive_for_NET_alone_is_refused(bool first)
    {
        using var project = new ModelProjectBuilder();
        project.File("notes.txt", "notes\n").Write();
        var bundle = project.Pack(BundleFormat.Directory, "bundle").OutputPath!;
        using var tar = new MemoryStream();
        var evil = new byte[512];
        evil[0] = (byte)'j';
        "0000000\0"u8.CopyTo(evil.AsSpan(148));
        if (first)
        {
            tar.Write(evil);
        }

        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var file in Directory.EnumerateFiles(bundle, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, Path.GetRelativePath(bundle, file).Replace('\\', '/')) { DataStream = new MemoryStream(File.ReadAllBytes(file)) });
            }
        }

        var bytes = tar.ToArray();
        var end = bytes.Length - 1024;
        var withEvil = first ? bytes : [.. bytes[..end], .. evil, .. bytes[end..]];
        var archive = Path.Combine(project.Scratch, "smuggled.tar.gz");
        using (var file = File.Create(archive))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            gzip.Write(withEvil);
        }

        var (exit, stdout, _) = CliRunner.Run("verify", archive, "--quiet");

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9007", stdout, StringComparison.Ordinal);
        Assert.Contains("ends it for .NET alone", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_after_the_end_blocks_is_refused()
    {
        using var project = new ModelProjectBuilder();
        project.File("notes.txt", "notes\n").Write();
        var bundle = project.Pack(BundleFormat.Directory, "bundle").OutputPath!;
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var file in Directory.EnumerateFiles(bundle, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, Path.GetRelativePath(bundle, file).Replace('\\', '/')) { DataStream = new MemoryStream(File.ReadAllBytes(file)) });
            }
        }

        tar.Write("hidden\n"u8);
        var archive = Path.Combine(project.Scratch, "trailing.tar.gz");
        using (var file = File.Create(archive))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            gzip.Write(tar.ToArray());
        }

        var (exit, stdout, _) = CliRunner.Run("verify", archive, "--quiet");

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9007", stdout, StringComparison.Ordinal);
        Assert.Contains("data after the blocks that end the archive", stdout, StringComparison.Ordinal);
    }

    // The header block whose name field starts with the name.
    private static int IndexOfHeader(byte[] tar, string name)
    {
        var wanted = Encoding.ASCII.GetBytes(name + "\0");
        for (var at = 0; at + 512 <= tar.Length; at += 512)
        {
            if (tar.AsSpan(at, wanted.Length).SequenceEqual(wanted))
            {
                return at;
            }
        }

        throw new InvalidOperationException($"no header for {name}");
    }
}

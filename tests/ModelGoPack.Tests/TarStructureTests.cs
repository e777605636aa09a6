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
                        ("a V7 header with a prefix", "notes.txt") => new V7TarEntry(TarEntryType.V7RegularFile, name),
                        ("upper-case magic", "notes.txt") or ("a name that is not UTF-8", "notes.txt") => new UstarTarEntry(TarEntryType.RegularFile, name),
                        _ => new PaxTarEntry(TarEntryType.RegularFile, name),
                    };
                    entry.DataStream = new MemoryStream(File.ReadAllBytes(file));
                    writer.WriteEntry(entry);
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
            }

            Checksum(bytes.AsSpan(at, 512));
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

    // A header's checksum: the sum of its bytes with the checksum field as spaces, in six octal digits, NUL, space.
    private static void Checksum(Span<byte> header)
    {
        header.Slice(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in header)
        {
            sum += b;
        }

        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header[148..]);
    }
}

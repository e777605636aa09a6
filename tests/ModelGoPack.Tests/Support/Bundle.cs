using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ModelGoPack.Tests.Support;

/// <summary>Reads a bundle (folder or zip) back for assertions.</summary>
public sealed class Bundle
{
    private readonly Dictionary<string, byte[]> files;

    private Bundle(Dictionary<string, byte[]> files) => this.files = files;

    public IReadOnlyCollection<string> Paths => this.files.Keys;

    public static Bundle Read(string path)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (Directory.Exists(path))
        {
            foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
            {
                files[Path.GetRelativePath(path, file).Replace('\\', '/')] = File.ReadAllBytes(file);
            }
        }
        else if (path.EndsWith(".tar.gz", StringComparison.Ordinal))
        {
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new System.Formats.Tar.TarReader(gzip);
            while (reader.GetNextEntry() is { } entry)
            {
                using var buffer = new MemoryStream();
                entry.DataStream?.CopyTo(buffer);
                files[entry.Name] = buffer.ToArray();
            }
        }
        else
        {
            using var archive = ZipFile.OpenRead(path);
            foreach (var entry in archive.Entries)
            {
                using var stream = entry.Open();
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                files[entry.FullName] = buffer.ToArray();
            }
        }

        return new Bundle(files);
    }

    public byte[] Bytes(string path) => this.files[path];

    public string Text(string path) => Encoding.UTF8.GetString(this.files[path]);

    public JsonDocument Manifest() => JsonDocument.Parse(this.files["modelgo-manifest.json"]);

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}

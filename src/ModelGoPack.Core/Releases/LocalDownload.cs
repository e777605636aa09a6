using System.Globalization;
using ModelGoPack.Discovery;
using ModelGoPack.Hashing;

namespace ModelGoPack.Releases;

/// <summary>
/// What <c>huggingface-cli download --local-dir DIR</c> (huggingface_hub's <c>_local_folder</c>) records of each file
/// it wrote: <c>DIR/.cache/huggingface/download/&lt;path&gt;.metadata</c>, three lines: the commit, the etag (the SHA-256
/// for a Git LFS file, the git blob id otherwise) and the time it was written (Unix seconds). huggingface_hub trusts
/// the record while the file's modification time is at most a second after it; so does ModelGoPack, and only a
/// 64-hex etag is taken as the file's SHA-256.
/// </summary>
internal sealed class LocalDownload
{
    private readonly string folder;

    private LocalDownload(string folder) => this.folder = folder;

    /// <summary>The metadata of the download in <paramref name="root"/>, or null when it has none.</summary>
    public static LocalDownload? Open(string root)
    {
        var folder = Path.Combine(root, ".cache", "huggingface", "download");
        return Directory.Exists(folder) ? new LocalDownload(folder) : null;
    }

    /// <summary>
    /// The record of <paramref name="relative"/>: its SHA-256 when the record holds one and is current (the file no
    /// newer than it), and the commit it records either way; null when there is no readable record.
    /// </summary>
    public (string? Sha256, string Commit)? Record(string relative, string path)
    {
        var record = Path.Combine(this.folder, relative.Replace('/', Path.DirectorySeparatorChar) + ".metadata");
        try
        {
            var info = new FileInfo(record);
            if (!info.Exists || info.Length > 1024 || info.LinkTarget is not null || !FileType.IsRegular(record))
            {
                return null;
            }

            var lines = File.ReadAllLines(record);
            if (lines.Length < 3)
            {
                return null;
            }

            var commit = lines[0].Trim();
            var etag = lines[1].Trim();
            var current = double.TryParse(lines[2].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var written)
                && (File.GetLastWriteTimeUtc(path) - DateTime.UnixEpoch).TotalSeconds - 1 <= written;
            return (current && etag.Length == 64 && Sha256Digest.TryParse(etag, out _) ? etag.ToLowerInvariant() : null, commit);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

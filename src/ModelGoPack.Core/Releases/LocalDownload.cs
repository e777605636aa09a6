using System.Globalization;

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

    /// <summary>The recorded SHA-256 and commit of <paramref name="relative"/>, or null when there is no valid, current record with a SHA-256.</summary>
    public (string Etag, string Commit)? Digest(string relative, string path)
    {
        var record = Path.Combine(this.folder, relative.Replace('/', Path.DirectorySeparatorChar) + ".metadata");
        try
        {
            var info = new FileInfo(record);
            if (!info.Exists || info.Length > 1024 || info.LinkTarget is not null)
            {
                return null;
            }

            var lines = File.ReadAllLines(record);
            if (lines.Length < 3 || lines[1].Trim() is not { Length: 64 } etag || !Hashing.Sha256Digest.TryParse(etag, out _)
                || !double.TryParse(lines[2].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var written))
            {
                return null;
            }

            var modified = (File.GetLastWriteTimeUtc(path) - DateTime.UnixEpoch).TotalSeconds;
            return modified - 1 <= written ? (etag.ToLowerInvariant(), lines[0].Trim()) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

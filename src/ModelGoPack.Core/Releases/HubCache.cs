using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Hashing;

namespace ModelGoPack.Releases;

/// <summary>
/// The Hugging Face Hub cache as huggingface_hub lays it out: <c>models--ORG--NAME/</c> holds <c>refs/main</c> (a
/// commit id), <c>snapshots/&lt;commit&gt;/&lt;path&gt;</c> as relative symbolic links into <c>blobs/&lt;etag&gt;</c>.
/// For a file stored with Git LFS the etag is its SHA-256 (64 hex digits); for a small git-stored file it is the git
/// blob id (40), which says nothing of its SHA-256, so such a file is hashed. An interrupted download leaves a link
/// whose blob is missing (its bytes are in <c>blobs/&lt;etag&gt;.incomplete</c>).
/// </summary>
internal static class HubCache
{
    /// <summary>A snapshot: its folder, the commit it is of, the repository's blobs folder (a full path), and the Hub address of the repository.</summary>
    internal sealed record Snapshot(string Folder, string Revision, string Blobs, string? Url)
    {
        /// <summary>The repository folder (models--ORG--NAME) that holds the snapshot, its blobs and refs.</summary>
        public string Repository => Path.GetDirectoryName(this.Blobs)!;
    }

    /// <summary>
    /// The snapshot <paramref name="folder"/> is (<c>…/snapshots/REV</c>) or names (<c>models--ORG--NAME</c>: the
    /// snapshot of <c>refs/main</c>, or the only one); null when it is no part of a Hub cache.
    /// </summary>
    public static Snapshot? Locate(string folder, string shown)
    {
        folder = Path.TrimEndingDirectorySeparator(folder);
        var parent = Path.GetDirectoryName(folder);
        if (parent is not null && Path.GetFileName(parent) == "snapshots" && Path.GetDirectoryName(parent) is { } repository
            && Directory.Exists(Path.Combine(repository, "blobs")))
        {
            return new Snapshot(folder, Path.GetFileName(folder), Path.GetFullPath(Path.Combine(repository, "blobs")), Url(repository));
        }

        var snapshots = Path.Combine(folder, "snapshots");
        if (!Directory.Exists(snapshots) || !Directory.Exists(Path.Combine(folder, "blobs")))
        {
            return null;
        }

        var main = Path.Combine(folder, "refs", "main");
        string revision;
        if (File.Exists(main))
        {
            // A commit id: read as one, from a regular file, at most a few hundred bytes.
            revision = FileType.IsRegular(main) && new FileInfo(main).Length <= 256
                ? ReadRef(main)
                : throw new ReleaseException(Messages.HubRefNotCommit.With(), main);
        }
        else
        {
            var all = Directory.GetDirectories(snapshots).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
            revision = all.Count == 1 ? all[0]
                : throw new ReleaseException(all.Count == 0 ? Messages.HubCacheWithoutSnapshot.With() : Messages.HubCacheSnapshotsWithoutRef.With(all.Count, string.Join(", ", all)), shown);
        }

        var chosen = Path.Combine(snapshots, revision);
        if (revision.Length == 0 || revision is "." or ".." || !revision.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || !Directory.Exists(chosen))
        {
            throw new ReleaseException(Messages.HubSnapshotNotDownloaded.With(ProjectPath.Printable(revision)), main);
        }

        return new Snapshot(chosen, revision, Path.GetFullPath(Path.Combine(folder, "blobs")), Url(folder));
    }

    private static string ReadRef(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReleaseException(Messages.ReleaseFileUnreadable.With(e.Message), path);
        }
    }

    /// <summary>
    /// The SHA-256 a snapshot file's blob is named by (<paramref name="path"/> is where its link leads), or null
    /// when the blob is not in the snapshot's blobs folder or is named otherwise (a git blob id).
    /// </summary>
    public static string? BlobDigest(Snapshot snapshot, string path)
    {
        var name = Path.GetFileName(path);
        return Path.GetDirectoryName(path) == snapshot.Blobs && name.Length == 64 && Sha256Digest.TryParse(name, out _)
            ? name.ToLowerInvariant()
            : null;
    }

    // models--ORG--NAME → https://huggingface.co/ORG/NAME (datasets-- and spaces-- have their own paths on the Hub).
    private static string? Url(string repository)
    {
        var parts = Path.GetFileName(repository).Split("--");
        return parts.Length < 2 || parts.Skip(1).Any(p => p.Length == 0 || !p.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) ? null : Provenance.Url(parts[0] switch
        {
            "models" => "https://huggingface.co/" + string.Join('/', parts.Skip(1)),
            "datasets" => "https://huggingface.co/datasets/" + string.Join('/', parts.Skip(1)),
            _ => null,
        });
    }
}

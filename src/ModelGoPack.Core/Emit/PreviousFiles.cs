using System.Collections.Concurrent;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Hashing;
using ModelGoPack.Oci;
using ModelGoPack.Signing;
using ModelGoPack.Verification;

namespace ModelGoPack.Emit;

/// <summary>
/// The files of the folder bundle (or the blobs of the OCI image layout) pack itself wrote last at the output, which a new
/// pack to the same output reuses instead of copying: a file of the previous bundle is hard-linked into the new one (never a
/// file of the user's) when everything
/// proves it holds the bytes the new bundle needs. The proof: pack's seal of that bundle (<see cref="BundleSeal"/>) holds,
/// every stamp of it unchanged, so the manifest it sealed lists the digests of the bytes there; the project file's digest
/// is known without reading it (the digest cache, with its identity unchanged, as <c>check</c> uses it) and is the one
/// that manifest lists for the same path and size; and the old file still has its sealed stamp, the bundle time, the mode
/// a new file gets and this user as owner, so the new bundle is byte for byte, mode and time what a copy would make.
/// Anything missing (no cache, no seal, a stamp changed, another file system, a system without the seal) and the file is
/// copied and hashed as always.
/// </summary>
internal sealed class PreviousFiles(
    string bundle, string staging, Func<BundleEntry, string, string> named, IReadOnlyDictionary<string, FileStamp> stamps,
    Dictionary<string, ManifestEntry> listed, long modifiedNs, UnixFileMode? mode, uint owner)
{
    // The identity of each previous bundle file linked, as its last link left it (by its name in that bundle): a write
    // through the previous bundle's name would reach the new bundle too, and is looked for when the old one is moved aside.
    private readonly ConcurrentDictionary<string, FileStamp> shared = new(StringComparer.Ordinal);

    /// <summary>
    /// The previous folder bundle at <paramref name="output"/>, when its seal in <paramref name="cache"/>'s folder holds; null
    /// (nothing is reused) otherwise. <paramref name="staging"/> is the folder the new bundle is written in, and
    /// <paramref name="timestamp"/> the time each of its files gets.
    /// </summary>
    public static PreviousFiles? Folder(string output, string staging, DigestCache cache, DateTimeOffset timestamp) =>
        Open(output, staging, cache, timestamp, (entry, _) => entry.Path);

    /// <summary>
    /// The previous OCI image layout at <paramref name="output"/>, as <see cref="Folder"/>: a file's blob is named by its
    /// digest, and is linked to the same name in the new layout (<see cref="OciSink.Commit"/> then keeps it as the entry's blob).
    /// </summary>
    public static PreviousFiles? Layout(string output, string staging, DigestCache cache, DateTimeOffset timestamp) =>
        Open(output, staging, cache, timestamp, (_, hex) => OciMediaTypes.BlobFolder + "/" + hex);

    private static PreviousFiles? Open(string output, string staging, DigestCache cache, DateTimeOffset timestamp, Func<BundleEntry, string, string> named)
    {
        if (cache.Folder is not { } folder || FileType.EffectiveUser is not { } user || !Directory.Exists(output)
            || BundleSeal.Read(folder, output, out _) is not var (sealedManifest, stamps))
        {
            return null;
        }

        using var content = new MemoryStream(sealedManifest, writable: false);
        if (ManifestReader.Read(content, new DiagnosticBag(), "") is not { } manifest)
        {
            return null;
        }

        var listed = new Dictionary<string, ManifestEntry>(StringComparer.Ordinal);
        foreach (var file in manifest.Files)
        {
            listed[file.Path] = file;
        }

        return new PreviousFiles(output, staging, named, stamps, listed, (timestamp.UtcTicks - DateTime.UnixEpoch.Ticks) * 100, NewFileMode(staging), user);
    }

    /// <summary>
    /// Links the previous bundle's file for <paramref name="entry"/> into the new bundle and returns its manifest line (the
    /// sealed digest), when every proof holds; else null, and the entry is copied. Safe to call from several threads.
    /// </summary>
    public ManifestFile? TryLink(BundleEntry entry, DigestCache cache)
    {
        if (entry.Source is not { } file || !listed.TryGetValue(entry.Path, out var previous) || previous.Size != file.Length
            || FileType.Stamp(file.FullPath) is not { } source || source.Size != file.Length
            || cache.Peek(file.RelativePath, source) is not { } digest || digest != previous.Sha256.ToString())
        {
            return null;
        }

        var name = named(entry, digest);
        var from = Path.Combine(bundle, Native(name));
        if (!stamps.TryGetValue(name, out var sealedStamp) || FileType.Stamp(from) is not { } old || old != sealedStamp || old.ModifiedNs != modifiedNs
            || (old.Inode, old.Device) == (source.Inode, source.Device)
            || FileType.Entry(from) is not { Owner: var fileOwner } || fileOwner != owner || ModeOf(from) != mode)
        {
            return null;
        }

        var to = Path.Combine(staging, Native(name));
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        if (!FileType.TryHardLink(from, to))
        {
            return null;
        }

        // The name made is of the inode just checked (nothing put another file in its place between the check and the link).
        if (FileType.Stamp(to) is not { } linked || linked with { ChangedNs = 0 } != old with { ChangedNs = 0 })
        {
            File.Delete(to);
            return null;
        }

        // The latest link's stamp (a blob two entries share is linked twice, each link a new change time).
        this.shared.AddOrUpdate(name, linked, (_, earlier) => earlier.ChangedNs >= linked.ChangedNs ? earlier : linked);

        // Used: kept in the digest cache for the next run, as a file copied is.
        cache.TryGet(file.RelativePath, source);
        return new ManifestFile(entry.Path, file.Length, digest);
    }

    /// <summary>
    /// What was written to the previous bundle since its files were linked into the new one, as a phrase for
    /// <see cref="Messages.OutputChangedWhilePacking"/> ("it ..."); null when nothing was. <paramref name="aside"/> is where
    /// the previous bundle was moved to be replaced: nothing at the output can write through its names any more, and a
    /// file written in place before (its modification time set back or not) has a change time after its link's.
    /// </summary>
    public string? WrittenSinceLinked(string aside)
    {
        foreach (var (name, stamp) in this.shared)
        {
            if (FileType.Stamp(Path.Combine(aside, Native(name))) != stamp)
            {
                return $"had '{name}' written in place, a file the new bundle shared with it (reused by a hard link)";
            }
        }

        return null;
    }

    // The mode a file pack creates in the new bundle gets (0666 less the umask, or what the folder's default ACL makes it).
    private static UnixFileMode? NewFileMode(string staging)
    {
        var probe = Path.Combine(staging, ProjectScanner.TemporaryPrefix + "mode");
        using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
        }

        try
        {
            return ModeOf(probe);
        }
        finally
        {
            File.Delete(probe);
        }
    }

    private static string Native(string path) => path.Replace('/', Path.DirectorySeparatorChar);

    // Null where there is none (Windows, where nothing is reused: FileType.EffectiveUser is null there).
    private static UnixFileMode? ModeOf(string path) => OperatingSystem.IsWindows() ? null : File.GetUnixFileMode(path);
}

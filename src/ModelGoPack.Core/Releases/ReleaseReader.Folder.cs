using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Loading;
using ModelGoPack.Emit;

namespace ModelGoPack.Releases;

// The release reader, part 2: a folder (a Hub snapshot, a download, a clone, an unpacked bundle), walked and hashed.
internal static partial class ReleaseReader
{
    private static UpstreamRelease ReadFolder(UpstreamDeclaration upstream, string location, string full, string folder, HubCache.Snapshot? hub, Func<IReadOnlySet<string>> wanted, ReleaseOptions options)
    {
        var manifestPath = Path.Combine(folder, ProjectLoader.ManifestFileName);
        if (hub is null && File.Exists(manifestPath))
        {
            var release = FromManifest(upstream, location, full, manifestPath, RootNotices(folder, null));
            if (options.VerifyUpstream)
            {
                var files = release.Files.Keys.Select(p => Path.Combine(folder, p))
                    .Select(p => File.Exists(p) ? new ProjectFile(p, p, new FileInfo(p).Length)
                        : throw new ReleaseException(Messages.ReleaseListedFileMissing.With(), p))
                    .ToList();
                release = release with
                {
                    BytesHashed = VerifyAgainst(upstream, files, p => release.Files[Path.GetRelativePath(folder, p).Replace(Path.DirectorySeparatorChar, '/')], "its modelgo-manifest.json lists", options),
                };
            }

            return ReleaseDescription.Describe(release, name => ReadRootText(folder, name, null, optional: true)) with { FullPath = full };
        }

        // Walk the folder: links into a Hub cache's blobs are its files; the download metadata is no file of it.
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        var toHash = new List<(string Relative, ProjectFile File)>();
        var candidates = new List<(string Relative, string Path, FileStamp Stamp)>();
        var trusted = new List<(ProjectFile File, string Digest, string Why)>();
        var metadata = hub is null ? LocalDownload.Open(folder) : null;
        var revisions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (relative, path, stamp) in Walk(folder, hub, options.Cache.Folder))
        {
            options.CancellationToken.ThrowIfCancellationRequested();
            if (hub is not null && HubCache.BlobDigest(hub, path) is { } named)
            {
                digests[relative] = named;
                if (options.VerifyUpstream)
                {
                    trusted.Add((new ProjectFile(path, path, stamp.Size), named, "its blob is named by"));
                }

                continue;
            }

            if (ReadPointer(path, stamp.Size) is { } pointer)
            {
                // The file is not there, only the pointer: it stands for the content whose SHA-256 it names.
                digests[relative] = pointer.Oid;
                continue;
            }

            // The download's commit, whatever the state of the file; its SHA-256 only while the record is current.
            var recorded = metadata?.Record(relative, path);
            if (recorded is { Commit: var commit })
            {
                revisions.Add(commit);
            }

            if (recorded is { Sha256: { } etag })
            {
                digests[relative] = etag;
                if (options.VerifyUpstream)
                {
                    trusted.Add((new ProjectFile(path, path, stamp.Size), etag, "huggingface_hub's download metadata records"));
                }

                continue;
            }

            digests[relative] = "";
            candidates.Add((relative, path, stamp));
        }

        // What the release says of itself needs no digest: read while the project is still being listed. (The release
        // holds the digests by reference; those computed below are filled in.)
        var notices = RootNotices(folder, hub);
        var described = ReleaseDescription.Describe(new UpstreamRelease(upstream.Name, location, digests, notices)
        {
            FullPath = full,
            Revision = Provenance.Revision(hub?.Revision ?? (revisions.Count == 1 ? revisions.Single() : null)),
            Url = hub?.Url,
        }, name => ReadRootText(folder, name, hub, optional: true));

        // Hashed: the files the project also has (known once the project is listed), or all with --verify-upstream.
        var want = options.VerifyUpstream ? null : wanted();
        foreach (var (relative, path, stamp) in candidates.Where(c => want is null || want.Contains(c.Relative)))
        {
            // The walk's stat is the identity the cache is keyed by: an unchanged file costs no second look.
            if (options.Cache.TryGet(path, stamp) is { } known)
            {
                digests[relative] = known;
            }
            else
            {
                toHash.Add((relative, new ProjectFile(path, path, stamp.Size)));
            }
        }

        var hashed = Hash(upstream, toHash.Select(t => t.File).ToList(), options);
        foreach (var (relative, file) in toHash)
        {
            digests[relative] = hashed.Digests[file.RelativePath];
        }

        // All on all cores at once (a snapshot's files are all trusted one way, a download's all the other).
        var onTrust = trusted.GroupBy(t => t.File.FullPath, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Digest, StringComparer.Ordinal);
        var verified = trusted.Count == 0 ? 0
            : VerifyAgainst(upstream, trusted.Select(t => t.File).DistinctBy(f => f.FullPath).ToList(), path => onTrust[path], trusted[0].Why, options);

        return described with { BytesHashed = hashed.Bytes + verified };
    }

    /// <summary>
    /// Every file of a release folder, by release-relative path: regular files, and links to regular files (a Hub
    /// snapshot is made of them), never <c>.git</c> (a folder, or a worktree's file) nor, at the root, <c>.cache/huggingface</c>. A link that leads
    /// nowhere is MGP8038 in a Hub snapshot (an interrupted download) and MGP8027 elsewhere; a loop is MGP8027, and so is
    /// a path longer than the system opens. The digest cache's folder (<paramref name="cache"/>, written by this run, as
    /// in a release named "~") is no part of any release.
    /// </summary>
    private static IEnumerable<(string Relative, string Path, FileStamp Stamp)> Walk(string root, HubCache.Snapshot? hub, string? cache)
    {
        // The cache folder as named and as the file system resolves it (a home folder reached through a link).
        var cacheReal = cache is null ? null : ProjectPath.Real(cache);
        var cacheNames = cache is null ? [] : new[] { Path.GetFileName(cache), Path.GetFileName(cacheReal!) };
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false };
        // Each folder with its release-relative path ("" at the root, else ending in /).
        var pending = new Stack<(DirectoryInfo Folder, string Prefix)>([(new DirectoryInfo(root), "")]);
        while (pending.TryPop(out var next))
        {
            var (folder, prefix) = next;
            FileSystemInfo[] entries;
            try
            {
                entries = folder.GetFileSystemInfos("*", options);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ReleaseException(Messages.ReleaseFolderUnlistable.With(e.Message), folder.FullName);
            }

            foreach (var entry in entries.OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                var full = Path.Join(folder.FullName, entry.Name);
                if (System.Text.Encoding.UTF8.GetByteCount(full) >= ProjectScanner.MaxSystemPathBytes)
                {
                    throw new ReleaseException(Messages.ReleasePathTooLong.With(
                        ProjectPath.Printable(BundleLimits.Shorten(prefix + entry.Name)), System.Text.Encoding.UTF8.GetByteCount(full), ProjectScanner.MaxSystemPathBytes - 1), root);
                }

                var relative = prefix + entry.Name;

                // git's own files (a .git folder, or a worktree's .git file), huggingface_hub's bookkeeping of a --local-dir
                // download and ModelGoPack's own digest cache are no files of the release.
                if (entry.Name == ".git" || relative == ".cache/huggingface" || entry.Name.StartsWith(ProjectScanner.TemporaryPrefix, StringComparison.Ordinal)
                    || (cache is not null && cacheNames.Contains(entry.Name) && (full == cache || ProjectPath.Real(full) == cacheReal)))
                {
                    continue;
                }

                if (entry.LinkTarget is null)
                {
                    if (entry is DirectoryInfo child)
                    {
                        pending.Push((child, relative + "/"));
                        continue;
                    }

                    // A name that is not UTF-8 reads as U+FFFD and cannot be opened by it; a pipe would block the run.
                    var stamp = FileType.Stamp(entry.FullName);
                    if (stamp is null)
                    {
                        throw new ReleaseException(
                            entry.Name.Contains('\uFFFD', StringComparison.Ordinal) ? Messages.ReleaseFileNameNotUtf8.With() : Messages.ReleaseFileNotRegular.With(), entry.FullName);
                    }

                    yield return (relative, entry.FullName, stamp.Value);
                    continue;
                }

                // A snapshot's link into its blobs folder, the common case: one readlink and one stat.
                if (hub is not null && Path.GetFullPath(Path.Combine(folder.FullName, entry.LinkTarget)) is var blob
                    && Path.GetDirectoryName(blob) == hub.Blobs && FileType.Stamp(blob) is { } blobStamp)
                {
                    yield return (relative, blob, blobStamp);
                    continue;
                }

                FileSystemInfo? final;
                try
                {
                    final = entry.ResolveLinkTarget(returnFinalTarget: true);
                }
                catch (IOException e)
                {
                    throw new ReleaseException(Messages.ReleaseLinkLoop.With(e.Message), entry.FullName);
                }

                if (final is null || !final.Exists)
                {
                    if (hub is not null)
                    {
                        throw new ReleaseException(Messages.ReleaseBlobNotDownloaded.With(entry.LinkTarget, relative), entry.FullName);
                    }

                    throw new ReleaseException(Messages.ReleaseLinkBroken.With(entry.LinkTarget), entry.FullName);
                }

                if (final is DirectoryInfo)
                {
                    throw new ReleaseException(Messages.ReleaseLinkToFolder.With(entry.LinkTarget), entry.FullName);
                }

                yield return (relative, final.FullName, FileType.Stamp(final.FullName)
                    ?? throw new ReleaseException(Messages.ReleaseLinkToNonRegular.With(entry.LinkTarget), entry.FullName));
            }
        }
    }

    /// <summary>The release's NOTICE, COPYRIGHT, AUTHORS and ATTRIBUTION files at its root, read whole (at most 4 MiB each).</summary>
    private static List<(string Path, string Text)> RootNotices(string folder, HubCache.Snapshot? hub)
    {
        var result = new List<(string, string)>();
        foreach (var name in Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OfType<string>().Where(IsNotice).Order(StringComparer.Ordinal))
        {
            if (ReadRootText(folder, name, hub, optional: false) is { } bytes)
            {
                result.Add((name, TextDecoder.DecodeLines(bytes)));
            }
        }

        return result;
    }

    /// <summary>
    /// A text file at the release's root, read whole: a regular file, or a link that stays inside the release (or, in a
    /// Hub snapshot, leads into its blobs). A link out of the release is MGP8027: a release cannot put a file of this
    /// machine into the bundle's NOTICE. Null for a folder, and, when <paramref name="optional"/>, for a file over 4 MiB
    /// (which is MGP8027 otherwise: a notice is kept whole or not at all).
    /// </summary>
    private static byte[]? ReadRootText(string folder, string name, HubCache.Snapshot? hub, bool optional)
    {
        var path = Path.Combine(folder, name);
        FileSystemInfo info = new FileInfo(path);
        try
        {
            if (info.LinkTarget is not null)
            {
                var final = info.ResolveLinkTarget(returnFinalTarget: true);
                var real = final is { Exists: true } ? ProjectPath.Real(final.FullName) : null;
                var inside = real is not null && (real.StartsWith(ProjectPath.Real(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                    || (hub is not null && Path.GetDirectoryName(real) == ProjectPath.Real(hub.Blobs)));
                if (!inside)
                {
                    throw new ReleaseException(Messages.ReleaseLinkOutside.With(info.LinkTarget), path);
                }

                info = final!;
            }
            else if (!info.Exists)
            {
                return null;
            }

            if (info is not FileInfo file || !FileType.IsRegular(file.FullName))
            {
                return info is DirectoryInfo || Directory.Exists(info.FullName) ? null
                    : throw new ReleaseException(Messages.ReleaseNoticeNotRegular.With(), path);
            }

            return optional && file.Length > MaxNoticeBytes ? null : ReadCapped(file.FullName, MaxNoticeBytes, path);
        }
        catch (IOException e)
        {
            throw new ReleaseException(Messages.ReleaseFileUnreadable.With(e.Message), path);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ReleaseException(Messages.ReleaseFileUnreadable.With(e.Message), path);
        }
    }

    /// <summary>The LFS pointer a small release file is, or null; a file that cannot be read is MGP8027.</summary>
    private static (string Oid, long Size)? ReadPointer(string path, long length)
    {
        try
        {
            return LfsPointer.TryRead(path, length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReleaseException(Messages.ReleaseFileUnreadable.With(e.Message), path);
        }
    }

    /// <summary>Reads a file whole, at most <paramref name="limit"/> bytes (counted while reading); more is MGP8027.</summary>
    private static byte[] ReadCapped(string path, long limit, string shown)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw new ReleaseException(Messages.ReleaseFileTooLarge.With(limit / (1024 * 1024)), shown);
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReleaseException(Messages.ReleaseFileUnreadable.With(e.Message), shown);
        }
    }
}

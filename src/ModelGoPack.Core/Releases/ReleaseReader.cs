using System.Security.Cryptography;
using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Evaluation;
using ModelGoPack.Hashing;

namespace ModelGoPack.Releases;

/// <summary>What reading a release needs from the run: the digest cache, whether to hash what is trusted by name, git, cancellation.</summary>
internal sealed record ReleaseOptions(DigestCache Cache, bool VerifyUpstream, string GitExecutable, CancellationToken CancellationToken)
{
    /// <summary>Where the host counts what reading the releases hashed (its progress display says it).</summary>
    public ProgressCounter? Progress { get; init; }
}

/// <summary>
/// Reads an upstream's release, whatever form the user has it in, into the files it holds with their SHA-256,
/// the notice texts it carries and what it says of itself (its revision, the digest of its manifest). A release
/// is read, never written, and never bundled. Forms, told apart by what is on disk, not by the key:
/// <list type="bullet">
/// <item>a <c>modelgo-manifest.json</c> file, or a folder, .zip or .tar.gz holding one at its root (a ModelGoPack
/// bundle): the files and digests its manifest lists;</item>
/// <item>a Hugging Face Hub cache snapshot (<c>models--ORG--NAME/snapshots/REV/</c>, files linked into
/// <c>blobs/</c>), or the <c>models--ORG--NAME</c> folder itself (its <c>refs/main</c> snapshot): a file whose blob
/// is named by a SHA-256 takes that name as its digest unread;</item>
/// <item>any other folder (a <c>--local-dir</c> download, whose <c>.cache/huggingface/download/</c> records the
/// SHA-256 of LFS files; a clone): hashed once, through the digest cache; a Git LFS pointer stands for the file whose
/// SHA-256 it names;</item>
/// <item>any .zip or .tar.gz, with or without one top folder: read by verify's reader;</item>
/// <item>a git revision, of the project's repository or of another clone: read by <see cref="GitRelease"/>.</item>
/// </list>
/// Only the digests of <c>wanted</c> paths (those the project also has; asked for only once the release is listed, so
/// that a release is listed while the project is scanned) are computed; the rest of the release is
/// listed by path, and its digest is "". With <see cref="ReleaseOptions.VerifyUpstream"/>, every digest taken on
/// trust (a blob's name, a download's metadata, a manifest's listing) is checked by hashing, and one that does not
/// hold is MGP8039.
/// </summary>
internal static class ReleaseReader
{
    private static readonly string[] NoticeNames = ["NOTICE", "COPYRIGHT", "AUTHORS", "ATTRIBUTION"];

    /// <summary>The most of a notice file of a release that is read: 4 MiB, as for the project's own.</summary>
    private const int MaxNoticeBytes = ProjectLoader.MaxTextFileBytes;

    /// <summary>
    /// Reads the release <paramref name="upstream"/> names; throws <see cref="ReleaseException"/> with the file at fault.
    /// What of it reaches the bundle (the names of removed files, notice texts, a version) must read as it renders: a
    /// bidirectional control in any is MGP8029, a control character in a name MGP8027.
    /// </summary>
    public static UpstreamRelease Load(string projectRoot, UpstreamDeclaration upstream, Func<IReadOnlySet<string>> wanted, ReleaseOptions options)
    {
        var release = LoadForm(projectRoot, upstream, wanted, options);
        var where = release.FullPath ?? release.Location;
        if (release.Files.Keys.FirstOrDefault(p => ProjectPath.IndexOfBidiControl(p) >= 0) is { } bidiName)
        {
            throw new ReleaseException(Messages.ReleaseFileNameBidiControl.With(ProjectPath.ShowBidi(bidiName)), where);
        }

        if (release.Files.Keys.FirstOrDefault(ProjectPath.HasControlCharacters) is { } controlName)
        {
            throw new ReleaseException(Messages.ReleaseFileNameControlCharacter.With(ProjectPath.Printable(controlName)), where);
        }

        if (release.Notices.FirstOrDefault(n => ProjectPath.IndexOfBidiControl(n.Text) >= 0) is { Text: not null } notice)
        {
            var index = ProjectPath.IndexOfBidiControl(notice.Text);
            var (line, column) = ProjectPath.LineAndColumn(notice.Text, index);
            throw new ReleaseException(Messages.ReleaseNoticeBidiControl.With(notice.Path, (int)notice.Text[index], line, column), where);
        }

        return release;
    }

    private static UpstreamRelease LoadForm(string projectRoot, UpstreamDeclaration upstream, Func<IReadOnlySet<string>> wanted, ReleaseOptions options)
    {
        if (upstream.Git is { } revision)
        {
            return GitRelease.Load(projectRoot, upstream, revision, wanted, options);
        }

        var location = upstream.Manifest ?? upstream.Bundle!;
        var full = ReleaseLocation.Resolve(projectRoot, location);
        var target = ProjectPath.Real(Resolve(upstream, full));
        if (Directory.Exists(target))
        {
            if (upstream.Manifest is not null)
            {
                throw new ReleaseException(Messages.ReleaseManifestIsFolder.With(), full);
            }

            // The project itself, or a folder holding it, is no release: the project would be compared with itself. For a
            // Hub repository folder, that is asked of the snapshot it names (its refs/main), as the folder read.
            var project = ProjectPath.Real(projectRoot);
            bool Holds(string folder) => folder == project || project.StartsWith(Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
            if (Holds(target))
            {
                throw new ReleaseException(Messages.ReleaseIsProjectFolder.With(), full);
            }

            var hub = HubCache.Locate(target, full);
            if (hub is not null && Holds(ProjectPath.Real(hub.Folder)))
            {
                throw new ReleaseException(Messages.ReleaseIsProjectFolder.With(), hub.Folder);
            }

            return ReadFolder(upstream, location, full, hub?.Folder ?? target, hub, wanted, options);
        }

        // A pipe or a device would block the run: only a regular file is read.
        if (!FileType.IsRegular(target))
        {
            throw new ReleaseException(Messages.ReleaseNotFileOrFolder.With(), full);
        }

        // A manifest, named by "manifest", or by "bundle" when the file is one (a .json file).
        if (upstream.Manifest is not null || target.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return FromManifest(upstream, location, full, target, []) with { FullPath = full };
        }

        return ReadArchive(upstream, location, full, target, options);
    }

    /// <summary>
    /// The path a release location comes to through links: a missing path, an unreadable one and a link loop are
    /// MGP8027, naming it.
    /// </summary>
    private static string Resolve(UpstreamDeclaration upstream, string path)
    {
        FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
        try
        {
            if (info.LinkTarget is not null)
            {
                var final = info.ResolveLinkTarget(returnFinalTarget: true);
                if (final is null || !final.Exists)
                {
                    throw new ReleaseException(Messages.ReleaseLinkBroken.With(info.LinkTarget), path);
                }

                return final.FullName;
            }
        }
        catch (IOException e)
        {
            // Too many levels of links: a loop.
            throw new ReleaseException(Messages.ReleaseLinkLoop.With(e.Message), path);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ReleaseException(Messages.ReleaseFileUnreadable.With(e.Message), path);
        }

        if (!info.Exists)
        {
            throw new ReleaseException(Messages.ReleaseMissing.With(upstream.Name), path);
        }

        return path;
    }

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
                        ProjectPath.Printable(Emit.BundleLimits.Shorten(prefix + entry.Name)), System.Text.Encoding.UTF8.GetByteCount(full), ProjectScanner.MaxSystemPathBytes - 1), root);
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

    private static UpstreamRelease ReadArchive(UpstreamDeclaration upstream, string location, string full, string archive, ReleaseOptions options)
    {
        var scratch = new DiagnosticBag();
        var content = Verification.BundleVerifier.Read(archive, null, scratch, options.CancellationToken);
        var unreadable = scratch.Items.FirstOrDefault(d => d.Code == DiagnosticCatalog.BundleUnreadable.Code);
        if (content is null || unreadable is not null)
        {
            throw new ReleaseException(Messages.ReleaseNotReadable.With(unreadable is null ? "it cannot be read" : WithoutHelp(unreadable)), full);
        }

        // A bundle whose manifest cannot be used (too large, not JSON, given twice) is a release that cannot be compared.
        if (!content.Readable)
        {
            throw new ReleaseException(scratch.Items.FirstOrDefault(d => d.Code == DiagnosticCatalog.BundleManifestInvalid.Code) is { } invalid
                ? Messages.ReleaseArchiveManifestUnusable.With(WithoutHelp(invalid))
                : Messages.ReleaseArchiveManifestTwice.With(), full);
        }

        // A damaged entry is a release that cannot be compared: named, not guessed around.
        if (content.Damaged.FirstOrDefault() is { } damaged)
        {
            throw new ReleaseException(Messages.ReleaseEntryDamaged.With(damaged), full);
        }

        // An entry whose name could not be extracted everywhere makes the archive no release to compare with.
        if (scratch.Items.FirstOrDefault(d => d.Code == DiagnosticCatalog.ArchiveEntryUnsafe.Code) is { } unsafeEntry)
        {
            throw new ReleaseException(Messages.ReleaseRefusedByReader.With(WithoutHelp(unsafeEntry)), full);
        }

        // An entry given twice is one whose copy extraction keeps cannot be told (zip and tar tools keep the last).
        if (scratch.Items.FirstOrDefault(d => d.Code == DiagnosticCatalog.BundleFileUnlisted.Code && d.Message.Contains(" twice.", StringComparison.Ordinal)) is { } twice)
        {
            throw new ReleaseException(Messages.ReleaseRefusedByReader.With(WithoutHelp(twice)), full);
        }

        // A link entry is a file of the release too, whose bytes are not there to hash: listed without a digest, so the
        // project's file of that name counts as changed, and its absence as removed.
        var digests = content.Files.Keys.ToDictionary(p => p, p => content.TryGetDigest(p, out var d) ? d.ToString() : "", StringComparer.Ordinal);
        foreach (var refused in content.Refused.Where(r => !digests.ContainsKey(r)))
        {
            digests[content.Prefix.Length > 0 && refused.StartsWith(content.Prefix, StringComparison.Ordinal) ? refused[content.Prefix.Length..] : refused] = "";
        }
        var names = content.Files.Keys.Where(p => !p.Contains('/', StringComparison.Ordinal) && IsNotice(p)).ToList();
        Verification.BundleVerifier.Fetch(content, [.. names, .. ReleaseDescription.Names], options.CancellationToken);
        // A notice is kept whole or the release is refused, as from a folder: never dropped.
        var notices = names.Order(StringComparer.Ordinal)
            .Select(n => content.Files[n].Length <= MaxNoticeBytes && content.Text(n) is { } bytes ? (n, TextDecoder.DecodeLines(bytes))
                : throw new ReleaseException(Messages.ReleaseNoticeTooLarge.With(n, content.Files[n].Length, MaxNoticeBytes / (1024 * 1024)), full))
            .ToList();
        var release = new UpstreamRelease(upstream.Name, location, digests, notices) { FullPath = full, BytesHashed = content.Files.Values.Sum(f => f.Length) };
        if (content.Manifest is { } manifest)
        {
            // A ModelGoPack bundle: the manifest says what it is; a listed file whose bytes differ is a damaged release.
            var listed = manifest.Files.ToDictionary(f => f.Path, f => f.Sha256.ToString(), StringComparer.Ordinal);
            if (listed.FirstOrDefault(f => digests.TryGetValue(f.Key, out var read) && read.Length > 0 && read != f.Value) is { Key: not null } altered)
            {
                throw new ReleaseException(Messages.ReleaseEntryNotAsListed.With(altered.Key, digests[altered.Key], altered.Value), full);
            }

            release = Described(release, manifest);
        }

        return ReleaseDescription.Describe(release, content.Text);
    }

    /// <summary>The release a modelgo-manifest.json describes, read by verify's manifest reader (its rules and limits).</summary>
    private static UpstreamRelease FromManifest(UpstreamDeclaration upstream, string location, string full, string path, IReadOnlyList<(string Path, string Text)> notices)
    {
        var scratch = new DiagnosticBag();
        Verification.BundleManifest? manifest;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            manifest = Verification.ManifestReader.Read(stream, scratch, full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReleaseException(Messages.ReleaseFileUnreadable.With(e.Message), path);
        }

        if (manifest is null)
        {
            throw new ReleaseException(Messages.ReleaseRefusedByReader.With(scratch.Items.Count > 0 ? WithoutHelp(scratch.Items[0], DiagnosticCatalog.BundleManifestInvalid) : "it cannot be read"), full);
        }

        return Described(new UpstreamRelease(upstream.Name, location, manifest.Files.ToDictionary(f => f.Path, f => f.Sha256.ToString(), StringComparer.Ordinal), notices), manifest);
    }

    /// <summary>The release with what its ModelGoPack manifest says of it: its digest, version, release day and copyright lines (kept as a notice).</summary>
    private static UpstreamRelease Described(UpstreamRelease release, Verification.BundleManifest manifest)
    {
        var declared = manifest.Declaration?.Config;
        var copyright = declared?.Copyright ?? [];
        return release with
        {
            ManifestSha256 = manifest.Digest.ToString(),
            Version = declared?.Version.ToNormalizedString(),
            Name = declared?.Name,
            Licensor = copyright.Count > 0 ? copyright[0] : null,
            ReleaseDate = declared?.ReleaseDate,
            Notices = copyright.Count == 0 ? release.Notices : [.. release.Notices, ("modelgo-manifest.json#copyright", string.Concat(copyright.Select(l => l + "\n")))],
        };
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

    /// <summary>
    /// Whether a root file of a release is a notice to keep: NOTICE, COPYRIGHT, AUTHORS or ATTRIBUTION (any case),
    /// alone or with .txt or .md, as verify reads a bundle's (not copyright_classifier.onnx).
    /// </summary>
    internal static bool IsNotice(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var (stem, extension) = dot < 0 ? (name, "") : (name[..dot], name[dot..]);
        return NoticeNames.Contains(stem, StringComparer.OrdinalIgnoreCase)
            && (extension.Length == 0 || extension.Equals(".txt", StringComparison.OrdinalIgnoreCase) || extension.Equals(".md", StringComparison.OrdinalIgnoreCase));
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

    /// <summary>Hashes release files through the digest cache (keyed by their full paths); a file that cannot be read is MGP8027.</summary>
    private static (Dictionary<string, string> Digests, long Bytes) Hash(UpstreamDeclaration upstream, IReadOnlyList<ProjectFile> files, ReleaseOptions options)
    {
        if (files.Count == 0)
        {
            return (new Dictionary<string, string>(StringComparer.Ordinal), 0);
        }

        var scratch = new DiagnosticBag();
        var counter = new ProgressCounter();
        var digests = DigestEngine.HashAll(files, options.Cache, counter, scratch, options.CancellationToken, "hashing the upstream");
        if (scratch.Items.FirstOrDefault(d => d.Severity == Severity.Error) is { } problem)
        {
            throw new ReleaseException(Messages.ReleaseFileUnhashable.With(problem.Message), problem.Path ?? "");
        }

        return (digests, counter.BytesHashed);
    }

    /// <summary>With --verify-upstream: hashes files whose digest was taken on trust; one that differs is MGP8039.</summary>
    private static long VerifyAgainst(UpstreamDeclaration upstream, IReadOnlyList<ProjectFile> files, Func<string, string> expected, string why, ReleaseOptions options)
    {
        // Hashed afresh: a cached digest is no check of what the blob holds now.
        var (digests, bytes) = Hash(upstream, files, options with { Cache = DigestCache.InMemory() });
        foreach (var file in files)
        {
            var want = expected(file.FullPath);
            if (want.Length > 0 && digests[file.RelativePath] != want)
            {
                throw new ReleaseException(Messages.ReleaseDigestNotAsTrusted.With(digests[file.RelativePath], why, want), file.FullPath);
            }
        }

        return bytes;
    }

    /// <summary>
    /// What a finding of verify's readers says, without the help of <paramref name="code"/> (by default its own): said of
    /// a release, it is MGP8027's, with MGP8027's help.
    /// </summary>
    private static string WithoutHelp(Diagnostic finding, DiagnosticDescriptor? code = null) => finding.Message.Split(" " + (code ?? finding.Descriptor).Help)[0];

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

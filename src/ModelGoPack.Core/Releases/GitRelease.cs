using System.Security.Cryptography;
using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Loading;
using ModelGoPack.Discovery;

namespace ModelGoPack.Releases;

/// <summary>
/// A release as a git revision holds it: of the project's own repository (its files under the project's folder), or
/// of another local clone (<c>repository</c>: the upstream's Hub repository cloned, its files from the root). Each
/// file's SHA-256 comes from the blob git stores, read with <c>git cat-file</c> (never the work tree, never a
/// filter): a Git LFS pointer gives the oid it names, the SHA-256 of the real file, so no weight is read or run
/// through the LFS clean filter; another blob is hashed once and remembered in the digest cache by its blob id
/// (an id names its content for good).
/// </summary>
internal static class GitRelease
{
    public static UpstreamRelease Load(string projectRoot, UpstreamDeclaration upstream, string revision, Func<IReadOnlySet<string>> wanted, ReleaseOptions options)
    {
        var other = upstream.Repository is not null;
        var where = other ? ReleaseLocation.Resolve(projectRoot, upstream.Repository!) : projectRoot;
        if (other && !Directory.Exists(where))
        {
            throw new ReleaseException(Messages.GitCloneMissing.With(), where);
        }

        // The project's own repository is named by leaving "repository" out; a clone that is or holds the project is no other.
        var project = ProjectPath.Real(projectRoot);
        if (other && (ProjectPath.Real(where) == project || project.StartsWith(ProjectPath.Real(where) + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
        {
            throw new ReleaseException(Messages.GitCloneIsProject.With(), where);
        }

        var git = other ? Git.OpenClone(where, options.GitExecutable, out var problem) : Git.Open(where, options.GitExecutable, out problem);
        if (git is null)
        {
            throw Git.IsUnavailable(problem!)
                ? new ReleaseException(Messages.GitCannotRun.With(problem), where)
                : new ReleaseException(Messages.GitReleaseRefused.With(problem), where);
        }

        var links = new List<string>();
        var commit = git.Commit(revision)
            ?? throw new ReleaseException(Messages.GitRevisionUnknown.With(ProjectPath.Printable(revision)), where);
        Dictionary<string, (string Blob, long Size, bool Link)> tree;
        try
        {
            tree = git.Tree(commit, whole: other);
            if (other)
            {
                Follow(git, tree, where, revision, options.CancellationToken);
            }
        }
        catch (InvalidDataException e)
        {
            throw new ReleaseException(Messages.ReleaseFileUnreadable.With(e.Message), where);
        }

        // A link other than a root notice followed above is a file of the release whose bytes are not there to hash (as
        // a link entry of an archive): listed without a digest, so the project's file of that name counts as changed.
        foreach (var link in tree.Where(f => f.Value.Link).Select(f => f.Key).ToList())
        {
            tree.Remove(link);
            links.Add(link);
        }

        // Digests for the files the project also has, and the root notice files of another clone.
        var notices = other ? tree.Keys.Where(p => !p.Contains('/', StringComparison.Ordinal) && ReleaseReader.IsNotice(p)).Order(StringComparer.Ordinal).ToList() : [];
        if (notices.FirstOrDefault(n => tree[n].Size > ProjectLoader.MaxTextFileBytes) is { } large)
        {
            throw new ReleaseException(Messages.GitNoticeTooLarge.With(large, revision, tree[large].Size, ProjectLoader.MaxTextFileBytes / (1024 * 1024)), where);
        }
        var described = other ? ReleaseDescription.Names.Where(n => tree.TryGetValue(n, out var f) && f.Size <= ProjectLoader.MaxTextFileBytes).ToList() : [];
        var digests = tree.Keys.Concat(links).ToDictionary(p => p, _ => "", StringComparer.Ordinal);

        // What the release says of itself (its notices, license and card) needs no digest: read while the project is
        // still being listed. (The release holds the digests by reference; those computed below are filled in.)
        var texts = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        Read(notices.Concat(described).Select(n => tree[n].Blob).Distinct(StringComparer.Ordinal).ToList(), (blob, size, content) =>
        {
            var text = new byte[size];
            content.ReadExactly(text);
            texts[blob] = text;
        });

        // Asked of git only when the config gives no url (the declared one wins anyway).
        var url = other && upstream.Url is null ? Provenance.Url(git.OriginUrl()) : null;
        var blobs = new Dictionary<string, string>(StringComparer.Ordinal);
        var release = new UpstreamRelease(upstream.Name, "git " + revision, digests,
            notices.Select(n => (n, TextDecoder.DecodeLines(texts[tree[n].Blob]))).ToList())
        {
            // The commit of another clone is the upstream's own revision; one of the project's repository is the project's history.
            Revision = other ? commit : null,
            Url = url,
            GitBlobs = blobs,
        };

        // Another clone says what it is under; the project's own repository is the project's (its files are judged as such).
        release = other ? ReleaseDescription.Describe(release, n => described.Contains(n) ? texts[tree[n].Blob] : null) : release;

        // Digests for the files the project also has: from the digest cache by blob id, else read with git cat-file.
        var want = wanted();
        var needed = tree.Where(f => want.Contains(f.Key)).ToList();
        var byBlob = new Dictionary<string, string>(StringComparer.Ordinal);
        var pointers = new HashSet<string>(StringComparer.Ordinal);
        var unread = new List<string>();
        long bytes = 0;
        foreach (var (_, (blob, size, _)) in needed)
        {
            if (byBlob.ContainsKey(blob))
            {
                continue;
            }

            if (options.Cache.TryGet(PointerKey(blob), Stamp(size)) is { } oid)
            {
                byBlob[blob] = oid;
                pointers.Add(blob);
            }
            else if (options.Cache.TryGet(BlobKey(blob), Stamp(size)) is { } known)
            {
                byBlob[blob] = known;
            }
            else if (texts.TryGetValue(blob, out var text))
            {
                Record(blob, text.Length, new MemoryStream(text));
            }
            else
            {
                byBlob[blob] = "";
                unread.Add(blob);
            }
        }

        Read(unread, Record);

        void Record(string blob, long size, Stream content)
        {
            // A pointer is remembered under its own key, so that a later run knows the file is stored with LFS.
            string digest;
            var pointer = false;
            if (size <= LfsPointer.MaxBytes)
            {
                var small = new byte[size];
                content.ReadExactly(small);
                var named = LfsPointer.TryParse(small);
                pointer = named is not null;
                digest = named?.Oid ?? Convert.ToHexStringLower(SHA256.HashData(small));
            }
            else
            {
                digest = Convert.ToHexStringLower(SHA256.HashData(content));
            }

            bytes += size;
            byBlob[blob] = digest;
            if (pointer)
            {
                pointers.Add(blob);
            }

            options.Cache.Put(pointer ? PointerKey(blob) : BlobKey(blob), Stamp(size), digest, DateTimeOffset.UtcNow);
        }

        void Read(IReadOnlyList<string> ids, Action<string, long, Stream> read)
        {
            try
            {
                git.ReadBlobs(ids, read, options.CancellationToken);
            }
            catch (InvalidDataException e)
            {
                throw new ReleaseException(Messages.ReleaseFileUnreadable.With(e.Message), where);
            }
        }

        foreach (var (path, (blob, _, _)) in needed)
        {
            digests[path] = byBlob[blob];
            if (!pointers.Contains(blob))
            {
                blobs[path] = blob;
            }
        }

        return release with { BytesHashed = bytes };
    }

    /// <summary>
    /// The release's root notice and description files (NOTICE, LICENSE, README.md, …) that git stores as symbolic links
    /// take the blob of the file the link leads to inside the tree, through links of files and folders as a checkout
    /// would show it; a link out of the tree, to no file of it, or past eight links, is MGP8027: a release's notices
    /// are its own.
    /// </summary>
    private static void Follow(Git git, Dictionary<string, (string Blob, long Size, bool Link)> tree, string where, string revision, CancellationToken cancellationToken)
    {
        var named = tree.Where(f => f.Value.Link && !f.Key.Contains('/', StringComparison.Ordinal) && (ReleaseReader.IsNotice(f.Key) || ReleaseDescription.Names.Contains(f.Key)))
            .Select(f => f.Key).ToList();
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in named)
        {
            var resolved = Resolve(tree, name, blob => targets.TryGetValue(blob, out var known) ? known : targets[blob] = ReadTarget(git, blob, cancellationToken));
            var target = ProjectPath.Printable(targets[tree[name].Blob]);
            tree[name] = resolved switch
            {
                { Path: null, TooMany: true } => throw new ReleaseException(Messages.GitNoticeLinkTooDeep.With(name, revision, target), where),
                { Path: null } => throw new ReleaseException(Messages.GitNoticeLinkOutside.With(name, revision, target), where),
                { Path: { } path } when tree.TryGetValue(path, out var file) && !file.Link => file,
                _ => throw new ReleaseException(Messages.GitNoticeLinkNowhere.With(name, revision, target), where),
            };
        }
    }

    private static string ReadTarget(Git git, string blob, CancellationToken cancellationToken)
    {
        var target = "";
        git.ReadBlobs([blob], (_, size, content) =>
        {
            var bytes = new byte[Math.Min(size, 4096)];
            content.ReadExactly(bytes);
            target = System.Text.Encoding.UTF8.GetString(bytes);
        }, cancellationToken);
        return target;
    }

    /// <summary>
    /// The tree path <paramref name="path"/> leads to, each of its folders and the file itself followed through the
    /// links the tree stores (<paramref name="target"/> gives a link blob's target, relative to the link's folder), as a
    /// checkout resolves it: null when it leaves the tree (an absolute target, or up past the root), or, with
    /// <c>TooMany</c>, past eight links.
    /// </summary>
    internal static (string? Path, bool TooMany) Resolve(IReadOnlyDictionary<string, (string Blob, long Size, bool Link)> tree, string path, Func<string, string> target)
    {
        var done = new List<string>();
        var rest = new Queue<string>(path.Split('/'));
        var links = 0;
        while (rest.TryDequeue(out var part))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (done.Count == 0)
                {
                    return (null, false);
                }

                done.RemoveAt(done.Count - 1);
                continue;
            }

            done.Add(part);
            if (tree.TryGetValue(string.Join('/', done), out var entry) && entry.Link)
            {
                if (++links > 8)
                {
                    return (null, true);
                }

                var to = target(entry.Blob);
                if (to.Length == 0 || to.StartsWith('/'))
                {
                    return (null, false);
                }

                // The link stands for its target, read from the link's own folder.
                done.RemoveAt(done.Count - 1);
                rest = new Queue<string>([.. to.Split('/'), .. rest]);
            }
        }

        // The root itself is inside the tree, and no file of it.
        return (string.Join('/', done), false);
    }

    private static string BlobKey(string blob) => "git-blob:" + blob;

    private static string PointerKey(string blob) => "git-lfs:" + blob;

    // A blob id names its content for good: the identity is the size alone.
    private static FileStamp Stamp(long size) => new(size, 0, 0, 0, 0);
}

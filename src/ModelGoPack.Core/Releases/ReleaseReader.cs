using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Hashing;
using ModelGoPack.Loading;

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
/// hold is MGP8039. Split by form: this file tells the forms apart and hashes; ReleaseReader.Folder.cs reads a folder,
/// ReleaseReader.Archive.cs an archive or a manifest, <see cref="GitRelease"/> a revision. What is wrong with a release
/// is a message of Messages/Releases.cs.
/// </summary>
internal static partial class ReleaseReader
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
}

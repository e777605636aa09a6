using ModelGoPack.Diagnostics;
using ModelGoPack.Emit;
using ModelGoPack.Loading;
using ModelGoPack.Releases;

namespace ModelGoPack.Discovery;

/// <summary>
/// Discover: lists the files that make up the project. Skips <c>.git/</c>, <c>bin/</c>, <c>obj/</c> at any
/// depth, the output path and (when asked) every folder below the root that holds a modelgo-manifest.json,
/// applies the config's include/exclude globs, and rejects symbolic links instead of following them.
/// </summary>
internal static class ProjectScanner
{
    /// <summary>Folder names never walked, at any depth.</summary>
    public static readonly IReadOnlyList<string> DefaultIgnoredDirectories = [".git", "bin", "obj"];

    /// <summary>
    /// Files that commonly hold credentials (package feed keys, tokens), never bundled at any depth:
    /// a bundle is published, and these are not model material.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultIgnoredFiles = ["NuGet.Config", "nuget.config", "NuGet.config", ".npmrc", ".pypirc", ".netrc", ".env"];

    /// <summary>
    /// The longest path the system opens, in bytes with its terminating NUL: PATH_MAX, 4,096 on Linux and 1,024
    /// on macOS; Windows, whose long paths .NET opens, takes 32,767 characters.
    /// </summary>
    public static readonly int MaxSystemPathBytes = OperatingSystem.IsWindows() ? 32_767 : OperatingSystem.IsMacOS() ? 1_024 : 4_096;

    /// <summary>Prefix of ModelGoPack's temporary outputs; never part of a project.</summary>
    public const string TemporaryPrefix = ".modelgopack-tmp-";

    /// <summary>
    /// The project's files, sorted by path. In the same walk, regular files named
    /// <paramref name="alsoNamed"/> anywhere (whatever the globs say) go to <paramref name="also"/>.
    /// </summary>
    public static List<ProjectFile> Scan(string root, Globs globs, IEnumerable<string> excludedFullPaths, DiagnosticBag diagnostics, CancellationToken cancellationToken, string? alsoNamed = null, List<ProjectFile>? also = null, List<string>? bundles = null)
    {
        var excluded = new HashSet<string>(excludedFullPaths.Select(p => Path.TrimEndingDirectorySeparator(Path.GetFullPath(p))), StringComparer.Ordinal);
        var files = new List<ProjectFile>();

        // Each file found is held as its relative path and size only (not the FileInfo the listing made, nor its full
        // path): a project of a million files holds the list until the globs are applied. Its full path is the root's
        // (one string for all) joined with the relative path, or, where that would not give it back, its own.
        var rootFull = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var candidates = new List<Candidate>();
        var pending = new Stack<DirectoryInfo>();
        pending.Push(new DirectoryInfo(root));
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = false,
            AttributesToSkip = 0,
            IgnoreInaccessible = false,
            ReturnSpecialDirectories = false,
        };

        // Whether what is at a path could be bundled (a folder: whether a file in it could be). Problems with what
        // the globs exclude are no problems: its files are never read (only dataset stamps are looked for there).
        bool Included(string relative, bool folder) => globs.IsMatch(folder ? relative + "/_" : relative);

        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var directory = pending.Pop();
            FileSystemInfo[] entries;
            try
            {
                entries = directory.GetFileSystemInfos("*", options);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                var relative = ProjectPath.FromFileSystem(root, directory.FullName);
                if (Included(relative, folder: true))
                {
                    diagnostics.Add(Messages.ProjectFolderUnlistable.With(ProjectPath.Printable(relative), e.Message), relative);
                }

                continue;
            }

            // A folder below the root that holds ModelGoPack's modelgo-manifest.json, or is an OCI layout pack wrote, is a
            // bundle (an earlier output, an upstream's release): none of it is the project's.
            if (bundles is not null && Path.TrimEndingDirectorySeparator(directory.FullName) != Path.TrimEndingDirectorySeparator(root)
                && (entries.Any(e => e is FileInfo && e.LinkTarget is null && e.Name == ProjectLoader.ManifestFileName && EarlierBundle.IsManifestFile(e.FullName))
                    || (entries.Any(e => e is FileInfo && e.LinkTarget is null && e.Name == Oci.OciMediaTypes.LayoutFile) && EarlierBundle.IsOciLayout(directory.FullName))))
            {
                bundles.Add(ProjectPath.FromFileSystem(root, directory.FullName));
                continue;
            }

            // Two names that read alike: bytes that are not UTF-8 decode to U+FFFD, as a name that holds U+FFFD reads.
            var reported = new HashSet<string>(StringComparer.Ordinal);
            var twins = entries.GroupBy(e => e.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                if (excluded.Contains(entry.FullName) || entry.Name.StartsWith(TemporaryPrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                var isDirectory = entry is DirectoryInfo;
                if (isDirectory ? DefaultIgnoredDirectories.Contains(entry.Name) : DefaultIgnoredFiles.Contains(entry.Name))
                {
                    continue;
                }

                // A worktree's or submodule's .git file (it names a path of this machine), and the bookkeeping huggingface_hub
                // keeps in a --local-dir download (.cache/huggingface), are never the model's.
                if (entry.Name == ".git" || (isDirectory && entry.Name == "huggingface" && directory.Name == ".cache"))
                {
                    continue;
                }

                var full = Path.Join(directory.FullName, entry.Name);
                var relative = ProjectPath.FromFileSystem(root, full);
                var what = isDirectory ? "folder" : "file";

                // A name the system holds as bytes that are not UTF-8: .NET reads U+FFFD in their place, and no file has that
                // name. A name that really holds U+FFFD is found under it, and is fine.
                if (entry.Name.Contains('\uFFFD', StringComparison.Ordinal) && (twins.Contains(entry.Name) || !FileType.Exists(full)))
                {
                    // Said once for a name that two entries read as.
                    if (Included(relative, isDirectory) && reported.Add(relative))
                    {
                        diagnostics.Add(
                            twins.Contains(entry.Name) ? Messages.ProjectNamesAlike.With(ProjectPath.Printable(relative)) : Messages.ProjectNameNotUtf8.With(what, ProjectPath.Printable(relative)),
                            relative);
                    }

                    continue;
                }

                // Past the longest path the system opens, nothing can be read or walked: said once, at the first such entry.
                if (System.Text.Encoding.UTF8.GetByteCount(full) >= MaxSystemPathBytes)
                {
                    if (Included(relative, isDirectory))
                    {
                        diagnostics.Add(Messages.ProjectPathTooLongForSystem.With(
                            what, ProjectPath.Printable(BundleLimits.Shorten(relative)), System.Text.Encoding.UTF8.GetByteCount(full), MaxSystemPathBytes - 1), relative);
                    }

                    continue;
                }

                if (entry.LinkTarget is not null)
                {
                    // A link to a folder is reported when files under it would be included.
                    if (Included(relative, isDirectory))
                    {
                        diagnostics.Add(Messages.ProjectSymlink.With(relative, entry.LinkTarget), relative);
                    }

                    continue;
                }

                if (entry is DirectoryInfo subdirectory)
                {
                    pending.Push(subdirectory);
                }
                else if (entry is FileInfo file)
                {
                    long length = 0;
                    string? unreadable = null;
                    try
                    {
                        length = file.Length;
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        unreadable = e.Message;
                    }

                    var own = ProjectFile.Under(rootFull, relative, 0).FullPath == full ? null : full;
                    candidates.Add(new Candidate(relative, own, length, unreadable));
                }
            }
        }

        ProjectFile File(Candidate c) => c.FullPath is null ? ProjectFile.Under(rootFull, c.Relative, c.Length) : new ProjectFile(c.Relative, c.FullPath, c.Length);
        if (alsoNamed is not null && also is not null)
        {
            also.AddRange(candidates
                .Where(c => c.Unreadable is null && Path.GetFileName(c.Relative) == alsoNamed)
                .Select(File)
                .Where(f => FileType.IsRegular(f.FullPath))
                .OrderBy(f => f.RelativePath, StringComparer.Ordinal));
        }

        foreach (var candidate in globs.Matching(candidates, c => c.Relative))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = File(candidate);
            if (!FileType.IsRegular(file.FullPath))
            {
                diagnostics.Add(Messages.ProjectFileNotRegular.With(candidate.Relative), candidate.Relative);
            }
            else if (candidate.Unreadable is { } message)
            {
                diagnostics.Add(Messages.ProjectFileUnreadable.With(candidate.Relative, message), candidate.Relative);
            }
            else
            {
                files.Add(file);
            }
        }

        files.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return files;
    }

    /// <summary>A file the walk found: its relative path, its full path when not the root's joined with it, its size, or why that could not be read.</summary>
    private readonly record struct Candidate(string Relative, string? FullPath, long Length, string? Unreadable);
}

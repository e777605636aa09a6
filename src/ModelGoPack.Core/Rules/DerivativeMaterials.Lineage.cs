using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Loading;
using ModelGoPack.Releases;
using ModelGoPack.Hashing;

namespace ModelGoPack.Rules;

/// <summary>
/// 2.2(a)(ii) found, not only declared: a derivative upstream that names its release (<c>manifest</c>,
/// <c>bundle</c> or <c>git</c>) is compared file by file with the project. Every modified, added or
/// removed file gets a date: from a declared modification covering it, else from the last git commit
/// touching it (a warning asks to declare it), else an error. A declared modification that changed nothing
/// is a warning.
/// </summary>
internal static partial class DerivativeMaterials
{
    /// <summary>The largest file compared again with its line ends made LF: 64 MiB (a text file a checkout converts).</summary>
    private const long MaxTextCompared = 64L * 1024 * 1024;

    /// <summary>The SHA-256 of a text file with every CRLF made LF, or null for one git takes for binary (a NUL in its first 8,000 bytes) or that cannot be read.</summary>
    internal static string? LineEndsMadeLf(ProjectFile file)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file.FullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (bytes.AsSpan(0, Math.Min(bytes.Length, 8000)).Contains((byte)0))
        {
            return null;
        }

        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var start = 0;
        for (var i = 0; i + 1 < bytes.Length; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n')
            {
                hash.AppendData(bytes, start, i - start);
                start = i + 1;
            }
        }

        hash.AppendData(bytes, start, bytes.Length - start);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Compares each derivative upstream's release with the project, file by file (see this file's summary).</summary>
    public static void Lineage(ModelProject project, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        // git is opened once, when the first undeclared change needs a date (a failed open is not retried).
        Git? git = null;
        string? gitProblem = null;
        var gitOpened = false;
        foreach (var release in project.Releases)
        {
            var upstream = project.Config.Upstream.First(u => u.Name == release.Upstream);
            if (upstream.Relation != UpstreamRelation.Derivative)
            {
                continue;
            }

            // Files every bundle has of its own and the config are not changes, nor are the upstream's notice files the
            // project keeps where the release has none (upstream/base/NOTICE); one the release has at that path is compared
            // like any file, since a notice cut short is a notice not kept. (A release inside the project, and any earlier
            // bundle, were left out of the project's files when it was loaded.)
            var notices = upstream.Notices.Where(n => !release.Files.ContainsKey(n)).ToHashSet(StringComparer.Ordinal);
            bool Compared(string path) =>
                !UpstreamRelease.Generated.Contains(path) && path != ModelGoConfig.FileName && !notices.Contains(path);

            var files = project.Files.Where(f => Compared(f.RelativePath)).ToDictionary(f => f.RelativePath, StringComparer.Ordinal);
            var changed = new SortedDictionary<string, string>(StringComparer.Ordinal);

            // By SHA-256: the files the release also has, hashed on all cores (or taken from the digest cache). A git
            // release gives the SHA-256 of what git stores (an LFS pointer's oid), so no weight goes through git's filters.
            var common = files.Values.Where(f => release.Files.ContainsKey(f.RelativePath)).ToList();
            var digests = DigestEngine.HashAll(common, project.Digests, null, diagnostics, cancellationToken);

            // A file git stores whole may differ from its blob only by the line ends a checkout converted (CRLF in the work
            // tree, LF in git): compared again with its CRLF made LF, when git itself would take it for text (no NUL in its
            // first 8,000 bytes). Nothing else of git's (the project's own attributes, ident, filters) is applied.
            foreach (var file in common.Where(f => f.Length <= MaxTextCompared && release.GitBlobs.ContainsKey(f.RelativePath)
                && digests.TryGetValue(f.RelativePath, out var d) && d != release.Files[f.RelativePath]))
            {
                if (LineEndsMadeLf(file) == release.Files[file.RelativePath])
                {
                    digests[file.RelativePath] = release.Files[file.RelativePath];
                }
            }

            foreach (var path in files.Keys)
            {
                if (!release.Files.TryGetValue(path, out var expected))
                {
                    changed[path] = "added";
                }
                else if (digests.TryGetValue(path, out var digest) && digest != expected)
                {
                    changed[path] = "modified";
                }
            }

            foreach (var path in release.Files.Keys.Where(p => Compared(p) && !files.ContainsKey(p)))
            {
                changed[path] = "removed";
            }

            // The manifest lists what the derivative removed, so verify knows the paths its modifications name.
            project.RemovedFiles[upstream.Name] = changed.Where(c => c.Value == "removed").Select(c => c.Key).ToList();

            var modifications = project.Config.Modifications.Where(m => m.Upstream is null || m.Upstream == upstream.Name).ToList();
            var declared = modifications.Where(m => m.Paths.Count > 0).Select(m => new Globs(m.Paths, [])).ToList();
            // Not declared: dated from git when the change is committed, else the user must declare it. git is asked of
            // all of them at once (one status, and one walk of a history without merges), not once per file; when it
            // cannot answer, no change is taken for committed (MGP8028 for each).
            var undeclared = changed.Where(c => !declared.Any(g => g.IsMatch(c.Key))).ToList();
            if (undeclared.Count > 0 && !gitOpened)
            {
                git = Git.Open(project.Root, project.GitExecutable, out gitProblem);
                gitOpened = true;
            }

            var paths = undeclared.Select(c => c.Key).ToList();
            HashSet<string> uncommitted = [];
            Dictionary<string, DateOnly> dates = [];
            var failed = git is null && gitProblem is not null && Git.IsUnavailable(gitProblem) ? gitProblem : null;
            try
            {
                uncommitted = git?.Uncommitted(paths) ?? [];
                dates = git?.LastCommitDates(paths.Where(p => !uncommitted.Contains(p)).ToList()) ?? [];
            }
            catch (InvalidDataException e)
            {
                failed = e.Message.TrimEnd('.') + ".";
            }

            foreach (var (path, kind) in undeclared)
            {
                if (failed is not null)
                {
                    diagnostics.Add(Messages.ChangeNeedsGit.With(path, kind, upstream.Name, failed), path);
                    continue;
                }

                if (dates.TryGetValue(path, out var committed))
                {
                    diagnostics.Add(Messages.ChangeDatedFromGit.With(path, kind, upstream.Name, release.Location, committed), path);
                    project.DetectedModifications.Add(new ModificationDeclaration
                    {
                        Date = committed,
                        Description = $"{char.ToUpperInvariant(kind[0])}{kind[1..]} {path}",
                        Paths = [path],
                        Upstream = upstream.Name,
                    });
                    continue;
                }

                var why = git is null ? "the project is not in a git repository" : "the change is not committed";
                diagnostics.Add(Messages.ChangeUndeclared.With(path, kind, upstream.Name, release.Location, why), path);
            }

            foreach (var modification in modifications.Where(m => m.Paths.Count > 0))
            {
                // Naming a change is the common case, found among the few changes; only a modification naming none has
                // every path of the project and the release matched, to say which it names.
                var globs = new Globs(modification.Paths, []);
                if (changed.Keys.Any(globs.IsMatch))
                {
                    continue;
                }

                var matched = files.Keys.Concat(release.Files.Keys).Where(p => Compared(p) && globs.IsMatch(p)).Distinct(StringComparer.Ordinal).ToList();
                if (matched.Count > 0 && !matched.Any(changed.ContainsKey))
                {
                    var (where, line, column) = project.Source.Locate(modification.JsonPath);
                    diagnostics.Add(Messages.ModificationDidNotHappen.With(modification.Date, modification.Description, string.Join(", ", matched), upstream.Name), where, line, column);
                }
            }
        }
    }
}

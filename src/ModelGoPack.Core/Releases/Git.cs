using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ModelGoPack.Releases;

/// <summary>
/// The few git facts lineage needs, read by running <c>git</c> (MODELGOPACK_GIT names another
/// executable): the files of a commit or tag with their blob ids, whether a file has uncommitted
/// changes, and the date of the last commit touching a file.
/// </summary>
internal sealed class Git
{
    private readonly string executable;
    private readonly string root;
    private string? prefix;

    private Git(string executable, string root)
    {
        this.executable = executable;
        this.root = root;
    }

    /// <summary>
    /// Variables that name a repository, an index or an object store other than the folder's own, or read pathspecs
    /// otherwise than literally (which would clash with GIT_LITERAL_PATHSPECS, set for every run).
    /// </summary>
    private static readonly string[] RepositoryVariables =
    [
        "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_NAMESPACE", "GIT_ICASE_PATHSPECS", "GIT_GLOB_PATHSPECS", "GIT_NOGLOB_PATHSPECS",
    ];

    /// <summary>The repository holding <paramref name="projectRoot"/>, or null when git is missing or it is not in one.</summary>
    public static Git? Open(string projectRoot, string executable, out string? problem)
    {
        var git = new Git(executable, projectRoot);
        var (exit, output, error) = git.Run("rev-parse", "--is-inside-work-tree");
        problem = exit switch
        {
            -1 => Unavailable(executable, error),
            0 when output.Trim() == "true" => null,
            _ => "is not inside a git work tree.",
        };
        return problem is null ? git : null;
    }

    /// <summary>Whether <paramref name="problem"/> (of <see cref="Open"/> or <see cref="OpenClone"/>) is that git could not be run at all.</summary>
    public static bool IsUnavailable(string problem) => problem.StartsWith(UnavailablePrefix, StringComparison.Ordinal);

    private const string UnavailablePrefix = "git could not be run";

    private static string Unavailable(string executable, string error) => $"{UnavailablePrefix} ('{executable}'): {error}";

    /// <summary>Another clone (a work tree or a bare repository) at <paramref name="path"/>, or null when git is missing or it is none.</summary>
    public static Git? OpenClone(string path, string executable, out string? problem)
    {
        var git = new Git(executable, path);
        var (exit, output, error) = git.Run("rev-parse", "--is-bare-repository", "--absolute-git-dir");
        // Paths as git prints them, one a line: a folder's name may begin or end with a space.
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var real = ProjectPath.Real(path);

        // The clone itself: a bare repository's own folder, or its work tree's top; not a folder somewhere inside one.
        var top = exit == 0 && lines.Length >= 2 && (lines[0] == "true"
            ? ProjectPath.Real(lines[1]) == real
            : git.Run("rev-parse", "--show-toplevel") is (0, var toplevel, _) && ProjectPath.Real(toplevel.TrimEnd('\n')) == real);
        problem = exit switch
        {
            -1 => Unavailable(executable, error),
            0 when top => null,
            0 => "is a folder inside a git repository, not a clone's top folder; name the clone itself.",
            _ => $"is not a git repository git will read ({error.Trim()}).",
        };
        return problem is null ? git : null;
    }

    /// <summary>The commit <paramref name="revision"/> names (a tag, a branch, an abbreviated id), or null when it names none.</summary>
    public string? Commit(string revision)
    {
        var (exit, output, _) = this.Run("rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}");
        return exit == 0 && output.Trim() is { Length: 40 or 64 } id ? id : null;
    }

    /// <summary>The URL of the clone's <c>origin</c> remote, or null.</summary>
    public string? OriginUrl()
    {
        var (exit, output, _) = this.Run("config", "--get", "remote.origin.url");
        return exit == 0 && output.Trim() is { Length: > 0 } url ? url : null;
    }

    /// <summary>
    /// The files of <paramref name="commit"/>: path (relative to the project, or to the repository's root when
    /// <paramref name="whole"/>) to blob id, size, and whether it is a symbolic link (mode 120000: its blob is the
    /// link's target, not a file's content). A submodule (a commit, not a blob) is no file.
    /// </summary>
    public Dictionary<string, (string Blob, long Size, bool Link)> Tree(string commit, bool whole)
    {
        var (exit, output, error) = whole
            ? this.Run("ls-tree", "-r", "-z", "-l", "--full-tree", commit)
            : this.Run("ls-tree", "-r", "-z", "-l", "--full-name", commit, "--", ".");
        if (exit != 0)
        {
            throw new InvalidDataException($"git ls-tree {commit} failed: {error.Trim()}");
        }

        var prefix = whole ? "" : this.Prefix();
        var files = new Dictionary<string, (string, long, bool)>(StringComparer.Ordinal);
        foreach (var record in output.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            // "<mode> blob <id> <size>\t<path>" (the size right-aligned in spaces)
            var tab = record.IndexOf('\t', StringComparison.Ordinal);
            var fields = record[..tab].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 4 && fields[1] == "blob" && long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                var path = record[(tab + 1)..];
                files[path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : path] = (fields[2], size, fields[0] == "120000");
            }
        }

        return files;
    }

    /// <summary>
    /// Streams the content of each blob to <paramref name="read"/> (id, size, content) in one <c>git cat-file --batch</c>:
    /// the bytes git stores, no filter applied (an LFS file's pointer, not its content).
    /// </summary>
    public void ReadBlobs(IReadOnlyList<string> ids, Action<string, long, Stream> read, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        var start = this.Start("cat-file", "--batch");
        start.RedirectStandardInput = true;
        using var process = Process.Start(start) ?? throw new InvalidDataException("git cat-file could not be started.");
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        var writer = Task.Run(() =>
        {
            try
            {
                foreach (var id in ids)
                {
                    process.StandardInput.Write(id + "\n");
                }

                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // git stopped early; what it said is in its error output.
            }
        }, cancellationToken);
        using var output = new BufferedStream(process.StandardOutput.BaseStream, 1 << 16);
        foreach (var id in ids)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var header = ReadLine(output) ?? throw new InvalidDataException($"git cat-file ended early: {error.Result.Trim()}");
            var fields = header.Split(' ');
            if (fields.Length != 3 || fields[1] != "blob" || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                throw new InvalidDataException($"git cat-file cannot read the blob {id}: {header}");
            }

            using (var content = new Bounded(output, size))
            {
                read(fields[0], size, content);
                content.CopyTo(Stream.Null);
            }

            output.ReadByte();
        }

        writer.Wait(cancellationToken);
        process.WaitForExit();
    }

    private static string? ReadLine(Stream stream)
    {
        var bytes = new List<byte>(64);
        int next;
        while ((next = stream.ReadByte()) >= 0 && next != '\n')
        {
            if (bytes.Count > 4096)
            {
                return null;
            }

            bytes.Add((byte)next);
        }

        return next < 0 && bytes.Count == 0 ? null : Encoding.UTF8.GetString([.. bytes]);
    }

    /// <summary>A window of <c>length</c> bytes of a stream, read once.</summary>
    private sealed class Bounded(Stream inner, long size) : ReadOnlyStream
    {
        private long read;

        public override long Length => size;

        public override long Position { get => this.read; set => throw new NotSupportedException(); }

        public override int Read(Span<byte> buffer)
        {
            var left = size - this.read;
            if (left == 0)
            {
                return 0;
            }

            var count = inner.Read(buffer[..(int)Math.Min(buffer.Length, left)]);
            if (count == 0)
            {
                throw new InvalidDataException("git cat-file ended inside a blob.");
            }

            this.read += count;
            return count;
        }
    }

    /// <summary>
    /// The most of the command line a run of git is given paths for: 256 paths, and 8,000 characters of them (Windows
    /// takes 32,767 characters, a Linux of a small stack 64 KiB).
    /// </summary>
    private const int PathsPerRun = 256;

    private const int PathCharactersPerRun = 8_000;

    /// <summary>
    /// Of <paramref name="paths"/> (relative to the project), those whose content may not be the committed one. A path
    /// counts as committed only when git says so positively: a file of the work tree must be in the index under
    /// exactly its name, at stage 0, without skip-worktree or assume-unchanged (<c>git ls-files -v -s</c>: else it is
    /// untracked, ignored, in a nested repository or a submodule, or named in another case), and <c>git status
    /// --ignored</c> must report nothing of it or of a folder holding it. Such a change has no commit date. One
    /// <c>git status</c> and one <c>git ls-files</c> per batch of paths; a run that fails is
    /// <see cref="InvalidDataException"/> (a change is never taken for committed because git could not say).
    /// </summary>
    public HashSet<string> Uncommitted(IReadOnlyList<string> paths)
    {
        var prefix = this.Prefix();
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in Batches(paths))
        {
            var (exit, output, error) = this.Run(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored=matching", "--", .. chunk]);
            if (exit != 0)
            {
                throw new InvalidDataException($"git status failed: {(exit == -1 ? error : error.Trim())}");
            }

            var reported = new HashSet<string>(StringComparer.Ordinal);
            var records = output.Split('\0');
            for (var i = 0; i < records.Length; i++)
            {
                // "XY path", and after a rename or copy the path it came from as a record of its own (a renamed file's
                // old path is removed, uncommitted, as well); an ignored or untracked folder as "path/".
                if (records[i].Length > 3)
                {
                    reported.Add(Relative(records[i][3..], prefix));
                    if ((records[i][0] is 'R' or 'C' || records[i][1] is 'R' or 'C') && i + 1 < records.Length)
                    {
                        reported.Add(Relative(records[++i], prefix));
                    }
                }
            }

            // "TAG MODE ID STAGE\tpath", relative to the project as ls-files prints them: S is skip-worktree, a
            // lower-case tag assume-unchanged.
            var (listed, files, listError) = this.Run(["ls-files", "-v", "-s", "-z", "--", .. chunk]);
            if (listed != 0)
            {
                throw new InvalidDataException($"git ls-files failed: {(listed == -1 ? listError : listError.Trim())}");
            }

            var index = new Dictionary<string, bool>(StringComparer.Ordinal);
            foreach (var record in files.Split('\0'))
            {
                var tab = record.IndexOf('\t', StringComparison.Ordinal);
                if (tab > 2)
                {
                    var fields = record[..tab].Split(' ');
                    var clean = fields.Length == 4 && fields[3] == "0" && record[0] != 'S' && !char.IsAsciiLetterLower(record[0]);
                    index[record[(tab + 1)..]] = index.TryGetValue(record[(tab + 1)..], out var seen) ? seen && clean : clean;
                }
            }

            foreach (var path in chunk)
            {
                var inIndex = index.TryGetValue(path, out var clean);
                var isFile = File.Exists(Path.Combine(this.root, path));
                if (reported.Contains(path) || reported.Any(r => r.EndsWith('/') && path.StartsWith(r, StringComparison.Ordinal))
                    || (inIndex && !clean) || (isFile && !inIndex))
                {
                    result.Add(path);
                }
            }
        }

        return result;
    }

    /// <summary>
    /// The committer date of the last commit touching each of <paramref name="paths"/> (relative to the project; a
    /// path names a file, or everything under a folder), exactly as <c>git log -1 -- PATH</c> gives it. In a history
    /// without merges that is one walk per batch of paths, each path taking the date of the first commit naming it
    /// or a file under it; past a merge, history is simplified for each path apart (a merge may keep one side's file
    /// and another side's date would be wrong), so each path is asked alone. A path no commit touches has no date. A
    /// run that fails is <see cref="InvalidDataException"/>.
    /// </summary>
    public Dictionary<string, DateOnly> LastCommitDates(IReadOnlyList<string> paths)
    {
        var dates = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        if (paths.Count == 0)
        {
            return dates;
        }

        var (merges, merge, mergeError) = this.Run("rev-list", "-1", "--merges", "HEAD", "--");
        if (merges != 0)
        {
            // No commit at all (a new repository) is no history, not a failure.
            return this.Run("rev-parse", "--verify", "--quiet", "HEAD").Exit != 0 ? dates : throw new InvalidDataException($"git rev-list failed: {mergeError.Trim()}");
        }

        if (merge.Length > 0)
        {
            foreach (var path in paths)
            {
                var (exit, output, error) = this.Run("log", "-1", "--format=%cs", "--", path);
                if (exit != 0)
                {
                    throw new InvalidDataException($"git log failed: {(exit == -1 ? error : error.Trim())}");
                }

                if (ParseDate(output.Trim()) is { } day)
                {
                    dates[path] = day;
                }
            }

            return dates;
        }

        var prefix = this.Prefix();
        foreach (var chunk in Batches(paths))
        {
            // "\x01DATE\0" then "\nPATH\0" and "PATH\0" for the files of the commit the paths name (newest first).
            var (exit, output, error) = this.Run(["log", "--format=%x01%cs", "--name-only", "-z", "--no-renames", "--", .. chunk]);
            if (exit != 0)
            {
                throw new InvalidDataException($"git log failed: {(exit == -1 ? error : error.Trim())}");
            }

            var asked = chunk.ToHashSet(StringComparer.Ordinal);
            DateOnly? date = null;
            foreach (var token in output.Split('\0'))
            {
                if (token.StartsWith('\x01'))
                {
                    date = ParseDate(token[1..]);
                    continue;
                }

                if (date is not { } day || token.TrimStart('\n') is not { Length: > 0 } named)
                {
                    continue;
                }

                // The file itself, or a folder holding it, as a pathspec names both.
                for (var path = Relative(named, prefix); path.Length > 0; path = path.LastIndexOf('/') is var slash and > 0 ? path[..slash] : "")
                {
                    if (asked.Contains(path))
                    {
                        dates.TryAdd(path, day);
                    }
                }
            }
        }

        return dates;
    }

    /// <summary>Paths in batches of at most <see cref="PathsPerRun"/> paths and <see cref="PathCharactersPerRun"/> characters (one longer path alone).</summary>
    private static IEnumerable<List<string>> Batches(IReadOnlyList<string> paths)
    {
        var batch = new List<string>();
        var characters = 0;
        foreach (var path in paths)
        {
            if (batch.Count > 0 && (batch.Count == PathsPerRun || characters + path.Length + 1 > PathCharactersPerRun))
            {
                yield return batch;
                batch = [];
                characters = 0;
            }

            batch.Add(path);
            characters += path.Length + 1;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private static DateOnly? ParseDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static string Relative(string path, string prefix) => path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : path;

    // The project's folder relative to the repository's top ("" at the top, else ending in /).
    private string Prefix()
    {
        if (this.prefix is null)
        {
            var (exit, output, error) = this.Run("rev-parse", "--show-prefix");
            this.prefix = exit == 0 ? output.TrimEnd('\n') : throw new InvalidDataException($"git rev-parse failed: {(exit == -1 ? error : error.Trim())}");
        }

        return this.prefix;
    }

    private (int Exit, string Output, string Error) Run(params string[] arguments) => this.RunWithInput(null, arguments);

    private ProcessStartInfo Start(params string[] arguments)
    {
        var start = new ProcessStartInfo(this.executable)
        {
            WorkingDirectory = this.root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The repository's own settings must not reshape what is parsed: paths relative to the project (diff.relative),
        // the root commit's files left out (log.showRoot), signature text before a commit's date (log.showSignature).
        foreach (var setting in (string[])["diff.relative=false", "log.showRoot=true", "log.showSignature=false", "color.ui=false"])
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(setting);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The repository is the one the folder is in: variables a git hook or a wrapper set (GIT_DIR and the like) would
        // make git read another. LC_ALL=C keeps its messages and dates in one form.
        foreach (var variable in RepositoryVariables)
        {
            start.Environment.Remove(variable);
        }

        start.Environment["GIT_OPTIONAL_LOCKS"] = "0";
        start.Environment["GIT_LITERAL_PATHSPECS"] = "1";
        start.Environment["LC_ALL"] = "C";
        return start;
    }

    private (int Exit, string Output, string Error) RunWithInput(string? input, params string[] arguments)
    {
        var start = this.Start(arguments);
        start.RedirectStandardInput = input is not null;
        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            if (input is not null)
            {
                var writer = Task.Run(() =>
                {
                    process.StandardInput.Write(input);
                    process.StandardInput.Close();
                });
                var text = process.StandardOutput.ReadToEnd();
                writer.Wait();
                process.WaitForExit();
                return (process.ExitCode, text, error.Result);
            }

            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output, error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "", e.Message);
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ModelGoPack.Evaluation;

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

    /// <summary>Variables that name a repository, an index or an object store other than the folder's own.</summary>
    private static readonly string[] RepositoryVariables =
    [
        "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_NAMESPACE",
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
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var real = ProjectPath.Real(path);

        // The clone itself: a bare repository's own folder, or its work tree's top; not a folder somewhere inside one.
        var top = exit == 0 && lines.Length >= 2 && (lines[0] == "true"
            ? ProjectPath.Real(lines[1]) == real
            : git.Run("rev-parse", "--show-toplevel") is (0, var toplevel, _) && ProjectPath.Real(toplevel.Trim()) == real);
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

    /// <summary>The most paths given to one git command: far below any system's limit on a command line.</summary>
    private const int PathsPerRun = 256;

    /// <summary>
    /// Of <paramref name="paths"/> (relative to the project), those that differ from HEAD (modified, added or
    /// untracked): such a change has no commit date. One <c>git status</c> per 256 paths.
    /// </summary>
    public HashSet<string> Uncommitted(IReadOnlyList<string> paths)
    {
        var prefix = this.Prefix();
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in paths.Chunk(PathsPerRun))
        {
            var records = this.Run(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", .. chunk]).Output.Split('\0');
            for (var i = 0; i < records.Length; i++)
            {
                // "XY path", and after a rename or copy the path it came from as a record of its own (a renamed file's
                // old path is removed, uncommitted, as well).
                if (records[i].Length > 3)
                {
                    result.Add(Relative(records[i][3..], prefix));
                    if ((records[i][0] is 'R' or 'C' || records[i][1] is 'R' or 'C') && i + 1 < records.Length)
                    {
                        result.Add(Relative(records[++i], prefix));
                    }
                }
            }
        }

        return result;
    }

    /// <summary>
    /// The committer date of the last commit touching each of <paramref name="paths"/> (relative to the project), as
    /// <c>git log -1 -- PATH</c> gives it: one walk of the history per 256 paths, and <c>git log -1</c> for a path the
    /// walk did not name (history simplified differently for the paths together, past a merge). A path no commit
    /// touches has no date.
    /// </summary>
    public Dictionary<string, DateOnly> LastCommitDates(IReadOnlyList<string> paths)
    {
        var prefix = this.Prefix();
        var dates = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        foreach (var chunk in paths.Chunk(PathsPerRun))
        {
            // "\x01DATE\0" then "\nPATH\0" and "PATH\0" for the files of the commit the paths name.
            var (exit, output, _) = this.Run(["log", "--format=%x01%cs", "--name-only", "-z", "--no-renames", "--", .. chunk]);
            DateOnly? date = null;
            foreach (var token in exit == 0 ? output.Split('\0') : [])
            {
                if (token.StartsWith('\x01'))
                {
                    date = ParseDate(token[1..]);
                }
                else if (date is { } day && token.TrimStart('\n') is { Length: > 0 } path)
                {
                    dates.TryAdd(Relative(path, prefix), day);
                }
            }

            foreach (var path in chunk.Where(p => !dates.ContainsKey(p)))
            {
                var (found, last, _) = this.Run("log", "-1", "--format=%cs", "--", path);
                if (found == 0 && ParseDate(last.Trim()) is { } day)
                {
                    dates[path] = day;
                }
            }
        }

        return dates;
    }

    private static DateOnly? ParseDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static string Relative(string path, string prefix) => path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : path;

    // The project's folder relative to the repository's top ("" at the top, else ending in /).
    private string Prefix() => this.prefix ??= this.Run("rev-parse", "--show-prefix").Output.Trim();

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

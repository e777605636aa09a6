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

    private Git(string executable, string root)
    {
        this.executable = executable;
        this.root = root;
    }

    /// <summary>The repository holding <paramref name="projectRoot"/>, or null when git is missing or it is not in one.</summary>
    public static Git? Open(string projectRoot, string executable, out string? problem)
    {
        var git = new Git(executable, projectRoot);
        var (exit, output, error) = git.Run("rev-parse", "--is-inside-work-tree");
        problem = exit switch
        {
            -1 => $"git could not be run ('{executable}'): {error}",
            0 when output.Trim() == "true" => null,
            _ => $"'{projectRoot}' is not inside a git work tree.",
        };
        return problem is null ? git : null;
    }

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
            -1 => $"git could not be run ('{executable}'): {error}",
            0 when top => null,
            0 => $"'{path}' is a folder inside a git repository, not a clone's top folder; name the clone itself.",
            _ => $"'{path}' is not a git repository git will read ({error.Trim()}).",
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
    /// <paramref name="whole"/>) to blob id and size.
    /// </summary>
    public Dictionary<string, (string Blob, long Size)> Tree(string commit, bool whole)
    {
        var (exit, output, error) = whole
            ? this.Run("ls-tree", "-r", "-z", "-l", "--full-tree", commit)
            : this.Run("ls-tree", "-r", "-z", "-l", "--full-name", commit, "--", ".");
        if (exit != 0)
        {
            throw new InvalidDataException($"git ls-tree {commit} failed: {error.Trim()}");
        }

        var prefix = whole ? "" : this.Run("rev-parse", "--show-prefix").Output.Trim();
        var files = new Dictionary<string, (string, long)>(StringComparer.Ordinal);
        foreach (var record in output.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            // "<mode> blob <id> <size>\t<path>" (the size right-aligned in spaces)
            var tab = record.IndexOf('\t', StringComparison.Ordinal);
            var fields = record[..tab].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 4 && fields[1] == "blob" && long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                var path = record[(tab + 1)..];
                files[path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : path] = (fields[2], size);
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

    /// <summary>The project's files at <paramref name="revision"/>: project-relative path to "git:" + blob id.</summary>
    public Dictionary<string, string> Files(string revision)
    {
        var (exit, output, error) = this.Run("ls-tree", "-r", "-z", "--full-name", revision, "--", ".");
        if (exit != 0)
        {
            throw new InvalidDataException($"git ls-tree {revision} failed: {error.Trim()}");
        }

        var prefix = this.Run("rev-parse", "--show-prefix").Output.Trim();
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in output.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            // "<mode> blob <id>\t<path>"
            var tab = record.IndexOf('\t', StringComparison.Ordinal);
            var fields = record[..tab].Split(' ');
            if (fields.Length == 3 && fields[1] == "blob")
            {
                var path = record[(tab + 1)..];
                files[path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : path] = "git:" + fields[2];
            }
        }

        return files;
    }

    /// <summary>Whether the file differs from HEAD (modified, added or untracked); such a change has no commit date.</summary>
    public bool IsUncommitted(string path) =>
        this.Run("status", "--porcelain", "--untracked-files=all", "--", path).Output.Trim().Length > 0;

    /// <summary>The committer date (yyyy-MM-dd) of the last commit touching <paramref name="path"/>, or null.</summary>
    public DateOnly? LastCommitDate(string path)
    {
        var (exit, output, _) = this.Run("log", "-1", "--format=%cs", "--", path);
        return exit == 0 && DateOnly.TryParseExact(output.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
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
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
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

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

    /// <summary>
    /// The blob ids git would store for these project files: <c>git hash-object</c> applies the repository's
    /// clean filters (line-end conversion, Git LFS), so an unchanged file matches its committed blob.
    /// </summary>
    public Dictionary<string, string> BlobIds(IReadOnlyList<string> paths)
    {
        var (exit, output, error) = this.RunWithInput(string.Join('\n', paths) + "\n", "hash-object", "--stdin-paths");
        var ids = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (exit != 0 || ids.Length != paths.Count)
        {
            throw new InvalidDataException($"git hash-object failed: {error.Trim()}");
        }

        return paths.Zip(ids).ToDictionary(p => p.First, p => "git:" + p.Second.Trim(), StringComparer.Ordinal);
    }

    private (int Exit, string Output, string Error) Run(params string[] arguments) => this.RunWithInput(null, arguments);

    private (int Exit, string Output, string Error) RunWithInput(string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo(this.executable)
        {
            WorkingDirectory = this.root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_OPTIONAL_LOCKS"] = "0";
        start.Environment["GIT_LITERAL_PATHSPECS"] = "1";
        start.Environment["LC_ALL"] = "C";
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

using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
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

    /// <summary>git's blob id of a file's content: SHA-1 of "blob {length}\0" and the bytes.</summary>
    public static string BlobId(string fullPath)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        hash.AppendData(Encoding.ASCII.GetBytes($"blob {stream.Length.ToString(CultureInfo.InvariantCulture)}\0"));
        var buffer = new byte[1 << 20];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private (int Exit, string Output, string Error) Run(params string[] arguments)
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
        start.Environment["LC_ALL"] = "C";
        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
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

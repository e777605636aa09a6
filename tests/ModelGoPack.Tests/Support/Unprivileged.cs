namespace ModelGoPack.Tests.Support;

/// <summary>
/// Runs the tool as a user without privileges (nobody, through setpriv, when the tests run as root, since
/// root reads and deletes every file whatever its mode), from a copy of the build such a user can read.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class Unprivileged
{
    private static readonly Lazy<string> CopiedTool = new(CopyTool);

    /// <summary>The tool's entry assembly, readable by everyone.</summary>
    public static string Tool => CopiedTool.Value;

    // Root reads every file whatever its mode: run as nobody when root, as oneself otherwise.
    public static (int ExitCode, string Output) Run(string home, string[] args)
    {
        var environment = new Dictionary<string, string?> { ["HOME"] = home, ["DOTNET_CLI_HOME"] = home, ["DOTNET_NOLOGO"] = "1", ["XDG_CACHE_HOME"] = home };
        return IsRoot()
            ? ProcessRunner.Run("setpriv", null, environment, ["--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", Tool, .. args])
            : ProcessRunner.Run("dotnet", null, environment, [Tool, .. args]);
    }

    public static bool IsRoot() => ProcessRunner.Run("id", null, "-u").Output.Trim() == "0";

    public static void OpenToAll(string folder)
    {
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(folder, mode);
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(entry, Directory.Exists(entry) ? mode : mode & ~(UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute));
        }

        var temp = Path.Combine(Path.GetTempPath(), "modelgopack-tests");
        for (var parent = Path.GetDirectoryName(folder); parent is not null && parent.StartsWith(temp, StringComparison.Ordinal); parent = Path.GetDirectoryName(parent))
        {
            File.SetUnixFileMode(parent, File.GetUnixFileMode(parent) | UnixFileMode.OtherExecute);
        }
    }

    // The tool's files, copied where an unprivileged user can run them (the build output may be under /root).
    private static string CopyTool()
    {
        var from = Path.GetDirectoryName(typeof(Cli.CommandLineApp).Assembly.Location)!;
        var to = Path.Combine(Path.GetTempPath(), "modelgopack-tests", "tool-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            File.SetUnixFileMode(Path.Combine(to, Path.GetFileName(file)), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        OpenToAll(to);
        return Path.Combine(to, "modelgopack.dll");
    }
}

namespace ModelGoPack.Tests.Support;

/// <summary>
/// Runs the tool as a user without privileges (nobody, through setpriv, when the tests run as root, since
/// root reads and deletes every file whatever its mode), from a copy of the installed tool such a user can read.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class Unprivileged
{
    private static readonly Lazy<string[]> CopiedTool = new(CopyTool);

    /// <summary>The command line that runs the copied tool: the native binary, or <c>dotnet modelgopack.dll</c>.</summary>
    public static string[] Command => CopiedTool.Value;

    // Root reads every file whatever its mode: run as nobody when root, as oneself otherwise.
    public static (int ExitCode, string Output) Run(string home, string[] args)
    {
        var environment = new Dictionary<string, string?> { ["HOME"] = home, ["DOTNET_CLI_HOME"] = home, ["DOTNET_NOLOGO"] = "1", ["XDG_CACHE_HOME"] = home };
        return IsRoot()
            ? ProcessRunner.Run("setpriv", null, environment, ["--reuid=65534", "--regid=65534", "--clear-groups", .. Command, .. args])
            : ProcessRunner.Run(Command[0], null, environment, [.. Command[1..], .. args]);
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

    // The installed tool's files, copied where an unprivileged user can run them (the tool path may be under /root).
    private static string[] CopyTool()
    {
        var from = InstalledTool.Files;
        var to = Path.Combine(Path.GetTempPath(), "modelgopack-tests", "tool-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        OpenToAll(to);
        var assembly = Path.Combine(to, "modelgopack.dll");
        if (File.Exists(assembly))
        {
            return ["dotnet", assembly];
        }

        var native = Path.Combine(to, "modelgopack");
        File.SetUnixFileMode(native, File.GetUnixFileMode(native) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return [native];
    }
}

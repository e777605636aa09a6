using System.Diagnostics;

namespace ModelGoPack.Tests.Support;

/// <summary>
/// modelgopack run as a process of its own: the installed tool (<see cref="InstalledTool"/>), native on linux-x64. The
/// tests that signal, kill, pipe or sandbox the tool, and the README's and docs' command blocks, run it this way; the
/// rest run the command line in process (<see cref="CliRunner"/>), on the JIT build.
/// </summary>
public static class ToolProcess
{
    /// <summary>The installed <c>modelgopack</c> command.</summary>
    public static string Command => InstalledTool.Command;

    /// <summary>Starts <c>modelgopack</c> with <paramref name="args"/>, its output redirected.</summary>
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(Command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    /// <summary>Runs <c>modelgopack</c> with <paramref name="args"/> in <paramref name="workingDirectory"/> and returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Run(string? workingDirectory, params string[] args) =>
        ProcessRunner.Run(Command, workingDirectory, args);

    /// <summary>Waits until <paramref name="process"/> writes its temporary output (and its lock) in <paramref name="folder"/>, still running.</summary>
    public static void WaitUntilWriting(Process process, string folder, int seconds = 60)
    {
        var writing = SpinWait.SpinUntil(() => (Directory.Exists(folder) && Directory.GetFileSystemEntries(folder, ".modelgopack-tmp-*").Length >= 2) || process.HasExited, TimeSpan.FromSeconds(seconds));
        Assert.True(writing && !process.HasExited, $"modelgopack was not writing in {folder}");
    }
}

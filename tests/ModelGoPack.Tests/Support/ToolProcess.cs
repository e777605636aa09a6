using System.Diagnostics;

namespace ModelGoPack.Tests.Support;

/// <summary>The built modelgopack run as a process of its own, for tests that signal or kill it.</summary>
public static class ToolProcess
{
    /// <summary>The tool's entry assembly, run with <c>dotnet</c>.</summary>
    public static readonly string Tool = typeof(Cli.CommandLineApp).Assembly.Location;

    /// <summary>Starts <c>dotnet modelgopack.dll</c> with <paramref name="args"/>, its output redirected.</summary>
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Tool);
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    /// <summary>Waits until <paramref name="process"/> writes its temporary output (and its lock) in <paramref name="folder"/>, still running.</summary>
    public static void WaitUntilWriting(Process process, string folder, int seconds = 60)
    {
        var writing = SpinWait.SpinUntil(() => (Directory.Exists(folder) && Directory.GetFileSystemEntries(folder, ".modelgopack-tmp-*").Length >= 2) || process.HasExited, TimeSpan.FromSeconds(seconds));
        Assert.True(writing && !process.HasExited, $"modelgopack was not writing in {folder}");
    }
}

using System.Diagnostics;

namespace ModelGoPack.Tests.Support;

/// <summary>Runs an external program (unzip, sha256sum, dotnet) and captures what it printed.</summary>
public static class ProcessRunner
{
    public static (int ExitCode, string Output) Run(string fileName, string? workingDirectory, params string[] arguments) =>
        Run(fileName, workingDirectory, null, arguments);

    public static (int ExitCode, string Output) Run(string fileName, string? workingDirectory, IDictionary<string, string?>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}

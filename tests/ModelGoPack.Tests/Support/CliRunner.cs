using ModelGoPack.Cli;

namespace ModelGoPack.Tests.Support;

/// <summary>Runs the modelgopack command line in process.</summary>
public static class CliRunner
{
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args) => Run(new Dictionary<string, string?>(), args);

    public static (int ExitCode, string Stdout, string Stderr) Run(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = CommandLineApp.RunAsync(args, stdout, stderr, name => environment.TryGetValue(name, out var value) ? value : null).GetAwaiter().GetResult();
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// Runs the command line with standard output as a stream of bytes too, as the tool's process has it: what the text
    /// writer received (as UTF-8), then what the stream received, unchanged.
    /// </summary>
    public static (int ExitCode, byte[] Stdout, string Stderr) RunRaw(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var bytes = new MemoryStream();
        var exit = CommandLineApp.RunAsync(args, stdout, stderr, _ => null, stdoutBytes: bytes).GetAwaiter().GetResult();
        return (exit, [.. System.Text.Encoding.UTF8.GetBytes(stdout.ToString()), .. bytes.ToArray()], stderr.ToString());
    }
}

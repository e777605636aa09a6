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
}

using ModelGoPack.Hashing;

namespace ModelGoPack.Cli;

/// <summary>The process the command line runs in: its streams, environment and terminal.</summary>
internal sealed record Host(TextWriter Stdout, TextWriter Stderr, Func<string, string?> Environment, bool Terminal)
{
    /// <summary>
    /// Standard output as bytes (<see cref="Console.OpenStandardOutput()"/>), for output that is bytes already (the BOM):
    /// written unchanged, whatever the locale's encoding makes of <see cref="Stdout"/>. Null when the host has none (a test
    /// that reads <see cref="Stdout"/> alone); then such bytes are decoded as UTF-8 and go to <see cref="Stdout"/>.
    /// </summary>
    public Stream? StdoutBytes { get; init; }

    /// <summary>Runs <paramref name="run"/> with <paramref name="counter"/> shown on standard error (nothing when quiet).</summary>
    public async Task<T> WithProgressAsync<T>(ProgressCounter counter, bool quiet, Func<T> run)
    {
        var display = ProgressDisplay.Start(counter, this.Stderr, this.Terminal, quiet, CommandLineApp.ProgressInterval);
        await using (display.ConfigureAwait(false))
        {
            var result = run();
            display.Completed = true;
            return result;
        }
    }

    /// <summary>Runs the asynchronous <paramref name="run"/> with <paramref name="counter"/> shown on standard error (nothing when quiet).</summary>
    public async Task<T> WithProgressAsync<T>(ProgressCounter counter, bool quiet, Func<Task<T>> run)
    {
        var display = ProgressDisplay.Start(counter, this.Stderr, this.Terminal, quiet, CommandLineApp.ProgressInterval);
        await using (display.ConfigureAwait(false))
        {
            var result = await run().ConfigureAwait(false);
            display.Completed = true;
            return result;
        }
    }
}

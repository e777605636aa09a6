using System.Diagnostics;
using System.Globalization;
using ModelGoPack.Hashing;
using Spectre.Console;

namespace ModelGoPack.Cli;

/// <summary>
/// Shows a <see cref="ProgressCounter"/> on standard error: a progress bar with bytes, rate and time left
/// when standard error is a terminal (Spectre.Console), a plain line every few seconds when it is
/// redirected, and at the end one line saying how much was read and how much of it was hashed. Standard
/// output stays clean for reports.
/// </summary>
internal sealed class ProgressDisplay : IAsyncDisposable
{
    private readonly ProgressCounter counter;
    private readonly TextWriter stderr;
    private readonly CancellationTokenSource stop = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Task loop;

    private readonly bool quiet;

    private ProgressDisplay(ProgressCounter counter, TextWriter stderr, bool terminal, bool quiet, TimeSpan interval)
    {
        this.counter = counter;
        this.stderr = stderr;
        this.quiet = quiet;
        this.loop = quiet ? Task.CompletedTask : terminal ? this.DrawBarAsync() : this.PrintLinesAsync(interval);
    }

    /// <summary>Starts showing <paramref name="counter"/>; with <paramref name="quiet"/>, shows nothing at all.</summary>
    public static ProgressDisplay Start(ProgressCounter counter, TextWriter stderr, bool terminal, bool quiet, TimeSpan interval) =>
        new(counter, stderr, terminal, quiet, interval);

    /// <summary>Whether the work ran to its end (with or without findings): only then is its summary line printed, never after an interruption.</summary>
    public bool Completed { get; set; }

    public async ValueTask DisposeAsync()
    {
        await this.stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await this.loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        this.stop.Dispose();
        var seconds = Math.Max(this.counter.PhaseElapsed.TotalSeconds, 0.001);
        if (!this.quiet && this.Completed && this.counter.Phase.Length > 0)
        {
            var done = this.counter.BytesDone;
            await this.stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"modelgopack: {this.counter.Phase} {this.counter.FilesDone:N0} files, {Bytes(done)} in {seconds:0.000} s ({Bytes((long)(done / seconds))}/s); {Bytes(this.counter.BytesHashed)} hashed{(done > this.counter.BytesHashed ? $", {Bytes(done - this.counter.BytesHashed)} with digests from the cache" : "")}{(this.counter.FilesReused > 0 ? $"; reused {this.counter.FilesReused:N0} files, {Bytes(this.counter.BytesReused)} from the previous bundle" : "")}{(this.counter.UpstreamReleases > 0 ? $"; upstream releases: {Bytes(this.counter.UpstreamBytesHashed)} hashed" : "")}; {this.clock.Elapsed.TotalSeconds:0.000} s in all.")).ConfigureAwait(false);
        }
    }

    /// <summary>1.5 GB, 12.0 MB, 512 B: decimal units, as disk and network speeds are quoted.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        >= 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.00} GB"),
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB"),
        >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0.0} kB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };

    /// <summary>One status line: phase, bytes done of the total, percentage, rate and time left.</summary>
    public static string Line(string phase, long done, long total, TimeSpan elapsed)
    {
        // Under a tenth of a second, a rate says nothing yet.
        var rate = elapsed.TotalSeconds >= 0.1 ? done / elapsed.TotalSeconds : 0;
        var left = rate > 0 ? TimeSpan.FromSeconds((total - done) / rate) : (TimeSpan?)null;
        var percent = total > 0 ? 100.0 * done / total : 100;
        return string.Create(CultureInfo.InvariantCulture,
            $"modelgopack: {phase} {Bytes(done)} of {Bytes(total)} ({percent:0}%), {Bytes((long)rate)}/s, {(left is { } l ? $"about {l:hh\\:mm\\:ss} left" : "time left unknown")}");
    }

    private async Task PrintLinesAsync(TimeSpan interval)
    {
        while (!this.stop.IsCancellationRequested)
        {
            await Task.Delay(interval, this.stop.Token).ConfigureAwait(false);
            if (this.counter.Phase is { Length: > 0 } phase)
            {
                await this.stderr.WriteLineAsync(Line(phase, this.counter.BytesDone, this.counter.BytesTotal, this.counter.PhaseElapsed)).ConfigureAwait(false);
            }
        }
    }

    private Task DrawBarAsync()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                ProgressTask? task = null;
                var phase = "";
                while (!this.stop.IsCancellationRequested)
                {
                    if (this.counter.Phase != phase)
                    {
                        task?.StopTask();
                        phase = this.counter.Phase;
                        task = context.AddTask(phase, maxValue: Math.Max(1, this.counter.BytesTotal));
                    }

                    if (task is not null)
                    {
                        task.MaxValue = Math.Max(1, this.counter.BytesTotal);
                        task.Value = this.counter.BytesDone;
                    }

                    try
                    {
                        await Task.Delay(100, this.stop.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            });
    }
}

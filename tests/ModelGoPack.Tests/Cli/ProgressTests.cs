using ModelGoPack.Cli;
using ModelGoPack.Hashing;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>Progress on standard error, the digest cache from the command line, and --quiet.</summary>
public sealed class ProgressTests
{
    private static readonly DateTime Past = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    [Fact]
    public void Second_check_from_the_command_line_takes_every_digest_from_the_default_cache()
    {
        using var project = Project();
        var cacheHome = Path.Combine(project.Scratch, "xdg");
        var environment = new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = cacheHome };

        var first = CliRunner.Run(environment, "check", project.Root);
        var second = CliRunner.Run(environment, "check", project.Root);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Single(Directory.GetFiles(Path.Combine(cacheHome, "modelgopack"), "*.digests"));
        Assert.Matches(@"modelgopack: hashing \d+ files, .* in [0-9.]+ s \(.*/s\); [1-9][0-9.]* [kMG]?B hashed; ", first.Stderr);
        Assert.Matches(@"modelgopack: hashing \d+ files, .*; 0 B hashed, [0-9.]+ [kMG]?B with digests from the cache; ", second.Stderr);
        Assert.Equal(first.Stdout, second.Stdout);
    }

    [Fact]
    public void No_cache_flag_hashes_every_time_and_writes_no_cache()
    {
        using var project = Project();
        var cacheHome = Path.Combine(project.Scratch, "xdg");
        var environment = new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = cacheHome };

        CliRunner.Run(environment, "check", project.Root, "--no-cache");
        var second = CliRunner.Run(environment, "check", project.Root, "--no-cache");

        Assert.False(Directory.Exists(cacheHome));
        Assert.DoesNotContain("from the cache", second.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Cache_flag_puts_the_cache_where_it_says()
    {
        using var project = Project();
        var cache = Path.Combine(project.Scratch, "my-cache");

        var (exit, _, _) = CliRunner.Run("pack", project.Root, "--cache", cache, "--output", Path.Combine(project.Scratch, "b.zip"), "--format", "zip");

        Assert.Equal(0, exit);
        var lines = File.ReadAllLines(Assert.Single(Directory.GetFiles(cache, "*.digests")));
        Assert.Equal(DigestCache.Header, lines[0]);
        Assert.Contains(lines, l => l.EndsWith("\tmodel.safetensors", StringComparison.Ordinal));

        // And pack's seal of the bundle, for sign (docs/signing.md): nothing else.
        Assert.Equal(2, Directory.GetFiles(cache).Length);
        Assert.StartsWith(ModelGoPack.Signing.BundleSeal.Header + "\n", File.ReadAllText(Assert.Single(Directory.GetFiles(cache, "*.seal"))), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Empty_cache_path_is_a_usage_error(string path)
    {
        using var project = Project();

        var (exit, _, stderr) = CliRunner.Run("check", project.Root, "--cache", path);

        Assert.Equal(2, exit);
        Assert.Contains("--cache needs a folder's path.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Quiet_prints_nothing_on_stderr_and_the_same_on_stdout()
    {
        using var project = Project();

        var loud = CliRunner.Run("pack", project.Root, "--no-cache", "--output", Path.Combine(project.Scratch, "a"));
        var quiet = CliRunner.Run("pack", project.Root, "--no-cache", "--quiet", "--output", Path.Combine(project.Scratch, "a"));

        Assert.Equal(0, quiet.ExitCode);
        Assert.Equal("", quiet.Stderr);
        Assert.Contains("modelgopack: packing", loud.Stderr, StringComparison.Ordinal);
        Assert.Equal(loud.Stdout, quiet.Stdout);
    }

    [Fact]
    public async Task Redirected_progress_prints_a_plain_line_per_interval_with_bytes_rate_and_time_left()
    {
        var counter = new ProgressCounter();
        var phase = System.Diagnostics.Stopwatch.StartNew();
        counter.Start("hashing", 4_000_000_000, 2);
        counter.AddBytes(1_000_000_000);
        using var stderr = new StringWriter();

        // Waits for the lines, not for a time: a loaded machine may print fewer in a given span. The synchronized
        // writer locks on itself, so the text is read between writes.
        var writer = TextWriter.Synchronized(stderr);
        var display = ProgressDisplay.Start(counter, writer, terminal: false, quiet: false, TimeSpan.FromMilliseconds(20));
        await Task.Delay(200);
        var target = Math.Max(Printed(writer, stderr) + 1, 2);
        while (phase.Elapsed < TimeSpan.FromSeconds(30) && Printed(writer, stderr) < target)
        {
            await Task.Delay(20);
        }

        display.Completed = true;
        await display.DisposeAsync();
        var total = phase.Elapsed.TotalSeconds;

        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 3, stderr.ToString());
        Assert.All(lines[..^1], line => Assert.Matches(@"^modelgopack: hashing 1\.00 GB of 4\.00 GB \(25%\), [0-9.]+ [kMG]?B/s, (about \d\d:\d\d:\d\d left|time left unknown)$", line));

        // The rate is over the time since the phase began (printed at 0.2 s or later, before the end), not since the
        // last line (which would be 0 B/s: nothing was added since).
        var last = System.Text.RegularExpressions.Regex.Match(lines[^2], @"\), ([0-9.]+) ([MG])B/s, about");
        Assert.True(last.Success, lines[^2]);
        var rate = double.Parse(last.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) / (last.Groups[2].Value == "M" ? 1000 : 1);
        Assert.InRange(rate, 0.9 / total, 1.1 / 0.2);
        Assert.StartsWith("modelgopack: hashing 0 files, 1.00 GB in ", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quiet_display_prints_nothing_at_all()
    {
        var counter = new ProgressCounter();
        counter.Start("packing", 10, 1);
        using var stderr = new StringWriter();

        var display = ProgressDisplay.Start(counter, stderr, terminal: false, quiet: true, TimeSpan.FromMilliseconds(10));
        await Task.Delay(100);
        await display.DisposeAsync();

        Assert.Equal("", stderr.ToString());
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(999, "999 B")]
    [InlineData(1_500, "1.5 kB")]
    [InlineData(12_345_678, "12.3 MB")]
    [InlineData(3_221_225_472, "3.22 GB")]
    public void Sizes_are_printed_in_decimal_units(long bytes, string text) => Assert.Equal(text, ProgressDisplay.Bytes(bytes));

    [Fact]
    public void Default_cache_folder_follows_XDG_then_HOME()
    {
        Assert.Equal(Path.Combine("/x", "modelgopack"), ProjectOptions.DefaultCacheDirectory(n => n == "XDG_CACHE_HOME" ? "/x" : n == "HOME" ? "/h" : null));
        Assert.Equal(Path.Combine("/h", ".cache", "modelgopack"), ProjectOptions.DefaultCacheDirectory(n => n == "XDG_CACHE_HOME" ? "relative" : n == "HOME" ? "/h" : null));
        Assert.Null(ProjectOptions.DefaultCacheDirectory(_ => null));
    }

    private static ModelProjectBuilder Project()
    {
        var project = new ModelProjectBuilder();
        project.File("docs/notes.md", "notes\n").Write();
        foreach (var file in Directory.EnumerateFiles(project.Root, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, Past);
        }

        return project;
    }

    private static int Printed(TextWriter writer, StringWriter text)
    {
        lock (writer)
        {
            return text.ToString().Count(c => c == '\n');
        }
    }

    [Fact]
    public async Task An_interrupted_run_prints_no_summary_as_if_it_had_finished()
    {
        var counter = new ProgressCounter();
        counter.Start("pushing", 4_000_000_000, 12);
        counter.AddBytes(85_000_000);
        using var stderr = new StringWriter();
        var display = ProgressDisplay.Start(counter, stderr, terminal: false, quiet: false, TimeSpan.FromHours(1));
        await display.DisposeAsync();
        Assert.DoesNotContain("pushing 0 files", stderr.ToString(), StringComparison.Ordinal);

        using var finished = new StringWriter();
        var completed = ProgressDisplay.Start(counter, finished, terminal: false, quiet: false, TimeSpan.FromHours(1));
        completed.Completed = true;
        await completed.DisposeAsync();
        Assert.StartsWith("modelgopack: pushing 0 files, 85.0 MB in ", finished.ToString(), StringComparison.Ordinal);
    }
}

using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests.EndToEnd;

/// <summary>
/// pack replaces only what it provably wrote, and what an interrupted run leaves is removed by the next run
/// beside the same output, and only when its writer is provably gone.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OutputSafetyTests
{
    public static TheoryData<string> FolderShapes =>
    [
        "a manifest of {} beside a thesis",
        "an earlier bundle with a .bak file added",
        "an earlier bundle with an empty folder added",
        "an earlier bundle with a file grown",
        "an earlier bundle with a file removed",
        "an earlier bundle whose file is a link",
    ];

    [Theory]
    [MemberData(nameof(FolderShapes))]
    public void A_folder_that_is_not_exactly_an_earlier_bundle_is_never_replaced(string shape)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var output = Path.Combine(project.Scratch, "home");
        if (shape.StartsWith("a manifest of {}", StringComparison.Ordinal))
        {
            Directory.CreateDirectory(output);
            File.WriteAllText(Path.Combine(output, "modelgo-manifest.json"), "{}");
            File.WriteAllText(Path.Combine(output, "thesis.tex"), "\\documentclass{article} four years of work\n");
        }
        else
        {
            project.Pack(BundleFormat.Directory, "home");
            switch (shape)
            {
                case "an earlier bundle with a .bak file added":
                    File.WriteAllText(Path.Combine(output, "NOTICE.bak"), "my edits\n");
                    break;
                case "an earlier bundle with an empty folder added":
                    Directory.CreateDirectory(Path.Combine(output, "drafts"));
                    break;
                case "an earlier bundle with a file grown":
                    File.AppendAllText(Path.Combine(output, "README.md"), "my notes\n");
                    break;
                case "an earlier bundle with a file removed":
                    File.Delete(Path.Combine(output, "README.md"));
                    break;
                default:
                    File.Move(Path.Combine(output, "config.json"), Path.Combine(project.Scratch, "config.json"));
                    File.CreateSymbolicLink(Path.Combine(output, "config.json"), Path.Combine(project.Scratch, "config.json"));
                    break;
            }
        }

        var before = Tree(output);

        var (exit, stdout, _) = CliRunner.Run("pack", project.Root, "--output", output, "--no-cache", "--quiet");

        Assert.Equal(2, exit);
        Assert.Contains("error MGP8015", stdout, StringComparison.Ordinal);
        Assert.Contains("No bundle was written.", stdout, StringComparison.Ordinal);
        Assert.Equal(before, Tree(output));
        Assert.Empty(Directory.GetFileSystemEntries(project.Scratch, ".modelgopack-tmp-*"));
    }

    [Theory]
    [InlineData("zip", "a manifest of {} beside a thesis")]
    [InlineData("zip", "an earlier bundle with an entry added")]
    [InlineData("zip", "an earlier bundle with an entry grown")]
    [InlineData("tar.gz", "a manifest of {} beside a thesis")]
    [InlineData("tar.gz", "an earlier bundle with an entry added")]
    [InlineData("tar.gz", "a tar.gz with no manifest")]
    [InlineData("tar.gz", "an earlier bundle cut short")]
    [InlineData("tar.gz", "gzip of garbage")]
    [InlineData("zip", "an earlier bundle cut short")]
    public void An_archive_that_is_not_exactly_an_earlier_bundle_is_never_replaced(string format, string shape)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var output = Path.Combine(project.Scratch, "mine." + format);
        var bundleFormat = format == "zip" ? BundleFormat.Zip : BundleFormat.TarGz;
        var entries = new List<(string Name, byte[] Bytes)>();
        if (shape.StartsWith("a manifest of {}", StringComparison.Ordinal))
        {
            entries.Add(("modelgo-manifest.json", "{}"u8.ToArray()));
            entries.Add(("thesis.tex", "four years of work\n"u8.ToArray()));
        }
        else if (shape == "a tar.gz with no manifest")
        {
            entries.Add(("thesis.tex", "four years of work\n"u8.ToArray()));
        }
        else
        {
            // The earlier bundle's own entries, rewritten with one changed: what pack must not take for its own.
            var earlier = Path.Combine(project.Scratch, "earlier." + format);
            project.Pack(bundleFormat, "earlier." + format);
            entries.AddRange(format == "zip" ? ZipEntries(earlier) : TarEntries(earlier));
            if (shape.EndsWith("added", StringComparison.Ordinal))
            {
                entries.Add(("notes.txt", "mine\n"u8.ToArray()));
            }
            else
            {
                var readme = entries.FindIndex(e => e.Name == "README.md");
                entries[readme] = ("README.md", [.. entries[readme].Bytes, .. "my notes\n"u8]);
            }
        }

        if (shape == "an earlier bundle cut short")
        {
            // Damaged, not merely different: one rule for damaged archives (verify's readers), MGP8015, never MGP8099.
            project.Pack(bundleFormat, "whole." + format);
            var whole = File.ReadAllBytes(Path.Combine(project.Scratch, "whole." + format));
            File.WriteAllBytes(output, whole[..(whole.Length / 2)]);
        }
        else if (shape == "gzip of garbage")
        {
            File.WriteAllBytes(output, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, .. "garbage"u8]);
        }
        else if (format == "zip")
        {
            WriteZip(output, entries);
        }
        else
        {
            WriteTarGz(output, entries);
        }

        var before = File.ReadAllBytes(output);

        var (exit, stdout, _) = CliRunner.Run("pack", project.Root, "--format", format, "--output", output, "--no-cache", "--quiet");

        Assert.Equal(2, exit);
        Assert.Contains("error MGP8015", stdout, StringComparison.Ordinal);
        Assert.True(before.AsSpan().SequenceEqual(File.ReadAllBytes(output)), "the archive was changed");
        Assert.Empty(Directory.GetFileSystemEntries(project.Scratch, ".modelgopack-tmp-*"));
    }

    [Theory]
    [InlineData("dir")]
    [InlineData("zip")]
    [InlineData("tar.gz")]
    public void An_earlier_bundle_is_replaced_by_the_new_one_and_nothing_is_left_beside_it(string format)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var output = Path.Combine(project.Scratch, "out", "bundle" + (format == "dir" ? "" : "." + format));
        Assert.Equal(0, CliRunner.Run("pack", project.Root, "--format", format, "--output", output, "--no-cache", "--quiet").ExitCode);
        project.File("docs/new.md", "new\n");

        var (exit, stdout, _) = CliRunner.Run("pack", project.Root, "--format", format, "--output", output, "--no-cache", "--quiet");

        Assert.True(exit == 0, stdout);
        Assert.Equal([Path.GetFileName(output)], Directory.GetFileSystemEntries(Path.GetDirectoryName(output)!).Select(Path.GetFileName));
        var verified = CliRunner.Run("verify", output, "--quiet");
        Assert.True(verified.ExitCode == 0, verified.Stdout);
        Assert.Contains("files match", verified.Stdout, StringComparison.Ordinal);
        Assert.Contains("docs/new.md", ModelGoPackEngine.Verify(output).Digests.Keys);
    }

    [Fact]
    public void A_bundle_folder_inside_the_project_outside_bin_is_never_replaced_but_one_under_bin_is()
    {
        // An upstream's release kept in the project, exactly as ModelGoPack made it: an input, not an output.
        using var upstream = new ModelProjectBuilder("base-model");
        upstream.Write();
        using var project = new ModelProjectBuilder();
        project.Write();
        var release = Path.Combine(project.Root, "upstream", "base-model-1.0.0");
        Assert.True(ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = upstream.Root }, release, BundleFormat.Directory).Compliant);
        var before = Tree(release);

        var (exit, stdout, _) = CliRunner.Run("pack", project.Root, "--output", release, "--no-cache", "--quiet");

        Assert.Equal(2, exit);
        Assert.Contains("error MGP8015", stdout, StringComparison.Ordinal);
        Assert.Contains("inside the project and outside bin/", stdout, StringComparison.Ordinal);
        Assert.Equal(before, Tree(release));

        var underBin = Path.Combine(project.Root, "bin", "custom");
        Assert.Equal(0, CliRunner.Run("pack", project.Root, "--output", underBin, "--no-cache", "--quiet").ExitCode);
        Assert.Equal(0, CliRunner.Run("pack", project.Root, "--output", underBin, "--no-cache", "--quiet").ExitCode);
    }

    [Theory]
    [InlineData("dir")]
    [InlineData("zip")]
    public void A_symbolic_link_at_the_output_is_never_replaced(string format)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var target = Path.Combine(project.Scratch, "real" + (format == "dir" ? "" : ".zip"));
        project.Pack(format == "dir" ? BundleFormat.Directory : BundleFormat.Zip, Path.GetFileName(target));
        var link = Path.Combine(project.Scratch, "link" + (format == "dir" ? "" : ".zip"));
        File.CreateSymbolicLink(link, target);

        var (exit, stdout, _) = CliRunner.Run("pack", project.Root, "--format", format, "--output", link, "--no-cache", "--quiet");

        Assert.Equal(2, exit);
        Assert.Contains("error MGP8015", stdout, StringComparison.Ordinal);
        Assert.Contains("symbolic link", stdout, StringComparison.Ordinal);
        Assert.Equal(target, new FileInfo(link).LinkTarget);
    }

    [Theory]
    [InlineData("zip")]
    [InlineData("dir")]
    [InlineData("tar.gz")]
    public async Task What_kill_9_leaves_is_removed_by_the_next_run_beside_the_output_which_says_so(string format)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        Safetensors.WriteSparse(Path.Combine(project.Root, "big.safetensors"), 8L << 30, "F32");
        var folder = Path.Combine(project.Scratch, "out");
        Directory.CreateDirectory(folder);
        var output = Path.Combine(folder, "bundle" + (format == "dir" ? "" : "." + format));

        using (var process = ToolProcess.Start("pack", project.Root, "--format", format, "--output", output, "--no-cache", "--quiet"))
        {
            // Killed once the bundle is being written, long before its 8 GiB are done.
            ToolProcess.WaitUntilWriting(process, folder);
            process.Kill();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }

        var left = Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, left.Count);
        Assert.Matches("^\\.modelgopack-tmp-bundle.*-[0-9a-f]{32}$", left[0]);
        Assert.Equal(left[0] + ".lock", left[1]);

        File.Delete(Path.Combine(project.Root, "big.safetensors"));
        var (exit, stdout, _) = CliRunner.Run("pack", project.Root, "--format", format, "--output", output, "--no-cache", "--quiet");

        Assert.True(exit == 0, stdout);
        var removed = stdout.Split('\n').Single(l => l.Contains("info MGP9013", StringComparison.Ordinal));
        Assert.Contains($"'{left[0]}'", removed, StringComparison.Ordinal);
        Assert.Equal([Path.GetFileName(output)], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_temporary_not_provably_left_by_an_ended_run_is_left_alone()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var folder = Path.Combine(project.Scratch, "out");
        Directory.CreateDirectory(folder);
        using var self = Process.GetCurrentProcess();
        using var sleeper = Process.Start("sleep", "300");
        try
        {
            var ended = EndedProcess();
            var cases = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["locked"] = Lock(sleeper.Id, sleeper.StartTime),
                ["writer-running"] = Lock(Environment.ProcessId, self.StartTime),
                ["pid-reused"] = Lock(Environment.ProcessId, self.StartTime.AddMinutes(-5)),
                ["other-host"] = Lock(ended, DateTime.UtcNow, host: "elsewhere"),
                ["garbage"] = "not a lock\n",
                ["empty"] = "",
                ["no-lock"] = null,
                ["stale"] = Lock(ended, DateTime.UtcNow),
            };
            foreach (var (name, lockText) in cases)
            {
                var stem = Path.Combine(folder, $".modelgopack-tmp-{name}-{Guid.NewGuid():N}");
                Directory.CreateDirectory(stem);
                File.WriteAllText(Path.Combine(stem, "weights.bin"), name);
                if (lockText is not null)
                {
                    File.WriteAllText(stem + ".lock", lockText);
                }
            }

            // The first case's lock is held by a live process, as a running pack holds its own (flock(2), as .NET takes it).
            var locked = Directory.GetFiles(folder, ".modelgopack-tmp-locked-*.lock").Single();
            using var holder = Process.Start("flock", ["-x", locked, "sleep", "300"]);
            Assert.True(SpinWait.SpinUntil(() => IsLocked(locked), TimeSpan.FromSeconds(10)), "flock did not take the lock");

            var (exit, stdout, _) = CliRunner.Run("pack", project.Root, "--output", Path.Combine(folder, "bundle"), "--no-cache", "--quiet");
            holder.Kill();

            // Removed: the writer ended, and a pid now used by another process (another start time).
            Assert.True(exit == 0, stdout);
            var removed = stdout.Split('\n').Where(l => l.Contains("info MGP9013", StringComparison.Ordinal)).Select(l => l.Split(".modelgopack-tmp-")[2].Split('-')[0]).Order(StringComparer.Ordinal);
            Assert.Equal(["pid", "stale"], removed);
            var kept = Directory.GetDirectories(folder, ".modelgopack-tmp-*").Select(d => Path.GetFileName(d).Split('-')[2]).Order(StringComparer.Ordinal);
            Assert.Equal(["empty", "garbage", "locked", "no", "other", "writer"], kept);
            Assert.Empty(Directory.GetFileSystemEntries(folder, ".modelgopack-tmp-stale-*"));
        }
        finally
        {
            sleeper.Kill();
        }
    }

    [Fact]
    public void An_old_bundle_that_cannot_be_removed_is_reported_and_removed_by_the_next_run()
    {
        // Every run as one unprivileged user, who owns the bundle but may not empty its docs/ for a while.
        using var project = new ModelProjectBuilder();
        project.File("docs/notes.md", "notes\n").Write();
        var folder = Path.Combine(project.Scratch, "out");
        var output = Path.Combine(folder, "bundle");
        Unprivileged.OpenToAll(project.Scratch);
        var first = Unprivileged.Run(project.Scratch, ["pack", project.Root, "--output", output, "--no-cache", "--quiet"]);
        Assert.True(first.ExitCode == 0, first.Output);
        var readOnly = UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(Path.Combine(output, "docs"), readOnly);
        project.File("docs/more.md", "more\n");
        Unprivileged.OpenToAll(project.Root);

        var (exit, printed) = Unprivileged.Run(project.Scratch, ["pack", project.Root, "--output", output, "--no-cache", "--quiet"]);

        Assert.True(exit == 0, printed);
        Assert.Contains("warning MGP9014", printed, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "docs", "more.md")), "the new bundle is in place");
        var old = Directory.GetDirectories(folder, ".modelgopack-tmp-*-old").Single();
        Assert.Contains($"'{old}'", printed, StringComparison.Ordinal);
        Assert.True(File.Exists(old[..^"-old".Length] + ".lock"), "the lock is kept, so that a later run can prove the old bundle is its own");

        File.SetUnixFileMode(Path.Combine(old, "docs"), readOnly | UnixFileMode.UserWrite);
        var (again, stdout) = Unprivileged.Run(project.Scratch, ["pack", project.Root, "--output", output, "--no-cache", "--quiet"]);

        Assert.True(again == 0, stdout);
        Assert.Contains("info MGP9013", stdout, StringComparison.Ordinal);
        Assert.Equal(["bundle"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void What_another_user_left_with_a_lock_of_ours_is_never_removed_nor_walked()
    {
        // A lock anyone can write proves nothing: a stale-looking temporary of another user's is left alone, and in a
        // temporary of ours a folder another user owns (who could swap its contents for a link) is not walked.
        using var project = new ModelProjectBuilder();
        project.Write();
        var folder = Path.Combine(project.Scratch, "out");
        Directory.CreateDirectory(folder);
        var theirs = Path.Combine(folder, $".modelgopack-tmp-theirs-{Guid.NewGuid():N}");
        Directory.CreateDirectory(theirs);
        File.WriteAllText(Path.Combine(theirs, "weights.bin"), "theirs");
        File.WriteAllText(theirs + ".lock", Lock(EndedProcess(), DateTime.UtcNow));
        var ours = Path.Combine(folder, $".modelgopack-tmp-ours-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(ours, "planted"));
        File.WriteAllText(Path.Combine(ours, "planted", "victim.txt"), "keep me");
        File.WriteAllText(ours + ".lock", Lock(EndedProcess(), DateTime.UtcNow));
        foreach (var path in new[] { theirs, Path.Combine(theirs, "weights.bin"), theirs + ".lock", Path.Combine(ours, "planted"), Path.Combine(ours, "planted", "victim.txt") })
        {
            Assert.Equal(0, ProcessRunner.Run("chown", null, "65534:65534", path).ExitCode);
        }

        var (exit, stdout, _) = CliRunner.Run("pack", project.Root, "--output", Path.Combine(folder, "bundle"), "--no-cache", "--quiet");

        Assert.True(exit == 0, stdout);
        Assert.DoesNotContain("MGP9013", stdout, StringComparison.Ordinal);
        Assert.Contains("warning MGP9014", stdout, StringComparison.Ordinal);
        Assert.Contains("belongs to another user", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(theirs, "weights.bin")));
        Assert.True(File.Exists(Path.Combine(ours, "planted", "victim.txt")));
    }

    [Theory]
    [InlineData("dir")]
    [InlineData("zip")]
    public async Task What_the_user_puts_at_the_output_while_pack_runs_is_kept(string format)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        Safetensors.WriteSparse(Path.Combine(project.Root, "big.safetensors"), 8L << 30, "F32");
        var folder = Path.Combine(project.Scratch, "out");
        Directory.CreateDirectory(folder);
        var output = Path.Combine(folder, "bundle" + (format == "dir" ? "" : ".zip"));

        using var process = ToolProcess.Start("pack", project.Root, "--format", format, "--output", output, "--no-cache", "--quiet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        ToolProcess.WaitUntilWriting(process, folder);
        if (format == "dir")
        {
            Directory.CreateDirectory(output);
            File.WriteAllText(Path.Combine(output, "thesis.tex"), "four years of work\n");
        }
        else
        {
            File.WriteAllText(output, "my own zip, or what I take for one\n");
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));

        Assert.True(process.ExitCode == 2, await stdout);
        Assert.Contains("changed while pack ran", await stdout, StringComparison.Ordinal);
        Assert.Equal(format == "dir" ? "four years of work\n" : "my own zip, or what I take for one\n", File.ReadAllText(format == "dir" ? Path.Combine(output, "thesis.tex") : output));
        Assert.Equal([Path.GetFileName(output)], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("an upstream's zip", "zip")]
    [InlineData("an upstream's folder, through a link to the project", "dir")]
    public void Nothing_inside_the_project_outside_bin_and_obj_is_replaced(string what, string format)
    {
        using var upstream = new ModelProjectBuilder("base-model");
        upstream.Write();
        using var project = new ModelProjectBuilder();
        project.Write();
        var release = Path.Combine(project.Root, "upstream", "base-model-1.0.0" + (format == "zip" ? ".zip" : ""));
        Assert.True(ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = upstream.Root }, release, format == "zip" ? BundleFormat.Zip : BundleFormat.Directory).Compliant);
        var alias = Path.Combine(project.Scratch, "alias");
        Directory.CreateSymbolicLink(alias, project.Root);
        var output = what.Contains("link", StringComparison.Ordinal) ? Path.Combine(alias, "upstream", Path.GetFileName(release)) : release;
        var before = format == "zip" ? new SortedDictionary<string, string> { ["zip"] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(release))) } : Tree(release);

        var (exit, stdout, _) = CliRunner.Run("pack", project.Root, "--format", format, "--output", output, "--no-cache", "--quiet");

        Assert.Equal(2, exit);
        Assert.Contains("inside the project and outside bin/ and obj/", stdout, StringComparison.Ordinal);
        Assert.Equal(before, format == "zip" ? new SortedDictionary<string, string> { ["zip"] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(release))) } : Tree(release));
    }

    [Fact]
    public void A_sparse_GNU_tar_at_the_output_is_refused_as_not_ours_rather_than_a_crash()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var sparse = Path.Combine(project.Scratch, "sp");
        Directory.CreateDirectory(sparse);
        var output = Path.Combine(project.Scratch, "user.tar.gz");
        var made = ProcessRunner.Run("bash", sparse, "-c", "truncate -s 10M w.bin && printf x >> w.bin && tar --format=gnu -cSzf \"$0\" w.bin", output);
        Assert.True(made.ExitCode == 0, made.Output);
        var before = File.ReadAllBytes(output);

        var (exit, stdout, stderr) = CliRunner.Run("pack", project.Root, "--format", "tar.gz", "--output", output, "--no-cache", "--quiet");

        Assert.Equal(2, exit);
        Assert.Contains("error MGP8015", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("MGP8099", stdout + stderr, StringComparison.Ordinal);
        Assert.True(before.AsSpan().SequenceEqual(File.ReadAllBytes(output)));
    }

    [Fact]
    public void An_output_name_of_250_bytes_gets_a_temporary_and_a_lock_within_the_name_limit()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var output = Path.Combine(project.Scratch, new string('n', 246) + ".zip");

        var (exit, stdout, _) = CliRunner.Run("pack", project.Root, "--format", "zip", "--output", output, "--no-cache", "--quiet");

        Assert.True(exit == 0, stdout);
        Assert.True(File.Exists(output));
    }

    [Fact]
    public async Task What_kill_9_leaves_of_an_extraction_is_removed_by_the_next_extraction_beside_it()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        Safetensors.WriteSparse(Path.Combine(project.Root, "big.safetensors"), 4L << 30, "F32");
        var bundle = project.Pack(BundleFormat.Directory, "bundle").OutputPath!;
        var folder = Path.Combine(project.Scratch, "received");
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, "model");

        using (var process = ToolProcess.Start("verify", bundle, "--extract", target, "--quiet"))
        {
            ToolProcess.WaitUntilWriting(process, folder, seconds: 120);
            process.Kill();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }

        Assert.Equal(2, Directory.GetFileSystemEntries(folder).Length);
        var small = Path.Combine(project.Scratch, "small");
        File.Delete(Path.Combine(project.Root, "big.safetensors"));
        project.Pack(BundleFormat.Directory, "small");

        var (exit, stdout, _) = CliRunner.Run("verify", small, "--extract", target, "--quiet");

        Assert.True(exit == 0, stdout);
        Assert.Contains("info MGP9013", stdout, StringComparison.Ordinal);
        Assert.Equal(["model"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_failed_extraction_removes_only_the_empty_folders_it_made()
    {
        // Extracting to received/new/deeper/model makes new/ and deeper/. While it runs, the user saves a file in new/,
        // and the bundle changes, so nothing is extracted: deeper/ goes, new/ stays with the user's file.
        using var project = new ModelProjectBuilder();
        project.Write();
        Safetensors.WriteSparse(Path.Combine(project.Root, "big.safetensors"), 4L << 30, "F32");
        var bundle = project.Pack(BundleFormat.Directory, "bundle").OutputPath!;
        var made = Path.Combine(project.Scratch, "received", "new");
        var deeper = Path.Combine(made, "deeper");
        Directory.CreateDirectory(Path.Combine(project.Scratch, "received"));

        int exit;
        using (var process = ToolProcess.Start("verify", bundle, "--extract", Path.Combine(deeper, "model"), "--quiet"))
        {
            ToolProcess.WaitUntilWriting(process, deeper, seconds: 120);
            File.WriteAllText(Path.Combine(made, "notes.txt"), "mine\n");
            using (var big = new FileStream(Path.Combine(bundle, "big.safetensors"), FileMode.Open, FileAccess.Write))
            {
                big.Seek(-1, SeekOrigin.End);
                big.WriteByte(1);
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
            exit = process.ExitCode;
        }

        Assert.Equal(2, exit);
        Assert.Equal("mine\n", File.ReadAllText(Path.Combine(made, "notes.txt")));
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(made).Select(Path.GetFileName));
    }

    [Fact]
    public void An_extraction_the_disk_refuses_says_so_and_not_that_the_bundle_does_not_match()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var bundle = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;
        var locked = Path.Combine(project.Scratch, "locked");
        Directory.CreateDirectory(locked);
        Unprivileged.OpenToAll(project.Scratch);
        File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var (exit, printed) = Unprivileged.Run(project.Scratch, ["verify", bundle, "--extract", Path.Combine(locked, "model"), "--quiet"]);

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9001", printed, StringComparison.Ordinal);
        Assert.Contains("The bundle verified; nothing was extracted.", printed, StringComparison.Ordinal);
        Assert.Matches("Verified .*b.zip: [0-9]+ files match modelgo-manifest.json; compliant with MG-BY-SA-2.0", printed);
        Assert.Contains("Nothing was extracted to " + Path.Combine(locked, "model") + ": it could not be written there", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("does not match", printed, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(locked));
    }

    [Fact]
    public void An_extraction_into_an_existing_folder_says_the_bundle_was_not_verified_rather_than_that_it_does_not_match()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var bundle = project.Pack(BundleFormat.Zip, "b.zip").OutputPath!;

        var (exit, stdout, _) = CliRunner.Run("verify", bundle, "--extract", project.Root, "--quiet");

        Assert.Equal(2, exit);
        Assert.Contains("error MGP9011", stdout, StringComparison.Ordinal);
        Assert.Contains("was not verified: the path to extract to exists and is not an empty folder.", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("does not match", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void What_a_killed_run_left_while_saving_the_digest_cache_is_removed_by_the_next_save()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var cache = Path.Combine(project.Scratch, "cache");
        foreach (var path in Directory.EnumerateFiles(project.Root, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-1)); // not racy: remembered
        }

        Assert.Equal(0, CliRunner.Run("check", project.Root, "--cache", cache, "--quiet").ExitCode);
        var file = Directory.GetFiles(cache, "*.digests").Single();
        var stale = Path.Combine(cache, $".modelgopack-tmp-{Path.GetFileName(file)}-{Guid.NewGuid():N}");
        File.WriteAllText(stale, "half a cache");
        File.WriteAllText(stale + ".lock", Lock(EndedProcess(), DateTime.UtcNow));
        project.File("docs/new.md", "new\n");
        File.SetLastWriteTimeUtc(Path.Combine(project.Root, "docs", "new.md"), DateTime.UtcNow.AddHours(-1));

        var (exit, stdout, _) = CliRunner.Run("check", project.Root, "--cache", cache, "--quiet");

        Assert.True(exit == 0, stdout);
        Assert.Equal([Path.GetFileName(file)], Directory.GetFileSystemEntries(cache).Select(Path.GetFileName));
    }

    private static string Lock(int pid, DateTime started, string? host = null) =>
        string.Create(CultureInfo.InvariantCulture, $"modelgopack-temporary 1\npid {pid}\nstarted {started.ToUniversalTime().Ticks}\nhost {host ?? Environment.MachineName}\n");

    private static int EndedProcess()
    {
        using var process = Process.Start("true");
        process.WaitForExit();
        return process.Id;
    }

    private static bool IsLocked(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Every file and folder under <paramref name="folder"/>: its SHA-256 and size, or what it is.</summary>
    private static SortedDictionary<string, string> Tree(string folder)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var relative = Path.GetRelativePath(folder, entry.FullName);
            result[relative] = entry.LinkTarget is { } target ? $"link {target}"
                : entry is DirectoryInfo ? "folder"
                : $"{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(entry.FullName)))} {((FileInfo)entry).Length}";
        }

        return result;
    }

    private static List<(string Name, byte[] Bytes)> ZipEntries(string path)
    {
        using var archive = ZipFile.OpenRead(path);
        return [.. archive.Entries.Select(e => (e.FullName, Read(e.Open())))];
    }

    private static List<(string Name, byte[] Bytes)> TarEntries(string path)
    {
        var entries = new List<(string, byte[])>();
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (reader.GetNextEntry() is { } entry)
        {
            entries.Add((entry.Name, Read(entry.DataStream ?? Stream.Null)));
        }

        return entries;
    }

    private static byte[] Read(Stream stream)
    {
        using (stream)
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }
    }

    private static void WriteZip(string path, List<(string Name, byte[] Bytes)> entries)
    {
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, bytes) in entries)
        {
            using var stream = archive.CreateEntry(name).Open();
            stream.Write(bytes);
        }
    }

    private static void WriteTarGz(string path, List<(string Name, byte[] Bytes)> entries)
    {
        using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        using var writer = new TarWriter(gzip, TarEntryFormat.Gnu);
        foreach (var (name, bytes) in entries)
        {
            writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(bytes) });
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;

namespace ModelGoPack.Emit;

/// <summary>
/// Where an output is written before it is renamed into place: <c>.modelgopack-tmp-{name}-{32 hex}</c> beside
/// the destination, a file or a folder. Beside it, the same name plus <c>.lock</c>: a small file that says
/// which process writes the temporary (pid, its start time, the host), held open and locked by that process
/// for as long as it runs (<see cref="FileShare.None"/>: an advisory <c>flock</c> on Linux and macOS, a
/// share lock on Windows). The system drops the lock when the process ends, however it ends, <c>kill -9</c>
/// included. So a later run beside the same output can prove a temporary is ModelGoPack's own and that its
/// writer is gone: the lock names it, the lock can be taken, and the process it names is no longer running
/// (pid and start time, on this host), and the lock and the temporary belong to the user running now (a lock
/// anyone can write proves nothing, so this is done only where owners can be told: Linux). Only then does
/// <see cref="RemoveStale"/> delete it, without following a link and without walking a folder another user owns,
/// and it says so. Anything else with the prefix is left alone.
/// </summary>
internal sealed partial class TemporaryOutput : IDisposable
{
    private const string LockHeader = "modelgopack-temporary 1";
    private const string LockSuffix = ".lock";

    /// <summary>The name an old folder bundle takes while the new one is moved into its place.</summary>
    private const string OldSuffix = "-old";

    private readonly FileStream lockFile;
    private bool disposed;
    private bool keepOld;

    private TemporaryOutput(string path, FileStream lockFile)
    {
        this.Path = path;
        this.lockFile = lockFile;
    }

    /// <summary>The temporary file or folder to write.</summary>
    public string Path { get; }

    /// <summary>Where an old folder bundle is moved while the new one takes its place; removed right after.</summary>
    public string OldPath => this.Path + OldSuffix;

    /// <summary>What was moved aside to <see cref="OldPath"/> could not be put back: it is the user's, and is never removed.</summary>
    public void KeepOld() => this.keepOld = true;

    /// <summary>
    /// Claims a temporary name beside <paramref name="destination"/> (a full path whose folder exists), locked by
    /// this process until <see cref="Dispose"/>.
    /// </summary>
    public static TemporaryOutput Create(string destination)
    {
        // The destination's name, cut to 100 bytes, so that the lock's name stays within 255 bytes whatever the output's.
        var folder = System.IO.Path.GetDirectoryName(destination)!;
        var name = System.IO.Path.GetFileName(destination);
        while (Encoding.UTF8.GetByteCount(name) > 100)
        {
            name = name[..(char.IsLowSurrogate(name[^1]) ? ^2 : ^1)];
        }

        var path = System.IO.Path.Combine(folder, $"{Discovery.ProjectScanner.TemporaryPrefix}{name}-{Guid.NewGuid():N}");
        var lockFile = new FileStream(path + LockSuffix, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        try
        {
            using var process = Process.GetCurrentProcess();
            lockFile.Write(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"{LockHeader}\npid {Environment.ProcessId}\nstarted {process.StartTime.ToUniversalTime().Ticks}\nhost {Environment.MachineName}\n")));
            lockFile.Flush();
        }
        catch
        {
            lockFile.Dispose();
            File.Delete(path + LockSuffix);
            throw;
        }

        return new TemporaryOutput(path, lockFile);
    }

    /// <summary>
    /// Removes the temporary (and an old bundle left beside it), then releases the lock. The lock file is
    /// kept when something could not be removed, so that a later run can still prove it is ModelGoPack's
    /// own and remove it; what could not be removed is reported (MGP9014).
    /// </summary>
    public void Dispose() => this.Release(null);

    /// <inheritdoc cref="Dispose"/>
    public void Release(DiagnosticBag? diagnostics)
    {
        if (this.disposed)
        {
            return;
        }

        this.disposed = true;
        var left = 0;
        foreach (var path in this.keepOld ? [this.Path] : new[] { this.Path, this.OldPath })
        {
            if (TryDelete(path, FileType.EffectiveUser) is { } problem)
            {
                left++;
                diagnostics?.Add(Messages.TemporaryNotRemoved.With(path, problem), path);
            }
        }

        // Kept when something is left, so that a later run can prove it is ModelGoPack's; never when what is kept aside
        // is the user's (a later run would take it for an old bundle of its own).
        if (left == 0 || this.keepOld)
        {
            TryDelete(this.lockFile.Name, FileType.EffectiveUser);
        }

        this.lockFile.Dispose();
    }

    /// <summary>
    /// Removes, in <paramref name="folder"/>, every temporary that an interrupted run of ModelGoPack by this user
    /// left and that provably nobody writes any more (see the type's summary), and reports each one (MGP9013), or
    /// why it could not be removed (MGP9014). Never follows a link; never touches a name it did not make.
    /// </summary>
    public static void RemoveStale(string folder, DiagnosticBag diagnostics)
    {
        // Only what this user owns, and only where owners can be told: a lock anyone can write proves nothing.
        if (FileType.EffectiveUser is not { } user)
        {
            return;
        }

        string[] locks;
        try
        {
            locks = Directory.Exists(folder) ? Directory.GetFiles(folder, ProjectScanner.TemporaryPrefix + "*" + LockSuffix) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (var lockPath in locks.Order(StringComparer.Ordinal))
        {
            var stem = lockPath[..^LockSuffix.Length];
            if (!OwnName().IsMatch(System.IO.Path.GetFileName(stem)) || FileType.Entry(lockPath) is not { Folder: false, Link: false } entry || entry.Owner != user)
            {
                continue;
            }

            FileStream held;
            try
            {
                // Taken only when no process holds it: its writer is gone.
                held = new FileStream(lockPath, FileMode.Open, FileAccess.Read, FileShare.None);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            using (held)
            {
                if (Owner(held) is not { } owner || owner.Host != Environment.MachineName || IsRunning(owner.Pid, owner.Started))
                {
                    continue;
                }

                var bytes = Size(stem) + Size(stem + OldSuffix);
                var problems = new[] { stem, stem + OldSuffix }.Select(p => (Path: p, Problem: TryDelete(p, user))).Where(p => p.Problem is not null).ToList();
                foreach (var (path, problem) in problems)
                {
                    diagnostics.Add(Messages.StaleTemporaryNotRemoved.With(path, owner.Pid, problem), path);
                }

                if (problems.Count == 0)
                {
                    TryDelete(lockPath, user);
                    diagnostics.Add(Messages.StaleTemporaryRemoved.With(System.IO.Path.GetFileName(stem), bytes, owner.Pid), stem);
                }
            }
        }
    }

    /// <summary>The name this type gives a temporary: the prefix, the destination's name, a dash and 32 hex digits.</summary>
    [GeneratedRegex("^\\.modelgopack-tmp-.+-[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex OwnName();

    private static (int Pid, long Started, string Host)? Owner(FileStream held)
    {
        var buffer = new byte[1024];
        var read = held.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        var lines = Encoding.UTF8.GetString(buffer, 0, read).Split('\n');
        if (lines.Length < 4 || lines[0] != LockHeader
            || !lines[1].StartsWith("pid ", StringComparison.Ordinal) || !int.TryParse(lines[1][4..], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !lines[2].StartsWith("started ", StringComparison.Ordinal) || !long.TryParse(lines[2][8..], NumberStyles.None, CultureInfo.InvariantCulture, out var started)
            || !lines[3].StartsWith("host ", StringComparison.Ordinal))
        {
            // Empty while its writer is still writing it, or not ours: either way, not provably stale.
            return null;
        }

        return (pid, started, lines[3][5..]);
    }

    /// <summary>
    /// Whether the process <paramref name="pid"/> that started at <paramref name="started"/> still runs. The
    /// lock alone would prove it is gone; this guards against a system where locks are not enforced
    /// (DOTNET_SYSTEM_IO_DISABLEFILELOCKING, some network file systems). A pid reused by another process has
    /// another start time.
    /// </summary>
    private static bool IsRunning(int pid, long started)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return Math.Abs(process.StartTime.ToUniversalTime().Ticks - started) < TimeSpan.TicksPerSecond;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return false;
        }
    }

    private static long Size(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Exists)
            {
                return info.Length;
            }

            var folder = new DirectoryInfo(path);
            return folder.Exists && folder.LinkTarget is null
                ? folder.EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }).Sum(f => f.Length)
                : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Deletes a file or link (a link is removed, never followed), or a folder and what it holds, depth first. Where
    /// owners can be told (<paramref name="owner"/> not null), it descends only into real folders that user owns, as
    /// lstat sees them, and refuses anything else of another user's: a folder whose contents another user could
    /// swap for a link is never walked. Null when done or nothing was there, else why not.
    /// </summary>
    private static string? TryDelete(string path, uint? owner)
    {
        try
        {
            if (owner is null)
            {
                var info = new FileInfo(path);
                if (info.Exists || info.LinkTarget is not null)
                {
                    info.Delete();
                }
                else if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                return null;
            }

            if (FileType.Entry(path) is not { } entry)
            {
                return null;
            }

            if (entry.Owner != owner)
            {
                return $"'{System.IO.Path.GetFileName(path)}' belongs to another user";
            }

            if (!entry.Folder)
            {
                File.Delete(path);
                return null;
            }

            foreach (var child in Directory.EnumerateFileSystemEntries(path, "*", new EnumerationOptions { AttributesToSkip = 0, RecurseSubdirectories = false }))
            {
                if (TryDelete(child, owner) is { } problem)
                {
                    return problem;
                }
            }

            Directory.Delete(path, recursive: false);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }
}

using System.Collections.Concurrent;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;

namespace ModelGoPack.Hashing;

/// <summary>
/// Computes the SHA-256 of many files on all cores: one file per core at a time, largest first so that the
/// big weights start early, small files batched so that scheduling costs nothing; each file read once in
/// large blocks, with reading and hashing overlapped. Digests the cache holds for an unchanged file are
/// used as they are. A file whose identity changes while it is read is MGP9002, never a silent wrong digest.
/// </summary>
internal static class DigestEngine
{
    private const long SmallFile = 4L * 1024 * 1024;
    private const int BatchFiles = 256;

    /// <summary>Hashes <paramref name="files"/>; returns the digest (lower-case hex) of each file that could be read, by path.</summary>
    public static Dictionary<string, string> HashAll(IReadOnlyList<ProjectFile> files, DigestCache cache, ProgressCounter? progress, DiagnosticBag diagnostics, CancellationToken cancellationToken, string phase = "hashing") =>
        HashDigests(files, cache, progress, diagnostics, cancellationToken, phase).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);

    /// <summary>
    /// Hashes <paramref name="files"/>; returns the digest of each file that could be read, by path: 32 bytes each, in
    /// one table sized for them all (a million files hold a million digests for the rest of the run).
    /// </summary>
    public static Dictionary<string, Sha256Digest> HashDigests(IReadOnlyList<ProjectFile> files, DigestCache cache, ProgressCounter? progress, DiagnosticBag diagnostics, CancellationToken cancellationToken, string phase = "hashing")
    {
        progress?.Start(phase, files.Sum(f => f.Length), files.Count);
        var digests = new Dictionary<string, Sha256Digest>(files.Count, StringComparer.Ordinal);
        var problems = new ConcurrentBag<Diagnostic>();
        cache.Reserve(files.Count);

        // Work items: each large file alone, largest first; small files in batches after them.
        var ordered = files.OrderByDescending(f => f.Length).ThenBy(f => f.RelativePath, StringComparer.Ordinal).ToList();
        var work = ordered.Where(f => f.Length > SmallFile).Select(f => new[] { f })
            .Concat(ordered.Where(f => f.Length <= SmallFile).Chunk(BatchFiles))
            .ToList();

        var overlap = Overlap(files.Select(f => f.Length));
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        try
        {
            Parallel.ForEach(Partitioner.Create(work, EnumerablePartitionerOptions.NoBuffering), options, batch =>
            {
                foreach (var file in batch)
                {
                    if (Hash(file, cache, progress, cancellationToken, out var problem, overlap) is { } digest)
                    {
                        lock (digests)
                        {
                            digests[file.RelativePath] = digest;
                        }
                    }
                    else
                    {
                        problems.Add(problem!);
                    }

                    progress?.FileDone();
                }
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OperationCanceledException))
        {
            throw new OperationCanceledException(cancellationToken);
        }

        foreach (var problem in problems.OrderBy(p => p.Path, StringComparer.Ordinal))
        {
            diagnostics.Add(problem);
        }

        return digests;
    }

    /// <summary>
    /// Whether hashing should overlap reading (and writing) on another core: yes when there are fewer large
    /// files than cores; with a large file for every core, each core reads and hashes its own.
    /// </summary>
    public static bool Overlap(IEnumerable<long> sizes) => sizes.Count(size => size > SmallFile) < Environment.ProcessorCount;

    /// <summary>The digest of one file (from the cache when its identity is unchanged), or null with the problem.</summary>
    public static Sha256Digest? Hash(ProjectFile file, DigestCache cache, ProgressCounter? progress, CancellationToken cancellationToken, out Diagnostic? problem, bool overlap = true)
    {
        problem = null;
        if (Identify(file, out problem) is not { } before)
        {
            return null;
        }

        if (cache.TryGetDigest(file.RelativePath, before) is { } known)
        {
            progress?.AddBytes(file.Length);
            return known;
        }

        var started = DateTimeOffset.UtcNow;
        Sha256Digest? digest = null;
        try
        {
            using var source = SourceStream.Open(file.RelativePath, file.FullPath, file.Length, progress, cancellationToken);
            if (overlap)
            {
                source.CopyTo(Stream.Null);
            }
            else
            {
                source.ReadToEnd();
            }
            digest = source.Digest();
            problem = Unchanged(file, before, source.BytesRead);
        }
        catch (SourceReadException e)
        {
            problem = Unreadable(file.RelativePath, e);
        }

        if (problem is not null)
        {
            return null;
        }

        cache.Put(file.RelativePath, before, digest!.Value, started);
        return digest;
    }

    /// <summary>The file's identity before it is read; null (with the problem) when it is gone or its size changed since discovery.</summary>
    public static FileStamp? Identify(ProjectFile file, out Diagnostic? problem)
    {
        problem = null;
        var stamp = FileType.Stamp(file.FullPath);
        if (stamp is null)
        {
            problem = Messages.FileGone.With(file.RelativePath).At(file.RelativePath);
        }
        else if (stamp.Value.Size != file.Length)
        {
            problem = Messages.FileSizeChangedSinceListed.With(file.RelativePath, file.Length, stamp.Value.Size).At(file.RelativePath);
            return null;
        }

        return stamp;
    }

    /// <summary>Null when the file still has the identity it had before it was read, and every byte of it was read; else the problem.</summary>
    public static Diagnostic? Unchanged(ProjectFile file, FileStamp before, long bytesRead)
    {
        var after = FileType.Stamp(file.FullPath);
        if (after is null)
        {
            return Messages.FileRemovedWhileRead.With(file.RelativePath).At(file.RelativePath);
        }

        if (bytesRead != before.Size || after.Value.Size != before.Size)
        {
            return Messages.FileSizeChangedWhileRead.With(file.RelativePath, before.Size, bytesRead, after.Value.Size).At(file.RelativePath);
        }

        return after.Value == before ? null : Messages.FileReplacedWhileRead.With(file.RelativePath).At(file.RelativePath);
    }

    /// <summary>MGP8009 for a file that could not be read (<paramref name="e"/>), reported at <paramref name="path"/>.</summary>
    public static Diagnostic Unreadable(string path, SourceReadException e) => Messages.FileReadFailed.With(e.RelativePath, e.InnerException!.Message).At(path);
}

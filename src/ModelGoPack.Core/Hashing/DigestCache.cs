using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Emit;

namespace ModelGoPack.Hashing;

/// <summary>
/// Remembers each file's SHA-256 with the identity it had when hashed (<see cref="FileStamp"/>: size,
/// modification and change times, inode, device), so that a second <c>check</c> of an unchanged project
/// hashes nothing. One file per project root, under the cache folder, written atomically; it holds only the
/// files of the last run. An entry is used only when every part of the identity is equal, and only where
/// nothing is copied (<c>check</c>, and the comparison with an upstream release): <c>pack</c> hashes every
/// byte it copies and <see cref="Confirm"/>s the cache against it. A file modified less than
/// <see cref="RacyWindow"/> before it was hashed is not remembered: a write in the same clock tick could
/// leave its times unchanged.
/// </summary>
/// <remarks>
/// The cache file is data from disk, not trusted: it is read only when it is a regular file (never through a
/// link, never a pipe or device: <see cref="FileType.OpenRegular"/>), at most <see cref="MaxBytes"/> of it,
/// counted while reading, line by line, stopping on cancellation. Anything else is ignored with a note
/// (MGP8034) and replaced by a regular file on the next <see cref="Save"/>, by a rename that replaces a link
/// rather than writing through it.
/// </remarks>
internal sealed class DigestCache
{
    /// <summary>The first line of a cache file; a file with any other is ignored.</summary>
    public const string Header = "modelgopack-digests 1";

    /// <summary>The largest cache file read: 256 MiB (a million files of long paths).</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    // A line is a digest, five numbers and a path: a longer line is not one this class wrote.
    private const int MaxLineBytes = 16 * 1024;

    private static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    private readonly string? path;
    private readonly Dictionary<string, (FileStamp Stamp, Sha256Digest Digest)> previous;
    private readonly Dictionary<string, (FileStamp Stamp, Sha256Digest Digest)> current = new(StringComparer.Ordinal);
    private readonly HashSet<string> racy = new(StringComparer.Ordinal);
    private readonly List<Diagnostic> notes = [];
    private readonly Lock gate = new();

    // The file on disk was ignored: it is rewritten on save even when this run has nothing new.
    private bool rewrite;

    private DigestCache(string? path, Dictionary<string, (FileStamp, Sha256Digest)> previous)
    {
        this.path = path;
        this.previous = previous;
    }

    /// <summary>The folder holding the cache file (full path), or null for a cache kept in memory.</summary>
    public string? Folder => this.path is null ? null : Path.GetDirectoryName(this.path);

    /// <summary>A cache that only remembers within this run (nothing is read or saved).</summary>
    public static DigestCache InMemory() => new(null, new Dictionary<string, (FileStamp, Sha256Digest)>(StringComparer.Ordinal));

    /// <summary>The cache file of the project at <paramref name="root"/> in <paramref name="directory"/>.</summary>
    public static string FilePath(string directory, string root) =>
        Path.Combine(Path.GetFullPath(directory), Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(root))))[..32] + ".digests");

    /// <summary>
    /// The cache of the project at <paramref name="root"/> in <paramref name="directory"/>. A missing cache file
    /// is an empty cache; one that cannot be used (a link, a pipe, a device, over <paramref name="maxBytes"/>,
    /// malformed, unreadable) is an empty cache with a note (<see cref="TakeNotes"/>): the files are hashed again.
    /// </summary>
    public static DigestCache Open(string directory, string root, long maxBytes = MaxBytes, CancellationToken cancellationToken = default)
    {
        var file = FilePath(directory, root);
        var entries = Load(file, maxBytes, cancellationToken, out var problem);
        var cache = new DigestCache(file, entries ?? new Dictionary<string, (FileStamp, Sha256Digest)>(StringComparer.Ordinal));
        if (problem is not null)
        {
            cache.rewrite = true;
            cache.notes.Add(Messages.DigestCacheNotRead.With(file, problem).At(file));
        }

        return cache;
    }

    /// <summary>The notes (MGP8034) gathered since the last call: a cache file ignored, a cached digest corrected.</summary>
    public IReadOnlyList<Diagnostic> TakeNotes()
    {
        lock (this.gate)
        {
            var taken = this.notes.ToList();
            this.notes.Clear();
            return taken;
        }
    }

    /// <summary>
    /// Makes room for <paramref name="count"/> more digests at once: a run that will remember a digest for each of its
    /// files does not grow the table step by step (each step holds the old table and one twice its size).
    /// </summary>
    public void Reserve(int count)
    {
        lock (this.gate)
        {
            this.current.EnsureCapacity(this.current.Count + count);
        }
    }

    /// <summary>The remembered digest (lower-case hex) of <paramref name="relativePath"/>, when its identity is still <paramref name="stamp"/>.</summary>
    public string? TryGet(string relativePath, FileStamp stamp) => this.TryGetDigest(relativePath, stamp)?.ToString();

    /// <summary>The remembered digest of <paramref name="relativePath"/>, when its identity is still <paramref name="stamp"/>.</summary>
    public Sha256Digest? TryGetDigest(string relativePath, FileStamp stamp)
    {
        lock (this.gate)
        {
            if (this.current.TryGetValue(relativePath, out var known) || this.previous.TryGetValue(relativePath, out known))
            {
                if (known.Stamp == stamp)
                {
                    this.current[relativePath] = known;
                    return known.Digest;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// The remembered digest of <paramref name="relativePath"/>, when its identity is still <paramref name="stamp"/>, without
    /// counting it as used (<see cref="TryGet"/> does): pack asks this before it decides to reuse a file, and copies it when
    /// the digest is not the one it needs, so that a wrong entry is corrected by <see cref="Confirm"/> as ever.
    /// </summary>
    public string? Peek(string relativePath, FileStamp stamp)
    {
        lock (this.gate)
        {
            return (this.current.TryGetValue(relativePath, out var known) || this.previous.TryGetValue(relativePath, out known)) && known.Stamp == stamp
                ? known.Digest.ToString()
                : null;
        }
    }

    /// <summary>Remembers a digest just computed (64 lower-case hex digits; anything else is not remembered); <paramref name="hashedAt"/> is when hashing began.</summary>
    public void Put(string relativePath, FileStamp stamp, string digest, DateTimeOffset hashedAt)
    {
        if (Sha256Digest.TryParse(digest, out var parsed))
        {
            this.Put(relativePath, stamp, parsed, hashedAt);
        }
    }

    /// <summary>Remembers a digest just computed; <paramref name="hashedAt"/> is when hashing began.</summary>
    public void Put(string relativePath, FileStamp stamp, Sha256Digest digest, DateTimeOffset hashedAt)
    {
        lock (this.gate)
        {
            this.Remember(relativePath, stamp, digest, hashedAt);
        }
    }

    /// <summary>
    /// Records the digest of bytes just read and copied (<paramref name="digest"/>, of the file with identity
    /// <paramref name="stamp"/>), the one pack lists, and says whether this run relied on another. Null when
    /// nothing earlier in this run used a digest of this file, or used this one. Else why the digest this run
    /// used (to compare the file with an upstream release) is not that of the bytes copied: the file changed
    /// after it was evaluated, or the cache held a wrong digest for it; the bundle must not be written on
    /// that evaluation. A remembered digest that nothing used and the bytes contradict is corrected with a
    /// note: the bundle lists the digest of its own bytes either way, so nothing written is wrong, but a
    /// wrong entry means the cache was damaged or written by something else, and an earlier <c>check</c>
    /// may have reported that digest.
    /// </summary>
    public MessageText? Confirm(string relativePath, FileStamp stamp, Sha256Digest digest, DateTimeOffset hashedAt)
    {
        lock (this.gate)
        {
            var used = this.current.TryGetValue(relativePath, out var seen) ? seen : ((FileStamp Stamp, Sha256Digest Digest)?)null;
            var remembered = used is null && this.previous.TryGetValue(relativePath, out var saved) && saved.Stamp == stamp ? saved.Digest : (Sha256Digest?)null;

            // A cache kept in memory serves what this run asks again; a file copied is not asked for again (pack copies
            // each once, after the evaluation), so only a digest the run used is kept up to date: pack --no-cache of a
            // million files holds no table of a million digests it will never read.
            if (this.path is not null || used is not null)
            {
                this.Remember(relativePath, stamp, digest, hashedAt);
            }
            if (used is { } earlier && earlier != (stamp, digest))
            {
                return earlier.Stamp != stamp
                    ? Messages.FileChangedSinceEvaluated.With(relativePath)
                    : Messages.FileDigestNotAsEvaluated.With(relativePath, digest.ToString(), earlier.Digest.ToString());
            }

            if (remembered is { } wrong && wrong != digest)
            {
                this.rewrite = true;
                this.notes.Add(Messages.DigestCacheCorrected.With(wrong.ToString(), relativePath, digest.ToString()).At(relativePath));
            }

            return null;
        }
    }

    /// <summary>
    /// Writes the digests of this run (only) to the cache file, unless they are exactly what it holds: a new
    /// file beside it, renamed over it (which replaces a link or a pipe there, never writes through it).
    /// Failing to save is not an error.
    /// </summary>
    public void Save()
    {
        if (this.path is null)
        {
            return;
        }

        // Written line by line to the file (never built whole in memory: a million lines are over 100 MB as text), the
        // paths in order, under a locked temporary name, as bundles are, so that what a killed run leaves is removed by
        // the next save. A save that changes nothing writes nothing.
        lock (this.gate)
        {
            var saved = this.current.Keys.Where(k => !this.racy.Contains(k)).ToArray();
            if (!this.rewrite && saved.Length == this.previous.Count && saved.All(k => this.previous.TryGetValue(k, out var known) && known == this.current[k]))
            {
                return;
            }

            Array.Sort(saved, StringComparer.Ordinal);
            TemporaryOutput? temporary = null;
            try
            {
                var folder = Path.GetDirectoryName(this.path)!;
                Directory.CreateDirectory(folder);
                TemporaryOutput.RemoveStale(folder, new DiagnosticBag());
                temporary = TemporaryOutput.Create(this.path);

                // CreateNew: a new file of our own (O_EXCL), never an existing one or a link's target.
                using (var stream = new FileStream(temporary.Path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                using (var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16))
                {
                    writer.Write(Header);
                    writer.Write('\n');
                    Span<char> hex = stackalloc char[64];
                    foreach (var relative in saved)
                    {
                        var (stamp, digest) = this.current[relative];
                        digest.Format(hex);
                        writer.Write(hex);
                        writer.Write('\t');
                        writer.Write(stamp.ToLine());
                        writer.Write('\t');
                        writer.Write(relative);
                        writer.Write('\n');
                    }
                }

                File.Move(temporary.Path, this.path, overwrite: true);
                this.rewrite = false;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: a cache that cannot be saved only costs hashing next time.
            }
            finally
            {
                temporary?.Dispose();
            }
        }
    }

    // Good for the rest of this run (the identity is checked again), but not saved when racy. Under the gate.
    private void Remember(string relativePath, FileStamp stamp, Sha256Digest digest, DateTimeOffset hashedAt)
    {
        this.current[relativePath] = (stamp, digest);
        if (relativePath.AsSpan().IndexOfAny('\t', '\n', '\r') >= 0 || stamp.ModifiedNs / 100 > (hashedAt - RacyWindow).ToUnixTimeMilliseconds() * 10_000)
        {
            this.racy.Add(relativePath);
        }
        else
        {
            this.racy.Remove(relativePath);
        }
    }

    /// <summary>The entries of the cache file; null (and why, for a note) when it cannot be used; empty, with no problem, when there is none.</summary>
    private static Dictionary<string, (FileStamp, Sha256Digest)>? Load(string file, long maxBytes, CancellationToken cancellationToken, out string? problem)
    {
        using var handle = FileType.OpenRegular(file, out problem);
        if (handle is null)
        {
            return null;
        }

        var entries = new Dictionary<string, (FileStamp, Sha256Digest)>(StringComparer.Ordinal);
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        var block = new byte[1 << 16];
        var line = new byte[MaxLineBytes];
        var lineLength = 0;
        var lines = 0;
        long offset = 0;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var read = RandomAccess.Read(handle, block, offset);
                if (read == 0)
                {
                    break;
                }

                // Counted as it is read: the size a stat gave says nothing of what a read returns.
                offset += read;
                if (offset > maxBytes)
                {
                    problem = string.Create(CultureInfo.InvariantCulture, $"is larger than {maxBytes:N0} bytes, the most a cache file may hold");
                    return null;
                }

                var rest = block.AsSpan(0, read);
                while (rest.Length > 0)
                {
                    var end = rest.IndexOf((byte)'\n');
                    var part = end < 0 ? rest : rest[..end];
                    if (lineLength + part.Length > MaxLineBytes)
                    {
                        problem = "is malformed (a line too long to be a cache entry)";
                        return null;
                    }

                    part.CopyTo(line.AsSpan(lineLength));
                    lineLength += part.Length;
                    if (end < 0)
                    {
                        break;
                    }

                    if (!Accept(strict.GetString(line, 0, lineLength), lines++, entries))
                    {
                        problem = lines == 1 ? $"is malformed (its first line is not '{Header}')" : $"is malformed (line {lines} is not a cache entry)";
                        return null;
                    }

                    lineLength = 0;
                    rest = rest[(end + 1)..];
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            problem = $"cannot be read ({e.Message})";
            return null;
        }
        catch (DecoderFallbackException)
        {
            problem = "is malformed (not UTF-8)";
            return null;
        }

        if (lineLength > 0 || lines == 0)
        {
            problem = lines == 0 && lineLength == 0 ? "is empty" : "is malformed (its last line is cut short)";
            return null;
        }

        return entries;
    }

    // One line: the header first, then "digest size modified changed inode device path", tab-separated.
    private static bool Accept(string line, int index, Dictionary<string, (FileStamp, Sha256Digest)> entries)
    {
        if (index == 0)
        {
            return line == Header;
        }

        var parts = line.Split('\t', 7);
        if (parts.Length != 7 || !Sha256Digest.TryParse(parts[0], out var digest) || !FileStamp.TryParse(parts, 1, out var stamp))
        {
            return false;
        }

        entries[parts[6]] = (stamp, digest);
        return true;
    }
}

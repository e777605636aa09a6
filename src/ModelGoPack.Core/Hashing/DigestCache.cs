using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ModelGoPack.Discovery;

namespace ModelGoPack.Hashing;

/// <summary>
/// Remembers each file's SHA-256 with the identity it had when hashed (<see cref="FileStamp"/>: size,
/// modification and change times, inode, device), so that a second <c>check</c> or <c>pack</c> of an
/// unchanged project hashes nothing. One file per project root, under the cache folder, written atomically;
/// it holds only the files of the last run. An entry is used only when every part of the identity is equal.
/// A file modified less than <see cref="RacyWindow"/> before it was hashed is not remembered: a write in the
/// same clock tick could leave its times unchanged.
/// </summary>
internal sealed class DigestCache
{
    /// <summary>The first line of a cache file; a file with any other is ignored.</summary>
    public const string Header = "modelgopack-digests 1";

    private const long MaxBytes = 256L * 1024 * 1024;

    private static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    private readonly string? path;
    private readonly Dictionary<string, (FileStamp Stamp, string Digest)> previous;
    private readonly Dictionary<string, (FileStamp Stamp, string Digest)> current = new(StringComparer.Ordinal);
    private readonly HashSet<string> racy = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    private DigestCache(string? path, Dictionary<string, (FileStamp, string)> previous)
    {
        this.path = path;
        this.previous = previous;
    }

    /// <summary>A cache that only remembers within this run (nothing is read or saved).</summary>
    public static DigestCache InMemory() => new(null, new Dictionary<string, (FileStamp, string)>(StringComparer.Ordinal));

    /// <summary>
    /// The cache of the project at <paramref name="root"/> in <paramref name="directory"/>. A missing,
    /// unreadable or malformed cache file is an empty cache: the files are hashed again.
    /// </summary>
    public static DigestCache Open(string directory, string root)
    {
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(root))))[..32] + ".digests";
        var file = Path.Combine(Path.GetFullPath(directory), name);
        return new DigestCache(file, Load(file));
    }

    /// <summary>The remembered digest of <paramref name="relativePath"/>, when its identity is still <paramref name="stamp"/>.</summary>
    public string? TryGet(string relativePath, FileStamp stamp)
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

    /// <summary>Remembers a digest just computed; <paramref name="hashedAt"/> is when hashing began.</summary>
    public void Put(string relativePath, FileStamp stamp, string digest, DateTimeOffset hashedAt)
    {
        lock (this.gate)
        {
            // Good for the rest of this run (the identity is checked again), but not saved when racy.
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
    }

    /// <summary>
    /// Writes the digests of this run (only) to the cache file, unless they are exactly what it holds.
    /// Failing to save is not an error.
    /// </summary>
    public void Save()
    {
        if (this.path is null)
        {
            return;
        }

        lock (this.gate)
        {
            var saved = this.current.Where(p => !this.racy.Contains(p.Key)).ToList();
            if (saved.Count == this.previous.Count && saved.All(p => this.previous.TryGetValue(p.Key, out var known) && known == p.Value))
            {
                return;
            }
        }

        var text = new StringBuilder(Header).Append('\n');
        lock (this.gate)
        {
            foreach (var (relative, (stamp, digest)) in this.current.Where(p => !this.racy.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"{digest}\t{stamp.Size}\t{stamp.ModifiedNs}\t{stamp.ChangedNs}\t{stamp.Inode}\t{stamp.Device}\t{relative}\n");
            }
        }

        var temporary = $"{this.path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(this.path)!);
            File.WriteAllText(temporary, text.ToString(), new UTF8Encoding(false));
            File.Move(temporary, this.path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // Best effort: a cache that cannot be saved only costs hashing next time.
            }
        }
    }

    private static Dictionary<string, (FileStamp, string)> Load(string file)
    {
        var entries = new Dictionary<string, (FileStamp, string)>(StringComparer.Ordinal);
        try
        {
            var info = new FileInfo(file);
            if (!info.Exists || info.Length > MaxBytes)
            {
                return entries;
            }

            using var reader = new StreamReader(file, new UTF8Encoding(false, throwOnInvalidBytes: true));
            if (reader.ReadLine() != Header)
            {
                return entries;
            }

            while (reader.ReadLine() is { } line)
            {
                var parts = line.Split('\t', 7);
                if (parts.Length != 7 || parts[0].Length != 64 || !parts[0].All(char.IsAsciiHexDigitLower)
                    || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                    || !long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var modified)
                    || !long.TryParse(parts[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var changed)
                    || !ulong.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
                    || !ulong.TryParse(parts[5], NumberStyles.None, CultureInfo.InvariantCulture, out var device))
                {
                    return new Dictionary<string, (FileStamp, string)>(StringComparer.Ordinal);
                }

                entries[parts[6]] = (new FileStamp(size, modified, changed, inode, device), parts[0]);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            entries.Clear();
        }

        return entries;
    }
}

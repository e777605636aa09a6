using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Emit;

namespace ModelGoPack.Signing;

/// <summary>
/// What pack leaves in the digest cache folder for sign: the bundle's full path, the identity (<see cref="FileStamp"/>:
/// size, modification and change times, inode, device) of every file it wrote (a folder bundle's files, or the archive
/// itself), and the manifest it wrote, with its SHA-256. Pack hashed every byte as it wrote it, so while every stamp is
/// still the same, the manifest's digests are those of the files: sign then signs them without reading the bundle.
/// Any difference (a file touched, added or removed, the archive replaced, another bundle at the path) and sign reads
/// and checks the bundle instead. One file per bundle path, written atomically; like the digest cache, data from disk
/// that decides only whether to read again, never what is signed unread when it does not match.
/// </summary>
internal static class BundleSeal
{
    /// <summary>The first line of a seal; a file with any other is ignored.</summary>
    public const string Header = "modelgopack-seal 1";

    // The stamps of a million files, the bundle's path and a manifest of at most 256 MiB.
    private const long MaxBytes = BundleLimits.MaxManifestBytes + (512L * 1024 * 1024);

    /// <summary>The seal file of the bundle at <paramref name="bundle"/> in the cache folder <paramref name="cacheDirectory"/>.</summary>
    public static string FilePath(string cacheDirectory, string bundle) =>
        Path.Combine(Path.GetFullPath(cacheDirectory), Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Full(bundle))))[..32] + ".seal");

    /// <summary>
    /// Leaves the seal of the bundle pack just wrote at <paramref name="bundle"/> with <paramref name="manifest"/>; with no
    /// cache folder (--no-cache), none. Best effort: a seal that cannot be written only means sign reads the bundle.
    /// </summary>
    public static void Leave(string? cacheDirectory, string bundle, ManifestContent manifest)
    {
        if (cacheDirectory is null)
        {
            return;
        }

        // Written as the bundle's files are listed, line by line, never held whole: a folder bundle of a million files has
        // a million stamps, and the manifest is made again from the list of files rather than held.
        var full = Full(bundle);
        try
        {
            // The manifest's digest first (the seal names it before the manifest), made from it as it is streamed.
            using var sha = SHA256.Create();
            using (var hashing = new CryptoStream(Stream.Null, sha, CryptoStreamMode.Write, leaveOpen: true))
            {
                manifest.WriteTo(hashing);
            }

            var digest = Convert.ToHexStringLower(sha.Hash!);
            Directory.CreateDirectory(Path.GetFullPath(cacheDirectory));
            AtomicFile.Write(FilePath(cacheDirectory, bundle), new DiagnosticBag(), stream =>
            {
                using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
                writer.Write(Header);
                writer.Write("\nbundle\t");
                writer.Write(full);
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"\nmanifest\t{digest}\t{manifest.Length}\n"));
                if (!Stamps(full, (relative, stamp) =>
                {
                    writer.Write("file\t");
                    writer.Write(stamp.ToLine());
                    writer.Write('\t');
                    writer.Write(relative);
                    writer.Write('\n');
                }))
                {
                    return false;
                }

                writer.Write("end\n");
                writer.Flush();
                manifest.WriteTo(stream);
                return true;
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: sign reads the bundle instead.
        }
    }

    /// <summary>
    /// The manifest the seal vouches for, when the bundle at <paramref name="bundle"/> is, stamp for stamp, the one pack
    /// sealed; else null and why not (for the line sign prints).
    /// </summary>
    public static byte[]? Check(string? cacheDirectory, string bundle, out string why) => Read(cacheDirectory, bundle, out why)?.Manifest;

    /// <summary>
    /// As <see cref="Check"/>, with the stamp the seal holds of every file of the bundle (by path relative to it), for
    /// pack to reuse the files of its previous bundle (<see cref="Emit.PreviousFiles"/>).
    /// </summary>
    public static (byte[] Manifest, IReadOnlyDictionary<string, FileStamp> Stamps)? Read(string? cacheDirectory, string bundle, out string why)
    {
        if (cacheDirectory is null)
        {
            why = "no digest cache folder (--no-cache, or none is set)";
            return null;
        }

        if (!FileType.KnowsIdentity)
        {
            // Size and modification time alone prove nothing: a file rewritten and touched back keeps both.
            why = "this system does not tell a file's change time and inode, and its size and modification time can be set back";
            return null;
        }

        var file = FilePath(cacheDirectory, bundle);
        using var handle = FileType.OpenRegular(file, out var problem);
        if (handle is null)
        {
            why = problem is null ? "pack left no seal for it" : $"its seal {problem}";
            return null;
        }

        byte[] bytes;
        try
        {
            var length = RandomAccess.GetLength(handle);
            if (length > MaxBytes)
            {
                why = "its seal is too large to be one";
                return null;
            }

            bytes = new byte[length];
            if (RandomAccess.Read(handle, bytes, 0) != length)
            {
                why = "its seal could not be read whole";
                return null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            why = $"its seal cannot be read ({e.Message})";
            return null;
        }

        if (Parse(bytes) is not var (sealedPath, digest, manifest, stamps))
        {
            why = "its seal is malformed";
            return null;
        }

        if (sealedPath != Full(bundle))
        {
            why = "its seal is of another path";
            return null;
        }

        if (Convert.ToHexStringLower(SHA256.HashData(manifest)) != digest)
        {
            why = "its seal's manifest is damaged";
            return null;
        }

        var now = Stamps(Full(bundle));
        if (now is null || now.Count != stamps.Count || now.Any(p => !stamps.TryGetValue(p.Key, out var then) || then != p.Value))
        {
            why = "it changed since pack wrote it";
            return null;
        }

        why = "";
        return (manifest, stamps);
    }

    // The identity of every file of the bundle: a folder's regular files by relative path (null when it holds a link or
    // anything but files and folders: pack writes neither), or the archive itself as ".".
    private static Dictionary<string, FileStamp>? Stamps(string bundle)
    {
        var stamps = new Dictionary<string, FileStamp>(StringComparer.Ordinal);
        return Stamps(bundle, (relative, stamp) => stamps[relative] = stamp) ? stamps : null;
    }

    // Gives each file's identity to found, in the order the folder is listed; false when the bundle cannot be sealed (see above).
    private static bool Stamps(string bundle, Action<string, FileStamp> found)
    {
        try
        {
            if (FileType.Stamp(bundle) is { } archive)
            {
                found(".", archive);
                return true;
            }

            var root = new DirectoryInfo(bundle);
            if (!root.Exists || root.LinkTarget is not null)
            {
                return false;
            }

            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
            foreach (var entry in root.EnumerateFileSystemInfos("*", options))
            {
                if (entry.LinkTarget is not null)
                {
                    return false;
                }

                if (entry is DirectoryInfo)
                {
                    continue;
                }

                var relative = ProjectPath.FromFileSystem(bundle, entry.FullName);
                if (FileType.Stamp(entry.FullName) is not { } stamp || relative.AsSpan().IndexOfAny('\t', '\n', '\r') >= 0)
                {
                    return false;
                }

                found(relative, stamp);
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static (string Bundle, string Digest, byte[] Manifest, Dictionary<string, FileStamp> Stamps)? Parse(byte[] bytes)
    {
        var end = "\nend\n"u8;
        var at = bytes.AsSpan().IndexOf(end);
        if (at < 0)
        {
            return null;
        }

        string[] lines;
        try
        {
            lines = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, at).Split('\n');
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        var manifest = bytes[(at + end.Length)..];
        if (lines.Length < 3 || lines[0] != Header || lines[1].Split('\t', 2) is not ["bundle", var bundle]
            || lines[2].Split('\t') is not ["manifest", { Length: 64 } digest, var length]
            || !long.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out var manifestLength) || manifestLength != manifest.Length)
        {
            return null;
        }

        var stamps = new Dictionary<string, FileStamp>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(3))
        {
            var parts = line.Split('\t', 7);
            if (parts.Length != 7 || parts[0] != "file" || !FileStamp.TryParse(parts, 1, out var stamp))
            {
                return null;
            }

            stamps[parts[6]] = stamp;
        }

        return (bundle, digest, manifest, stamps);
    }

    private static string Full(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
}

/// <summary>Writes a file atomically: a new file under a locked temporary name beside it, renamed over the path.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="bytes"/> to <paramref name="path"/> (its folder exists): never through a link or into an
    /// existing file, and nothing is left behind when it fails (what an interrupted run left goes first).
    /// </summary>
    /// <exception cref="IOException">It could not be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder may not be written.</exception>
    public static void Write(string path, ReadOnlySpan<byte> bytes, DiagnosticBag diagnostics)
    {
        TemporaryOutput.RemoveStale(Path.GetDirectoryName(path)!, diagnostics);
        using var temporary = TemporaryOutput.Create(path);

        // CreateNew: a file of our own (O_EXCL), never an existing one or a link's target.
        using (var stream = new FileStream(temporary.Path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary.Path, path, overwrite: true);
    }

    /// <summary>
    /// Writes what <paramref name="write"/> writes to <paramref name="path"/> as <see cref="Write(string, ReadOnlySpan{byte}, DiagnosticBag)"/>
    /// does, streamed rather than held; when it returns false, nothing is written (and nothing left behind).
    /// </summary>
    /// <exception cref="IOException">It could not be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder may not be written.</exception>
    public static void Write(string path, DiagnosticBag diagnostics, Func<Stream, bool> write)
    {
        TemporaryOutput.RemoveStale(Path.GetDirectoryName(path)!, diagnostics);
        using var temporary = TemporaryOutput.Create(path);
        using (var stream = new FileStream(temporary.Path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            if (!write(stream))
            {
                return;
            }

            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary.Path, path, overwrite: true);
    }
}

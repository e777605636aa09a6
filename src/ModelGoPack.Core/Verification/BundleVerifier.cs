using System.Formats.Tar;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Hashing;
using ModelGoPack.Emit;
using ModelGoPack.Loading;

namespace ModelGoPack.Verification;

/// <summary>
/// Reads a received bundle (a folder, .zip, .tar.gz, or the inside of a .nupkg) once: every file hashed and
/// its header read, checked against <c>modelgo-manifest.json</c> when there is one: every listed file present
/// with its size and SHA-256, and no file the manifest does not list. Hashes on all cores where the container
/// allows (a folder or zip; a tar.gz is the stream it is), never from a cache, and never reads more of an
/// entry than the manifest (or, without one, the archive) says it holds. Never writes anything. Each format has its
/// reader (<see cref="FolderBundleReader"/>, <see cref="ZipBundleReader"/>, <see cref="TarBundleReader"/>), which reads
/// each entry with <see cref="EntryReader"/> and ends with <see cref="ManifestComparison"/>.
/// </summary>
internal static class BundleVerifier
{
    public const string ManifestName = ProjectLoader.ManifestFileName;
    /// <summary>The most verify reads of a manifest: the one limit pack keeps too.</summary>
    public const long MaxManifestBytes = BundleLimits.MaxManifestBytes;

    /// <summary>How much a tar.gz may expand before its ratio is judged (16 GiB; tests lower it): <see cref="TarGzReader.GzipAllowance"/>.</summary>
    internal static long GzipAllowance
    {
        get => TarGzReader.GzipAllowance;
        set => TarGzReader.GzipAllowance = value;
    }

    /// <summary>
    /// Reads and checks the bundle at <paramref name="path"/>; null when it cannot be read at all. <paramref name="leaveOut"/>:
    /// a file of a folder bundle (its relative path) that is not read as one of its files: the signature verify checks,
    /// when an older bundle keeps it inside (OMS 6.2).
    /// </summary>
    public static BundleContent? Read(string path, ProgressCounter? progress, DiagnosticBag diagnostics, CancellationToken cancellationToken, string? leaveOut = null)
    {
        try
        {
            // A folder bundle may hold a file named oci-layout (the project's own): its modelgo-manifest.json at the root says it is one.
            if (Directory.Exists(path) && Oci.OciLayout.IsLayout(path) && !File.Exists(Path.Combine(path, ManifestName)))
            {
                return OciBundleReader.Read(Path.GetFullPath(path), null, progress, diagnostics, cancellationToken);
            }

            // LAYOUT:REF names one manifest of a layout that holds several, as skopeo's oci:LAYOUT:REF does.
            if (Oci.OciLayout.SplitReference(path) is var (layout, reference))
            {
                return OciBundleReader.Read(Path.GetFullPath(layout), reference, progress, diagnostics, cancellationToken);
            }

            if (Directory.Exists(path))
            {
                return FolderBundleReader.Read(Path.GetFullPath(path), progress, diagnostics, cancellationToken, leaveOut);
            }

            // A named pipe or device would block the first read for ever: only a regular file (or a link to one) is read.
            if (!File.Exists(path) || !FileType.IsRegular(new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path))
            {
                diagnostics.Add(Messages.BundleNeitherFolderNorFile.With(path), path);
                return null;
            }

            Span<byte> magic = stackalloc byte[4];
            using (var probe = File.OpenRead(path))
            {
                magic = magic[..probe.ReadAtLeast(magic, 4, throwOnEndOfStream: false)];
            }

            if (magic.StartsWith("PK\u0003\u0004"u8) || magic.StartsWith("PK\u0005\u0006"u8))
            {
                return ZipBundleReader.Read(path, IsPackage(path), progress, diagnostics, cancellationToken);
            }

            if (magic.StartsWith((ReadOnlySpan<byte>)[0x1f, 0x8b]))
            {
                return TarBundleReader.Read(path, progress, diagnostics, cancellationToken);
            }

            diagnostics.Add(Messages.BundleFormatUnknown.With(path), path);
            return null;
        }
        catch (Exception e) when (IsDamaged(e) || e is UnauthorizedAccessException)
        {
            diagnostics.Add(Messages.BundleReadFailed.With(path, e.Message), path);
            return null;
        }
    }

    /// <summary>
    /// How the archive readers say the bytes are no archive they can read: I/O and format errors, and, from
    /// the tar reader, InvalidOperationException (a header field it cannot take, such as a 3 GiB long name),
    /// OverflowException and ArgumentOutOfRangeException (GNU attribute fields and times out of range, both
    /// found by fuzzing), and NotSupportedException (a GNU sparse entry, which `tar -S` writes).
    /// </summary>
    internal static bool IsDamaged(Exception e) =>
        e is IOException or InvalidDataException or FormatException or InvalidOperationException or OverflowException or ArgumentOutOfRangeException
            or NotSupportedException;

    /// <summary>Whether <paramref name="path"/> names a NuGet package (by its extension).</summary>
    public static bool IsPackage(string path) => path.EndsWith(".nupkg", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Where a .nupkg entry stands in the bundle: ModelGoPack puts the generated files at the package root
    /// and the model's files under <c>model/</c>. Null for NuGet's own parts.
    /// </summary>
    public static string? PackageEntryToBundlePath(string entry) =>
        entry.StartsWith("model/", StringComparison.Ordinal) ? entry["model/".Length..]
        : PackageMetadata.IsNuGetPart(entry) ? null
        : entry;

    /// <summary>
    /// Reads again, whole, the small files of an archive the evaluation needs and did not keep while hashing
    /// (the root's texts, the notice files a declaration names), at most 64 MiB of them: a zip by entry, a
    /// tar.gz in one more pass, only when something is missing. A folder's files are read from disk anyway.
    /// </summary>
    public static void Fetch(BundleContent content, IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        var budget = 64L * 1024 * 1024;
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths.Distinct(StringComparer.Ordinal))
        {
            if (content.Files.TryGetValue(path, out var file) && file.Length <= EntryCapture.TextLimit && !content.Kept.ContainsKey(path) && (budget -= file.Length) >= 0)
            {
                wanted.Add(path);
            }
        }

        if (wanted.Count == 0 || PreviousBundle.IsFolder(content.Format))
        {
            return;
        }

        try
        {
            if (content.Format == BundleFormat.Zip)
            {
                using var zip = ZipDirectory.Read(content.Source);
                var byName = zip.ByName();
                foreach (var path in wanted)
                {
                    using var stream = zip.Open(byName[content.Files[path].FullPath]);
                    content.Kept[path] = ReadWhole(stream, content.Files[path].Length);
                }

                return;
            }

            using var tar = new TarGzReader(content.Source);
            while (wanted.Count > 0 && tar.Next(cancellationToken) is (var entryName, var entry))
            {
                var name = entryName.StartsWith(content.Prefix, StringComparison.Ordinal) ? entryName[content.Prefix.Length..] : entryName;
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && wanted.Remove(name))
                {
                    content.Kept[name] = ReadWhole(entry.DataStream ?? Stream.Null, content.Files[name].Length);
                }
            }
        }
        catch (Exception e) when (IsDamaged(e))
        {
            // It was read whole a moment ago; a file that cannot be read again stays unread, and is reported so.
        }
    }

    private static byte[] ReadWhole(Stream stream, long length)
    {
        var bytes = new byte[length];
        stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        return bytes;
    }

    /// <summary>
    /// The one folder every file of an archive is in ("name-1.0/"), or "" when there is none or a file
    /// at the root. Archives made by other tools often wrap a release so; with no manifest at the root,
    /// verify reads that folder as the bundle.
    /// </summary>
    internal static string SingleFolder(IEnumerable<string> names)
    {
        string? folder = null;
        foreach (var name in names.Where(n => !n.EndsWith('/')))
        {
            var slash = name.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || (folder is not null && !name.StartsWith(folder, StringComparison.Ordinal)))
            {
                return "";
            }

            folder ??= name[..(slash + 1)];
        }

        return folder ?? "";
    }
}

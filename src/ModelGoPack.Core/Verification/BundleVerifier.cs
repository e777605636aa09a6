using System.Buffers;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Hashing;
using ModelGoPack.Inspection;

namespace ModelGoPack.Verification;

/// <summary>
/// Reads a received bundle (a folder, .zip, .tar.gz, or the inside of a .nupkg) once: every file hashed and
/// its header read, checked against <c>modelgo-manifest.json</c> when there is one: every listed file present
/// with its size and SHA-256, and no file the manifest does not list. Hashes on all cores where the container
/// allows (a folder or zip; a tar.gz is the stream it is), never from a cache, and never reads more of an
/// entry than the manifest (or, without one, the archive) says it holds. Never writes anything.
/// </summary>
internal static class BundleVerifier
{
    public const string ManifestName = Evaluation.ProjectLoader.ManifestFileName;
    /// <summary>The most verify reads of a manifest: the one limit pack keeps too.</summary>
    public const long MaxManifestBytes = Emit.BundleLimits.MaxManifestBytes;

    /// <summary>How much a tar.gz may expand before its ratio is judged (16 GiB; tests lower it): <see cref="TarGzReader.GzipAllowance"/>.</summary>
    internal static long GzipAllowance
    {
        get => TarGzReader.GzipAllowance;
        set => TarGzReader.GzipAllowance = value;
    }

    /// <summary>Reads and checks the bundle at <paramref name="path"/>; null when it cannot be read at all.</summary>
    public static BundleContent? Read(string path, ProgressCounter? progress, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        try
        {
            if (Directory.Exists(path))
            {
                return ReadDirectory(Path.GetFullPath(path), progress, diagnostics, cancellationToken);
            }

            if (!File.Exists(path))
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
                return ReadZip(path, IsPackage(path), progress, diagnostics, cancellationToken);
            }

            if (magic.StartsWith((ReadOnlySpan<byte>)[0x1f, 0x8b]))
            {
                return ReadTarGz(path, progress, diagnostics, cancellationToken);
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

    private static BundleContent ReadDirectory(string root, ProgressCounter? progress, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        var content = new BundleContent { Source = root, Root = root, Format = Emit.BundleFormat.Directory };
        var manifestPath = Path.Combine(root, ManifestName);
        if (File.Exists(manifestPath))
        {
            content.ManifestFound = true;
            using var stream = File.OpenRead(manifestPath);
            content.Manifest = ManifestReader.Read(stream, diagnostics, root);
        }

        // Every file in the folder; links are reported, never followed (a linked folder is not descended into).
        foreach (var entry in Walk(new DirectoryInfo(root)))
        {
            var relative = ProjectPath.FromFileSystem(root, entry.FullName);
            if (entry.LinkTarget is not null)
            {
                diagnostics.Add(Messages.FolderBundleLink.With(relative, entry.LinkTarget), relative);
                content.Refuse(relative);
            }
            else if (entry is FileInfo file && relative != ManifestName)
            {
                if (!FileType.IsRegular(file.FullName))
                {
                    // A named pipe or device would block the read forever.
                    diagnostics.Add(Messages.FolderBundleSpecialFile.With(relative), relative);
                    content.Refuse(relative);
                    continue;
                }

                if (ProjectPath.UnsafeEntryName(relative) is { } unsafeName)
                {
                    // What could not be extracted on every system is refused in a folder as in an archive.
                    var shown = ProjectPath.Shown(relative);
                    diagnostics.Add(Messages.FolderBundleFileRefused.With(shown, unsafeName), shown);
                    content.Refuse(relative);
                    continue;
                }

                content.Files[relative] = new ProjectFile(relative, file.FullName, file.Length);
            }
        }

        if (!content.Readable)
        {
            return content;
        }

        // With a manifest, what it does not list is reported and not hashed (its header is read, as every
        // file's is: the evaluation judges what the folder holds). Headers are read while the big files hash.
        var listed = content.Manifest?.Files.Select(m => m.Path).ToHashSet(StringComparer.Ordinal);
        var toHash = content.Files.Values.Where(f => listed is null || listed.Contains(f.RelativePath)).ToList();
        var inspection = Task.Run(() => ArtifactInspector.Inspect(content.Files.Values.OrderBy(f => f.RelativePath, StringComparer.Ordinal).ToList(), cancellationToken), cancellationToken);
        foreach (var (file, digest) in DigestEngine.HashAll(toHash, DigestCache.InMemory(), progress, diagnostics, cancellationToken, "verifying"))
        {
            content.Record(file, Sha256Digest.TryParse(digest, out var parsed) ? parsed : throw new InvalidOperationException($"not a SHA-256: {digest}"));
        }

        foreach (var artifact in inspection.GetAwaiter().GetResult())
        {
            content.Artifacts.Set(artifact);
        }

        Compare(content, diagnostics);
        return content;
    }

    private static IEnumerable<FileSystemInfo> Walk(DirectoryInfo folder)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false };
        var pending = new Stack<DirectoryInfo>([folder]);
        while (pending.TryPop(out var next))
        {
            foreach (var entry in next.EnumerateFileSystemInfos("*", options))
            {
                yield return entry;
                if (entry is DirectoryInfo child && entry.LinkTarget is null)
                {
                    pending.Push(child);
                }
            }
        }
    }

    private static BundleContent? ReadZip(string path, bool package, ProgressCounter? progress, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        var content = new BundleContent { Source = path, Format = Emit.BundleFormat.Zip };
        ZipDirectory zip;
        try
        {
            // Read once, local headers and central directory alike; any disagreement between them ends here.
            zip = ZipDirectory.Read(path);
        }
        catch (ZipStructureException e) when (e.NameProblem)
        {
            diagnostics.Add(Messages.ZipStructureRefused.With(path, e.Message), path);
            return null;
        }

        using (zip)
        {
            // Each file with its entry and, once the manifest is read, where the manifest lists it (-1: nowhere, or no manifest).
            var work = new List<(ProjectFile File, int Index, int Listed)>(zip.Entries.Count);
            content.Files.EnsureCapacity(zip.Entries.Count);
            var folders = new List<string>();
            var nuspecs = 0;
            // Names as readers take them: a package's unescaped as NuGet reads them; a zip's without the leading ./ that
            // `bsdtar -cf x.zip .` writes (unzip, Python and libarchive write ./x as x), as a tar.gz's.
            string ZipName(string raw) => package ? PackageMetadata.PartName(raw) : raw.StartsWith("./", StringComparison.Ordinal) ? raw[2..] : raw;
            content.Prefix = package || zip.Entries.Any(e => ZipName(e.Name) == ManifestName) ? "" : SingleFolder(zip.Entries.Select(e => ZipName(e.Name)).Where(n => n.Length > 0));
            for (var index = 0; index < zip.Entries.Count; index++)
            {
                var entry = zip.Entries[index];

                // NuGet reads a package's part names unescaped (%2E is '.', %20 a space), as NuGet pack escapes them: so
                // does verify, or a package could hold, for NuGet, a file verify never saw (model/generate%2Epy).
                var name = ZipName(entry.Name);
                if (name.Length == 0 && entry.Name == "./")
                {
                    // The archive's own folder: read to its end like any folder entry, and empty.
                    if (!Drain(zip, entry, entry.Name, entry.Size == 0 ? 0 : -1, path, diagnostics))
                    {
                        return null;
                    }

                    continue;
                }

                // The name rule applies to the entry's whole name, one folder wrapping the bundle included (an archive of
                // ../x entries is refused, whatever its one folder); in a package, to the name under its model/ folder, which
                // is ModelGoPack's own layout.
                var judged = package && name.StartsWith("model/", StringComparison.Ordinal) && name.Length > "model/".Length ? name["model/".Length..] : name;
                var bundlePath = package ? PackageEntryToBundlePath(name) : name[Math.Min(content.Prefix.Length, name.Length)..];
                if (ProjectPath.UnsafeEntryName(judged) is { } unsafeName)
                {
                    var shown = ProjectPath.Shown(name);
                    diagnostics.Add(Messages.ArchiveEntryRefused.With(shown, unsafeName), shown);
                    content.Refuse(bundlePath ?? name);
                    continue;
                }

                if (name.EndsWith('/'))
                {
                    // A folder entry is read like any other (its deflated data must end where its size says, or a
                    // streaming reader would read on into a hidden entry), and must be empty.
                    if (!Drain(zip, entry, name, entry.Size == 0 ? 0 : -1, path, diagnostics))
                    {
                        return null;
                    }

                    folders.Add(name);
                    continue;
                }

                if (entry.IsLink)
                {
                    diagnostics.Add(Messages.ZipEntryLink.With(ProjectPath.Shown(name)), ProjectPath.Shown(name));
                    content.Refuse(bundlePath ?? name);
                    continue;
                }

                if (bundlePath is null)
                {
                    // NuGet's own parts; but a package has one nuspec, and another is as unlisted as any file.
                    if (PackageMetadata.IsNuspec(name) && nuspecs++ > 0)
                    {
                        diagnostics.Add(Messages.PackageSecondNuspec.With(ProjectPath.Printable(name)), name);
                    }
                    else if (PackageMetadata.Capture(zip, entry, name, content, diagnostics) is { } captured)
                    {
                        if (!captured)
                        {
                            return null;
                        }
                    }
                    else if (!Drain(zip, entry, name, PackageMetadata.MaxNuspecBytes, path, diagnostics))
                    {
                        // NuGet's other parts (_rels/.rels, [Content_Types].xml, the core properties), small XML files.
                        return null;
                    }

                    continue;
                }

                if (content.Files.ContainsKey(bundlePath) || (bundlePath == ManifestName && content.ManifestFound))
                {
                    diagnostics.Add(Messages.ZipEntryTwice.With(ProjectPath.Shown(name), package ? "package" : "zip"), ProjectPath.Shown(name));
                    continue;
                }

                if (bundlePath == ManifestName)
                {
                    content.ManifestFound = true;
                    content.ManifestEntry = entry.Name;
                    using var stream = zip.Open(entry);
                    content.Manifest = ManifestReader.Read(stream, diagnostics, path, content.Files, zip.Entries.Count - 1);
                }
                else
                {
                    var file = new ProjectFile(bundlePath, entry.Name, entry.Size);
                    content.Files[bundlePath] = file;
                    work.Add((file, index, -1));
                }
            }

            // A folder entry of a file's name (generate.py/ beside generate.py, or Generate.py/): unzip and Python make the
            // folder, and the file is lost or fails to extract.
            if (folders.Count > 0)
            {
                var fileKeys = zip.Entries.Where(e => !e.Name.EndsWith('/')).Select(e => ProjectPath.FoldKey(ZipName(e.Name))).ToHashSet(StringComparer.Ordinal);
                foreach (var folder in folders.Where(f => fileKeys.Contains(ProjectPath.FoldKey(f.TrimEnd('/')))))
                {
                    diagnostics.Add(Messages.ZipFolderEntryNamesFile.With(ProjectPath.Shown(folder), package ? "package" : "zip"), ProjectPath.Shown(folder));
                }
            }

            if (package && nuspecs == 0)
            {
                diagnostics.Add(Messages.PackageWithoutNuspec.With(path), path);
                return null;
            }

            if (!content.Readable)
            {
                return content;
            }

            // What to read: every file, or those the manifest lists, each no further than its listed size. Where the
            // manifest lists a file is found in place, by a search of its paths in order (no lookup of a million paths).
            if (content.Manifest is { } listing)
            {
                var listedAt = ListingOrder.Of(listing.Files);
                var kept = 0;
                for (var i = 0; i < work.Count; i++)
                {
                    var (file, index, _) = work[i];
                    if (listedAt.Find(file.RelativePath) is var listed and >= 0)
                    {
                        work[kept++] = (file, index, listed);
                    }
                }

                work.RemoveRange(kept, work.Count - kept);
            }

            work.Sort((x, y) => y.File.Length.CompareTo(x.File.Length));
            content.Artifacts.EnsureCapacity(work.Count);
            var manifestFiles = content.Manifest?.Files;
            progress?.Start("verifying", work.Sum(e => e.Listed < 0 ? e.File.Length : manifestFiles![e.Listed].Size), work.Count);
            var damaged = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);

            // The directory parsed once and shared: entries are read, hashed and their headers kept in parallel.
            Parallel.ForEach(
                System.Collections.Concurrent.Partitioner.Create(work, System.Collections.Concurrent.EnumerablePartitionerOptions.NoBuffering),
                new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
                item =>
                {
                    var file = item.File;
                    try
                    {
                        using var stream = zip.Open(zip.Entries[item.Index]);
                        var listed = item.Listed < 0 ? (ManifestEntry?)null : manifestFiles![item.Listed];
                        ReadEntry(content, file, stream, listed?.Size ?? file.Length, progress, cancellationToken, listed?.Sha256);
                    }
                    catch (Exception e) when (IsDamaged(e))
                    {
                        // Damaged compressed data: the entry is not what was packed.
                        damaged[file.RelativePath] = e.Message;
                    }

                    progress?.FileDone();
                });

            foreach (var (entry, message) in damaged.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                diagnostics.Add(Messages.ZipEntryDamaged.With(entry, package ? "package" : "zip", message), entry);
                content.Files.Remove(entry);
                content.Damaged.Add(entry);
            }
        }

        Compare(content, diagnostics, reported: content.Damaged, allowMissing: package ? FileKinds.IsWeights : null);
        return content;
    }

    /// <summary>
    /// Reads an entry no one else reads (a folder entry, a NuGet part) to its end, as every entry is read: its data must
    /// be what its records say, to the byte. False, with MGP9007, when it is not, or when it is over <paramref name="limit"/>
    /// bytes (-1: any data at all).
    /// </summary>
    private static bool Drain(ZipDirectory zip, ZipDirectory.Entry entry, string name, long limit, string path, DiagnosticBag diagnostics)
    {
        if (entry.Size > Math.Max(limit, 0))
        {
            diagnostics.Add(limit < 0 ? Messages.ZipFolderEntryWithData.With(path, ProjectPath.Shown(name)) : Messages.ZipPartTooLarge.With(path, ProjectPath.Shown(name), entry.Size, limit), path);
            return false;
        }

        try
        {
            using var stream = zip.Open(entry);
            stream.CopyTo(Stream.Null);
            return true;
        }
        catch (Exception e) when (IsDamaged(e))
        {
            diagnostics.Add(Messages.ZipPartUnreadable.With(path, ProjectPath.Shown(name), e.Message), path);
            return false;
        }
    }

    private static BundleContent ReadTarGz(string path, ProgressCounter? progress, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        // A stream: every entry hashed as it comes, the manifest (the last entry ModelGoPack writes) read when it comes.
        var content = new BundleContent { Source = path, Format = Emit.BundleFormat.TarGz };
        progress?.Start("verifying", new FileInfo(path).Length, 0);
        using (var tar = new TarGzReader(path))
        {
            while (tar.Next(cancellationToken) is (var name, var entry))
            {
                if (ProjectPath.UnsafeEntryName(name) is { } unsafeName)
                {
                    var shown = ProjectPath.Shown(entry.Name);
                    diagnostics.Add(Messages.ArchiveEntryRefused.With(shown, unsafeName), shown);
                    content.Refuse(name);
                    continue;
                }

                if (entry.EntryType is TarEntryType.Directory)
                {
                    continue;
                }

                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                {
                    diagnostics.Add(
                        entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink
                            ? Messages.TarEntryLink.With(ProjectPath.Shown(name), entry.EntryType, ProjectPath.Shown(entry.LinkName))
                            : Messages.TarEntryNotAFile.With(ProjectPath.Shown(name), entry.EntryType),
                        ProjectPath.Shown(name));
                    content.Refuse(name);
                    continue;
                }

                if (name == ManifestName)
                {
                    if (content.ManifestFound)
                    {
                        diagnostics.Add(Messages.TarEntryTwice.With(name), name);
                        content.ManifestRepeated = true;
                        continue;
                    }

                    // An empty entry has no data stream: an empty manifest, which is no manifest.
                    content.ManifestFound = true;
                    content.Manifest = ManifestReader.Read(entry.DataStream ?? Stream.Null, diagnostics, path, content.Files);
                    continue;
                }

                if (content.Files.ContainsKey(name))
                {
                    diagnostics.Add(Messages.TarEntryTwice.With(name), name);
                    continue;
                }

                if (content.Files.Count == Emit.BundleLimits.MaxFiles)
                {
                    throw new InvalidDataException($"it holds more than {Emit.BundleLimits.MaxFiles:N0} files, the most a bundle holds");
                }

                var projectFile = new ProjectFile(name, name, entry.Length);
                content.Files[name] = projectFile;
                ReadEntry(content, projectFile, entry.DataStream ?? Stream.Null, entry.Length, progress, cancellationToken);
                progress?.FileDone();
            }

            tar.ReadToEnd();
        }

        if (!content.ManifestFound && SingleFolder(content.Files.Keys) is { Length: > 0 } prefix)
        {
            Reroot(content, prefix, diagnostics);
        }

        if (content.Readable)
        {
            Compare(content, diagnostics);
        }

        return content;
    }

    /// <summary>
    /// Reads again, whole, the small files of an archive the evaluation needs and did not keep while hashing
    /// (the root's texts, the notice files a declaration names), at most 64 MiB of them: a zip by entry, a
    /// tar.gz in one more pass, only when something is missing. A folder's files are read from disk anyway.
    /// </summary>
    public static void Fetch(BundleContent content, IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        long budget = 64L * 1024 * 1024;
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths.Distinct(StringComparer.Ordinal))
        {
            if (content.Files.TryGetValue(path, out var file) && file.Length <= EntryCapture.TextLimit && !content.Kept.ContainsKey(path) && (budget -= file.Length) >= 0)
            {
                wanted.Add(path);
            }
        }

        if (wanted.Count == 0 || content.Format == Emit.BundleFormat.Directory)
        {
            return;
        }

        try
        {
            if (content.Format == Emit.BundleFormat.Zip)
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
    private static string SingleFolder(IEnumerable<string> names)
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

    // A tar.gz read as a stream learns only at its end that one folder holds everything: its paths are then moved up.
    private static void Reroot(BundleContent content, string prefix, DiagnosticBag diagnostics)
    {
        content.Prefix = prefix;
        var files = content.Files.Values.ToList();
        var digests = content.Digests.ToList();
        var kept = content.Kept.ToList();
        var unread = content.HeadersOutOfReach.ToList();
        content.Files.Clear();
        content.Digests.Clear();
        content.Kept.Clear();
        content.HeadersOutOfReach.Clear();
        foreach (var file in files)
        {
            content.Files[file.RelativePath[prefix.Length..]] = file with { RelativePath = file.RelativePath[prefix.Length..] };
        }

        foreach (var (path, digest) in digests)
        {
            content.Digests[path[prefix.Length..]] = digest;
        }

        content.Artifacts.Rename(path => path[prefix.Length..]);

        foreach (var (path, bytes) in kept)
        {
            content.Kept[path[prefix.Length..]] = bytes;
        }

        foreach (var path in unread)
        {
            content.HeadersOutOfReach.Add(path[prefix.Length..]);
        }

        if (content.Files.Remove(ManifestName))
        {
            content.ManifestFound = true;
            content.Digests.Remove(ManifestName);
            content.Artifacts.Remove(ManifestName);
            if (content.Kept.TryRemove(ManifestName, out var manifest))
            {
                content.Manifest = ManifestReader.Read(new MemoryStream(manifest), diagnostics, content.Source);
            }
            else
            {
                diagnostics.Add(Messages.FolderManifestTooLarge.With(MaxManifestBytes / (1024 * 1024)), content.Source);
            }

        }
    }

    /// <summary>
    /// Hashes an entry (at most <paramref name="limit"/> + 1 bytes: an entry longer than its manifest says is
    /// altered, however long it claims to be), keeps what its header needs, and reads that header.
    /// </summary>
    private static void ReadEntry(BundleContent content, ProjectFile file, Stream stream, long limit, ProgressCounter? progress, CancellationToken cancellationToken, Sha256Digest? listed = null)
    {
        // Sized by what may be read (the manifest's size), not by what the archive's header claims.
        var claimed = content.ClaimWhole(file.RelativePath);
        var capture = new EntryCapture(file.RelativePath, limit, claimed);
        if (HashCapped(stream, limit, capture.Add, progress, cancellationToken) is not { } digest)
        {
            content.LongerThanListed[file.RelativePath] = true;
            return;
        }

        content.Record(file.RelativePath, digest, listed);

        // The entry as read (its real length), served from what was kept.
        var view = file with { Length = capture.Length, Opener = capture.Open };
        var artifact = ArtifactInspector.Inspect(view);
        content.Artifacts.Set(artifact);
        if (artifact.OutOfReach is not null)
        {
            content.HeadersOutOfReach.Add(file.RelativePath);
        }

        if (capture.Whole is { } whole)
        {
            content.Keep(file.RelativePath, whole, claimed);
        }
    }

    [ThreadStatic]
    private static IncrementalHash? reusableHash;

    /// <summary>A block of an entry as it is read.</summary>
    internal delegate void BlockSink(ReadOnlySpan<byte> block);

    /// <summary>
    /// The SHA-256 of <paramref name="stream"/>, reading at most <paramref name="limit"/> + 1 bytes and handing
    /// each block within the limit to <paramref name="sink"/>; null when the stream holds more than the limit
    /// (an entry longer than listed is altered, however long it claims to be).
    /// </summary>
    internal static Sha256Digest? HashCapped(Stream stream, long limit, BlockSink sink, ProgressCounter? progress, CancellationToken cancellationToken)
    {
        // One hash per thread, used again: a million small entries make no million hash contexts.
        var hash = reusableHash ?? IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        reusableHash = null;
        var buffer = ArrayPool<byte>.Shared.Rent(SourceStream.BlockSize);
        var done = false;
        try
        {
            long total = 0;
            int read;
            while (total <= limit && (read = stream.Read(buffer, 0, (int)Math.Min(SourceStream.BlockSize, limit + 1 - total))) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                total += read;
                if (total > limit)
                {
                    return null;
                }

                hash.AppendData(buffer, 0, read);
                sink(buffer.AsSpan(0, read));
                progress?.AddBytes(read);
                progress?.AddHashed(read);
            }

            Span<byte> digest = stackalloc byte[32];
            hash.GetHashAndReset(digest);
            done = true;
            return Sha256Digest.From(digest);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (done)
            {
                reusableHash = hash;
            }
            else
            {
                hash.Dispose();
            }
        }
    }

    private static void Compare(BundleContent content, DiagnosticBag diagnostics, IEnumerable<string>? reported = null, Func<string, bool>? allowMissing = null)
    {
        // Paths that are one file where case or Unicode normalization does not count (LICENSE and license, café in
        // NFC and NFD), or a file and, for another entry, a folder: extracted, one would overwrite the other.
        var names = content.ManifestFound ? content.Files.Keys.Append(ManifestName) : content.Files.Keys;
        foreach (var (colliding, why) in ProjectPath.Collisions(names))
        {
            var shown = colliding.Select(ProjectPath.Printable).ToList();
            diagnostics.Add(Messages.BundleEntriesCollide.With(string.Join(" and ", shown.Select(n => $"'{n}'")), why), shown[0]);
        }

        if (content.Manifest is not { } manifest)
        {
            return;
        }

        var skip = reported?.ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var expected in manifest.Files.Where(m => !skip.Contains(m.Path)))
        {
            if (!content.Files.TryGetValue(expected.Path, out var file))
            {
                if (allowMissing?.Invoke(expected.Path) != true && !content.Refused.Contains(expected.Path))
                {
                    diagnostics.Add(Messages.ListedFileMissing.With(expected.Path, expected.Size), expected.Path);
                }
            }
            else if (file.Length != expected.Size)
            {
                diagnostics.Add(Messages.ListedFileSizeDiffers.With(expected.Path, file.Length, expected.Size), expected.Path);
            }
            else if (content.LongerThanListed.ContainsKey(expected.Path))
            {
                diagnostics.Add(Messages.ListedFileLonger.With(expected.Path, expected.Size), expected.Path);
            }
            else if (content.Digests.TryGetValue(expected.Path, out var digest) && digest != expected.Sha256)
            {
                diagnostics.Add(Messages.ListedFileDigestDiffers.With(expected.Path, digest, expected.Sha256), expected.Path);
            }
        }

        // Every file is listed when as many listed files are present as there are files (the manifest lists no path
        // twice): only otherwise is the set of listed paths made, to find those that are not.
        if (manifest.Files.Count(m => content.Files.ContainsKey(m.Path)) == content.Files.Count)
        {
            return;
        }

        var listed = manifest.Files.Select(m => m.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var extra in content.Files.Keys.Where(p => !listed.Contains(p)).Order(StringComparer.Ordinal))
        {
            diagnostics.Add(Messages.FileNotListed.With(extra), extra);

        }
    }

}

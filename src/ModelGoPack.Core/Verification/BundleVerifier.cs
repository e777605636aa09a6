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

    /// <summary>How much a tar.gz may expand before its ratio is judged (16 GiB; tests lower it).</summary>
    internal static long GzipAllowance { get; set; } = 16L << 30;

    /// <summary>What a .nupkg made by ModelGoPack holds besides the bundle's files: NuGet's own parts.</summary>
    private static readonly string[] PackagePartPrefixes = ["_rels/", "package/"];

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
                diagnostics.Add(DiagnosticCatalog.BundleUnreadable, $"'{path}' is neither a folder nor a file. {DiagnosticCatalog.BundleUnreadable.Help}", path);
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

            diagnostics.Add(DiagnosticCatalog.BundleUnreadable, $"'{path}' is not a zip, a .nupkg or a gzip file. {DiagnosticCatalog.BundleUnreadable.Help}", path);
            return null;
        }
        catch (Exception e) when (IsDamaged(e) || e is UnauthorizedAccessException)
        {
            diagnostics.Add(DiagnosticCatalog.BundleUnreadable, $"Cannot read '{path}': {e.Message} {DiagnosticCatalog.BundleUnreadable.Help}", path);
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
        : PackagePartPrefixes.Any(p => entry.StartsWith(p, StringComparison.Ordinal)) || entry.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase)
            || entry is "[Content_Types].xml" or ".signature.p7s" ? null
        : entry;

    private static BundleContent ReadDirectory(string root, ProgressCounter? progress, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        var content = new BundleContent { Source = root, Root = root, Format = Emit.BundleFormat.Directory };
        var manifestPath = Path.Combine(root, ManifestName);
        if (File.Exists(manifestPath))
        {
            content.ManifestFound = true;
            using var stream = File.OpenRead(manifestPath);
            content.Manifest = ReadManifest(stream, diagnostics, root);
        }

        // Every file in the folder; links are reported, never followed (a linked folder is not descended into).
        foreach (var entry in Walk(new DirectoryInfo(root)))
        {
            var relative = ProjectPath.FromFileSystem(root, entry.FullName);
            if (entry.LinkTarget is not null)
            {
                diagnostics.Add(DiagnosticCatalog.BundleFileUnlisted, $"'{relative}' is a symbolic link to '{entry.LinkTarget}'; a bundle holds only regular files. {DiagnosticCatalog.BundleFileUnlisted.Help}", relative);
                content.Refused.Add(relative);
            }
            else if (entry is FileInfo file && relative != ManifestName)
            {
                if (!FileType.IsRegular(file.FullName))
                {
                    // A named pipe or device would block the read forever.
                    diagnostics.Add(DiagnosticCatalog.BundleFileUnlisted, $"'{relative}' is not a regular file (a named pipe, socket or device); a bundle holds only regular files. {DiagnosticCatalog.BundleFileUnlisted.Help}", relative);
                    content.Refused.Add(relative);
                    continue;
                }

                if (ProjectPath.UnsafeEntryName(relative) is { } unsafeName)
                {
                    // What could not be extracted on every system is refused in a folder as in an archive.
                    var shown = ProjectPath.Printable(relative);
                    diagnostics.Add(DiagnosticCatalog.ArchiveEntryUnsafe, $"The file '{shown}' is refused: {unsafeName}. {DiagnosticCatalog.ArchiveEntryUnsafe.Help}", shown);
                    content.Refused.Add(relative);
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
            content.Digests[file] = digest;
        }

        foreach (var artifact in inspection.GetAwaiter().GetResult())
        {
            content.Artifacts[artifact.Path] = artifact;
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
            diagnostics.Add(DiagnosticCatalog.ArchiveEntryUnsafe, $"'{path}' is refused: {e.Message}. {DiagnosticCatalog.ArchiveEntryUnsafe.Help}", path);
            return null;
        }

        using (zip)
        {
            var entries = new Dictionary<string, ZipDirectory.Entry>(StringComparer.Ordinal); // bundle path -> entry
            content.Prefix = package || zip.Entries.Any(e => e.Name == ManifestName) ? "" : SingleFolder(zip.Entries.Select(e => e.Name));
            foreach (var entry in zip.Entries)
            {
                // A package's own layout (model/...) is ModelGoPack's, not the publisher's: the rule applies to the bundle path.
                var bundlePath = package ? PackageEntryToBundlePath(entry.Name) : entry.Name[Math.Min(content.Prefix.Length, entry.Name.Length)..];
                if (ProjectPath.UnsafeEntryName(bundlePath ?? entry.Name) is { } unsafeName)
                {
                    var shown = ProjectPath.Printable(entry.Name);
                    diagnostics.Add(DiagnosticCatalog.ArchiveEntryUnsafe, $"The entry '{shown}' is refused: {unsafeName}. {DiagnosticCatalog.ArchiveEntryUnsafe.Help}", shown);
                    content.Refused.Add(bundlePath ?? entry.Name);
                    continue;
                }

                if (entry.Name.EndsWith('/'))
                {
                    continue;
                }

                if (entry.IsLink)
                {
                    diagnostics.Add(DiagnosticCatalog.BundleFileUnlisted, $"'{ProjectPath.Printable(entry.Name)}' is a symbolic link; a bundle holds only regular files. {DiagnosticCatalog.BundleFileUnlisted.Help}", entry.Name);
                    content.Refused.Add(bundlePath ?? entry.Name);
                    continue;
                }

                if (bundlePath is null)
                {
                    continue;
                }

                if (entries.ContainsKey(bundlePath))
                {
                    diagnostics.Add(DiagnosticCatalog.BundleFileUnlisted, $"'{ProjectPath.Printable(entry.Name)}' is in the {(package ? "package" : "zip")} twice. {DiagnosticCatalog.BundleFileUnlisted.Help}", entry.Name);
                    continue;
                }

                entries[bundlePath] = entry;
                if (bundlePath == ManifestName)
                {
                    content.ManifestFound = true;
                    using var stream = zip.Open(entry);
                    content.Manifest = ReadManifest(stream, diagnostics, path);
                }
                else
                {
                    content.Files[bundlePath] = new ProjectFile(bundlePath, entry.Name, entry.Size);
                }
            }

            if (!content.Readable)
            {
                return content;
            }

            var sizes = content.Manifest?.Files.ToDictionary(m => m.Path, m => m.Size, StringComparer.Ordinal);
            var work = content.Files.Values.Where(f => sizes is null || sizes.ContainsKey(f.RelativePath)).OrderByDescending(f => f.Length).ToList();
            progress?.Start("verifying", work.Sum(f => sizes?.GetValueOrDefault(f.RelativePath) ?? f.Length), work.Count);
            var damaged = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);

            // The directory parsed once and shared: entries are read, hashed and their headers kept in parallel.
            Parallel.ForEach(
                System.Collections.Concurrent.Partitioner.Create(work, System.Collections.Concurrent.EnumerablePartitionerOptions.NoBuffering),
                new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
                file =>
                {
                    try
                    {
                        using var stream = zip.Open(entries[file.RelativePath]);
                        ReadEntry(content, file, stream, sizes?.GetValueOrDefault(file.RelativePath) ?? file.Length, progress, cancellationToken);
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
                diagnostics.Add(DiagnosticCatalog.BundleFileAltered, $"'{entry}' cannot be read from the {(package ? "package" : "zip")}: {message} {DiagnosticCatalog.BundleFileAltered.Help}", entry);
                content.Files.Remove(entry);
                content.Damaged.Add(entry);
            }
        }

        Compare(content, diagnostics, reported: content.Damaged, allowMissing: package ? FileKinds.IsWeights : null);
        return content;
    }

    private static BundleContent ReadTarGz(string path, ProgressCounter? progress, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        // A stream: every entry hashed as it comes, the manifest (the last entry ModelGoPack writes) read when it comes.
        var content = new BundleContent { Source = path, Format = Emit.BundleFormat.TarGz };
        progress?.Start("verifying", new FileInfo(path).Length, 0);
        using (var file = File.OpenRead(path))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        using (var guarded = new BombGuard(gzip, file))
        using (var reader = new TarReader(guarded))
        {
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // Archives made with `tar -C dir .` name their entries ./x.
                var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                if (name.Length == 0 || (entry.EntryType is TarEntryType.Directory && name is "." or "./"))
                {
                    continue;
                }

                // The global header `git archive` writes (pax_global_header) is no file, whatever its name.
                if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
                {
                    continue;
                }

                if (ProjectPath.UnsafeEntryName(name) is { } unsafeName)
                {
                    var shown = ProjectPath.Printable(entry.Name);
                    diagnostics.Add(DiagnosticCatalog.ArchiveEntryUnsafe, $"The entry '{shown}' is refused: {unsafeName}. {DiagnosticCatalog.ArchiveEntryUnsafe.Help}", shown);
                    content.Refused.Add(name);
                    continue;
                }

                if (entry.EntryType is TarEntryType.Directory)
                {
                    continue;
                }

                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                {
                    var link = entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink ? $" to '{ProjectPath.Printable(entry.LinkName)}'" : "";
                    diagnostics.Add(DiagnosticCatalog.BundleFileUnlisted, $"'{name}' is a {entry.EntryType} entry{link}; a bundle holds only regular files. {DiagnosticCatalog.BundleFileUnlisted.Help}", name);
                    content.Refused.Add(name);
                    continue;
                }

                if (name == ManifestName)
                {
                    if (content.ManifestFound)
                    {
                        diagnostics.Add(DiagnosticCatalog.BundleFileUnlisted, $"'{name}' is in the archive twice. {DiagnosticCatalog.BundleFileUnlisted.Help}", name);
                        content.ManifestRepeated = true;
                        continue;
                    }

                    // An empty entry has no data stream: an empty manifest, which is no manifest.
                    content.ManifestFound = true;
                    content.Manifest = ReadManifest(entry.DataStream ?? Stream.Null, diagnostics, path);
                    continue;
                }

                if (content.Files.ContainsKey(name))
                {
                    diagnostics.Add(DiagnosticCatalog.BundleFileUnlisted, $"'{name}' is in the archive twice. {DiagnosticCatalog.BundleFileUnlisted.Help}", name);
                    continue;
                }

                var projectFile = new ProjectFile(name, name, entry.Length);
                content.Files[name] = projectFile;
                ReadEntry(content, projectFile, entry.DataStream ?? Stream.Null, entry.Length, progress, cancellationToken);
                progress?.FileDone();
            }
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
                var byName = zip.Entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
                foreach (var path in wanted)
                {
                    using var stream = zip.Open(byName[content.Files[path].FullPath]);
                    content.Kept[path] = ReadWhole(stream, content.Files[path].Length);
                }

                return;
            }

            using var file = File.OpenRead(content.Source);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var guarded = new BombGuard(gzip, file);
            using var reader = new TarReader(guarded);
            while (wanted.Count > 0 && reader.GetNextEntry(copyData: false) is { } entry)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                name = name.StartsWith(content.Prefix, StringComparison.Ordinal) ? name[content.Prefix.Length..] : name;
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
        var artifacts = content.Artifacts.Values.ToList();
        var kept = content.Kept.ToList();
        var unread = content.HeadersOutOfReach.ToList();
        content.Files.Clear();
        content.Digests.Clear();
        content.Artifacts.Clear();
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

        foreach (var artifact in artifacts)
        {
            content.Artifacts[artifact.Path[prefix.Length..]] = artifact with { Path = artifact.Path[prefix.Length..] };
        }

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
            content.Digests.TryRemove(ManifestName, out _);
            content.Artifacts.TryRemove(ManifestName, out _);
            if (content.Kept.TryRemove(ManifestName, out var manifest))
            {
                content.Manifest = ReadManifest(new MemoryStream(manifest), diagnostics, content.Source);
            }
            else
            {
                diagnostics.Add(DiagnosticCatalog.BundleManifestInvalid, $"{ManifestName} is larger than {MaxManifestBytes / (1024 * 1024)} MiB. {DiagnosticCatalog.BundleManifestInvalid.Help}", content.Source);
            }

        }
    }

    /// <summary>
    /// Hashes an entry (at most <paramref name="limit"/> + 1 bytes: an entry longer than its manifest says is
    /// altered, however long it claims to be), keeps what its header needs, and reads that header.
    /// </summary>
    private static void ReadEntry(BundleContent content, ProjectFile file, Stream stream, long limit, ProgressCounter? progress, CancellationToken cancellationToken)
    {
        // Sized by what may be read (the manifest's size), not by what the archive's header claims.
        var capture = new EntryCapture(file.RelativePath, limit);
        if (HashCapped(stream, limit, capture.Add, progress, cancellationToken) is not { } digest)
        {
            content.Digests[file.RelativePath] = "(longer than listed)";
            return;
        }

        content.Digests[file.RelativePath] = digest;

        // The entry as read (its real length), served from what was kept.
        var view = file with { Length = capture.Length, Opener = capture.Open };
        var artifact = ArtifactInspector.Inspect(view);
        content.Artifacts[file.RelativePath] = artifact;
        if (artifact.OutOfReach is not null)
        {
            content.HeadersOutOfReach.Add(file.RelativePath);
        }

        if (capture.Whole is { } whole)
        {
            content.Keep(file.RelativePath, whole);
        }
    }

    /// <summary>A block of an entry as it is read.</summary>
    internal delegate void BlockSink(ReadOnlySpan<byte> block);

    /// <summary>
    /// The SHA-256 of <paramref name="stream"/>, reading at most <paramref name="limit"/> + 1 bytes and handing
    /// each block within the limit to <paramref name="sink"/>; null when the stream holds more than the limit
    /// (an entry longer than listed is altered, however long it claims to be).
    /// </summary>
    internal static string? HashCapped(Stream stream, long limit, BlockSink sink, ProgressCounter? progress, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(SourceStream.BlockSize);
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

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
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
            diagnostics.Add(DiagnosticCatalog.ArchiveEntryUnsafe, $"The entries {string.Join(" and ", shown.Select(n => $"'{n}'"))} are refused: they {why}, so that one would overwrite the other where case or normalization does not count. {DiagnosticCatalog.ArchiveEntryUnsafe.Help}", shown[0]);
        }

        if (content.Manifest is not { } manifest)
        {
            return;
        }

        var listed = manifest.Files.Select(m => m.Path).ToHashSet(StringComparer.Ordinal);
        var skip = reported?.ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var expected in manifest.Files.Where(m => !skip.Contains(m.Path)))
        {
            if (!content.Files.TryGetValue(expected.Path, out var file))
            {
                if (allowMissing?.Invoke(expected.Path) != true && !content.Refused.Contains(expected.Path))
                {
                    diagnostics.Add(DiagnosticCatalog.BundleFileMissing, $"'{expected.Path}' is listed in {ManifestName} ({expected.Size} bytes) but is not in the bundle. {DiagnosticCatalog.BundleFileMissing.Help}", expected.Path);
                }
            }
            else if (file.Length != expected.Size)
            {
                diagnostics.Add(DiagnosticCatalog.BundleFileAltered, $"'{expected.Path}' is {file.Length} bytes; {ManifestName} lists {expected.Size}. {DiagnosticCatalog.BundleFileAltered.Help}", expected.Path);
            }
            else if (content.Digests.TryGetValue(expected.Path, out var digest) && digest != expected.Sha256)
            {
                diagnostics.Add(DiagnosticCatalog.BundleFileAltered, $"'{expected.Path}' has SHA-256 {digest}; {ManifestName} lists {expected.Sha256}. {DiagnosticCatalog.BundleFileAltered.Help}", expected.Path);
            }
        }

        foreach (var extra in content.Files.Keys.Where(p => !listed.Contains(p)).Order(StringComparer.Ordinal))
        {
            diagnostics.Add(DiagnosticCatalog.BundleFileUnlisted, $"'{extra}' is in the bundle but not in {ManifestName}. {DiagnosticCatalog.BundleFileUnlisted.Help}", extra);
        }
    }

    internal static BundleManifest? ReadManifest(Stream stream, DiagnosticBag diagnostics, string where)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > MaxManifestBytes)
            {
                diagnostics.Add(DiagnosticCatalog.BundleManifestInvalid, $"{ManifestName} is larger than {MaxManifestBytes / (1024 * 1024)} MiB. {DiagnosticCatalog.BundleManifestInvalid.Help}", where);
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.ToArray();
        string? problem = null;
        var entries = new List<ManifestEntry>();
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
            {
                problem = "it has no \"files\" list";
            }
            else
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var file in files.EnumerateArray())
                {
                    if (file.ValueKind != JsonValueKind.Object
                        || !file.TryGetProperty("path", out var pathValue) || pathValue.ValueKind != JsonValueKind.String
                        || !file.TryGetProperty("size", out var sizeValue) || !sizeValue.TryGetInt64(out var size) || size < 0
                        || !file.TryGetProperty("sha256", out var shaValue) || shaValue.ValueKind != JsonValueKind.String
                        || shaValue.GetString() is not { Length: 64 } sha || !sha.All(char.IsAsciiHexDigitLower))
                    {
                        problem = "a \"files\" entry lacks a \"path\", a \"size\" or a lower-case hex \"sha256\"";
                        break;
                    }

                    var entryPath = pathValue.GetString()!;
                    if (ProjectPath.UnsafeEntryName(entryPath) is { } unsafeName)
                    {
                        problem = $"it lists the path '{ProjectPath.Printable(entryPath)}': {unsafeName}";
                        break;
                    }

                    if (entryPath == ManifestName)
                    {
                        problem = "it lists itself";
                        break;
                    }

                    if (!seen.Add(entryPath))
                    {
                        problem = $"it lists '{ProjectPath.Printable(entryPath)}' twice";
                        break;
                    }

                    entries.Add(new ManifestEntry(entryPath, size, sha));
                }
            }
        }
        catch (JsonException e)
        {
            problem = $"it is not valid JSON ({e.Message.Split(" LineNumber:")[0]})";
        }

        if (problem is not null)
        {
            diagnostics.Add(DiagnosticCatalog.BundleManifestInvalid, $"{ManifestName} cannot be used: {problem}. {DiagnosticCatalog.BundleManifestInvalid.Help}", where);
            return null;
        }

        var declaration = Declaration(bytes, out var invalid);
        if (invalid is not null)
        {
            diagnostics.Add(DiagnosticCatalog.BundleManifestInvalid, $"{ManifestName} cannot be used: what it declares is not valid ({invalid}). {DiagnosticCatalog.BundleManifestInvalid.Help}", where);
            return null;
        }

        return new BundleManifest(entries, declaration, bytes);
    }

    /// <summary>
    /// What the manifest declares (name, version, license, copyright, upstream, modifications, waivers), read
    /// by the config reader itself; its findings point at the manifest. A manifest that declares no lineage
    /// (no "upstream" or "modifications", as from another tool) gives null: the bundle is then evaluated
    /// without a declaration. One that declares a lineage the config reader rejects is <paramref name="invalid"/>.
    /// </summary>
    private static ConfigSource? Declaration(byte[] manifest, out string? invalid)
    {
        invalid = null;
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(manifest, documentOptions: new JsonDocumentOptions { MaxDepth = 16 }) as JsonObject;
            if (root is null || !(root.ContainsKey("upstream") || root.ContainsKey("modifications")))
            {
                return null;
            }

            foreach (var key in new[] { "manifestVersion", "generator", "files" })
            {
                root.Remove(key);
            }

            foreach (var waiver in (root["waivers"] as JsonArray ?? []).OfType<JsonObject>())
            {
                waiver.Remove("findings");
            }

            // ModelGoPack never writes where an upstream's release is; a manifest that says so would make its
            // modifications unjudgeable (no release to compare with), so those keys are not taken from it.
            foreach (var upstream in (root["upstream"] as JsonArray ?? []).OfType<JsonObject>())
            {
                foreach (var key in new[] { "git", "manifest", "bundle" })
                {
                    if (upstream.ContainsKey(key))
                    {
                        invalid = $"upstream \"{upstream["name"]}\" names a release ('{key}'), which a manifest does not declare";
                        return null;
                    }
                }
            }
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            // A key given twice ("name" and "name"), or a value of the wrong kind where an object or array belongs.
            invalid = e is ArgumentException ? "a key is given twice" : $"it is not a valid declaration ({e.Message})";
            return null;
        }

        var scratch = new DiagnosticBag();
        var source = ConfigReader.Parse(System.Text.Encoding.UTF8.GetBytes(root.ToJsonString()), null, scratch, fileExists: false);
        if (source is null)
        {
            var first = scratch.Items.FirstOrDefault(d => d.Severity == Severity.Error)?.Message ?? "it cannot be read as a declaration";
            invalid = first.Replace(ModelGoConfig.FileName, ManifestName, StringComparison.Ordinal);
            return null;
        }

        // The manifest's keys stand where the config's would: findings get the manifest's own lines.
        var locations = JsonLocationMap.TryBuild(manifest, new JsonReaderOptions { MaxDepth = 16 });
        return source with { Locations = locations, FileName = ManifestName };
    }

    /// <summary>
    /// Stops a gzip stream that expands like no real bundle: past 16 GiB of output, more than 200 bytes out for
    /// every byte in (text compresses 3 to 20 times, ModelGoPack stores weights at about 1, and only long runs
    /// of one byte reach deflate's limit of 1,032). Without a manifest, or before it comes (it is last), nothing
    /// else bounds what a tar.gz entry claims to hold; so a bomb costs at most the time to hash 16 GiB.
    /// </summary>
    private sealed class BombGuard(Stream inner, FileStream compressed) : Stream
    {
        private const long MaxRatio = 200;
        private long produced;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => this.Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            this.produced += read;
            if (this.produced > GzipAllowance && this.produced / Math.Max(compressed.Position, 1) > MaxRatio)
            {
                throw new InvalidDataException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"it expands {this.produced / Math.Max(compressed.Position, 1):N0} times ({this.produced:N0} bytes from {compressed.Position:N0}): a gzip bomb, not a bundle."));
            }

            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

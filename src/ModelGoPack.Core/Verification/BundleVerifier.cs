using System.Buffers;
using System.Collections.Concurrent;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Hashing;

namespace ModelGoPack.Verification;

/// <summary>
/// Checks a received bundle (a folder, .zip or .tar.gz) against its <c>modelgo-manifest.json</c>: every
/// listed file present with its size and SHA-256, and no file the manifest does not list. Hashes with the
/// same engine as <c>check</c> (all cores; a folder or zip is read in parallel, a tar.gz as the stream it
/// is), never from a cache, and never reads more of an entry than the manifest says it holds.
/// </summary>
internal static class BundleVerifier
{
    private const string ManifestName = Evaluation.ProjectLoader.ManifestFileName;
    private const long MaxManifestBytes = 64L * 1024 * 1024;

    /// <summary>Verifies the bundle at <paramref name="path"/>; returns the digests it computed, by path.</summary>
    public static Dictionary<string, string> Verify(string path, ProgressCounter? progress, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        try
        {
            if (Directory.Exists(path))
            {
                return VerifyDirectory(Path.GetFullPath(path), progress, diagnostics, cancellationToken);
            }

            if (!File.Exists(path))
            {
                diagnostics.Add(DiagnosticCatalog.BundleUnreadable, $"'{path}' is neither a folder nor a file. {DiagnosticCatalog.BundleUnreadable.Help}", path);
                return [];
            }

            Span<byte> magic = stackalloc byte[4];
            using (var probe = File.OpenRead(path))
            {
                magic = magic[..probe.ReadAtLeast(magic, 4, throwOnEndOfStream: false)];
            }

            if (magic.StartsWith("PK\u0003\u0004"u8) || magic.StartsWith("PK\u0005\u0006"u8))
            {
                return VerifyZip(path, progress, diagnostics, cancellationToken);
            }

            if (magic.StartsWith((ReadOnlySpan<byte>)[0x1f, 0x8b]))
            {
                return VerifyTarGz(path, progress, diagnostics, cancellationToken);
            }

            diagnostics.Add(DiagnosticCatalog.BundleUnreadable, $"'{path}' is not a zip or a gzip file. {DiagnosticCatalog.BundleUnreadable.Help}", path);
            return [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException)
        {
            diagnostics.Add(DiagnosticCatalog.BundleUnreadable, $"Cannot read '{path}': {e.Message} {DiagnosticCatalog.BundleUnreadable.Help}", path);
            return [];
        }
    }

    private static Dictionary<string, string> VerifyDirectory(string root, ProgressCounter? progress, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        var manifestPath = Path.Combine(root, ManifestName);
        if (!File.Exists(manifestPath))
        {
            diagnostics.Add(DiagnosticCatalog.BundleManifestInvalid, $"The folder holds no {ManifestName}. {DiagnosticCatalog.BundleManifestInvalid.Help}", root);
            return [];
        }

        List<ManifestEntry>? manifest;
        using (var stream = File.OpenRead(manifestPath))
        {
            manifest = ReadManifest(stream, diagnostics, root);
        }

        if (manifest is null)
        {
            return [];
        }

        // Every file in the folder; links are reported, never followed.
        var present = new Dictionary<string, ProjectFile>(StringComparer.Ordinal);
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", options))
        {
            var relative = ProjectPath.FromFileSystem(root, entry.FullName);
            if (entry.LinkTarget is not null)
            {
                diagnostics.Add(DiagnosticCatalog.BundleFileUnlisted, $"'{relative}' is a symbolic link to '{entry.LinkTarget}'; a bundle holds only regular files. {DiagnosticCatalog.BundleFileUnlisted.Help}", relative);
            }
            else if (entry is FileInfo file && relative != ManifestName)
            {
                if (!FileType.IsRegular(file.FullName))
                {
                    // A named pipe or device would block the read forever.
                    diagnostics.Add(DiagnosticCatalog.BundleFileUnlisted, $"'{relative}' is not a regular file (a named pipe, socket or device); a bundle holds only regular files. {DiagnosticCatalog.BundleFileUnlisted.Help}", relative);
                    continue;
                }

                present[relative] = new ProjectFile(relative, file.FullName, file.Length);
            }
        }

        var listed = manifest.Where(m => present.ContainsKey(m.Path)).ToList();
        var digests = DigestEngine.HashAll(listed.Select(m => present[m.Path]).ToList(), DigestCache.InMemory(), progress, diagnostics, cancellationToken, "verifying");
        Compare(manifest, present.Keys, digests, present.ToDictionary(p => p.Key, p => p.Value.Length, StringComparer.Ordinal), diagnostics);
        return digests;
    }

    private static Dictionary<string, string> VerifyZip(string path, ProgressCounter? progress, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        List<ManifestEntry>? manifest;
        Dictionary<string, long> present;
        using (var archive = ZipFile.OpenRead(path))
        {
            var manifestEntry = archive.GetEntry(ManifestName);
            if (manifestEntry is null)
            {
                diagnostics.Add(DiagnosticCatalog.BundleManifestInvalid, $"The zip holds no {ManifestName}. {DiagnosticCatalog.BundleManifestInvalid.Help}", path);
                return [];
            }

            using (var stream = manifestEntry.Open())
            {
                manifest = ReadManifest(stream, diagnostics, path);
            }

            present = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var entry in archive.Entries.Where(e => e.FullName != ManifestName && !e.FullName.EndsWith('/')))
            {
                if (!present.TryAdd(entry.FullName, entry.Length))
                {
                    diagnostics.Add(DiagnosticCatalog.BundleFileUnlisted, $"'{entry.FullName}' is in the zip twice. {DiagnosticCatalog.BundleFileUnlisted.Help}", entry.FullName);
                }
            }
        }

        if (manifest is null)
        {
            return [];
        }

        var listed = manifest.Where(m => present.ContainsKey(m.Path)).OrderByDescending(m => m.Size).ToList();
        progress?.Start("verifying", listed.Sum(m => m.Size), listed.Count);
        var digests = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var damaged = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);

        // One archive reader per worker: entries are read and hashed in parallel.
        Parallel.ForEach(
            System.Collections.Concurrent.Partitioner.Create(listed, EnumerablePartitionerOptions.NoBuffering),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            () => ZipFile.OpenRead(path),
            (expected, _, archive) =>
            {
                try
                {
                    using var stream = archive.GetEntry(expected.Path)!.Open();
                    digests[expected.Path] = HashCapped(stream, expected.Size, progress, cancellationToken);
                }
                catch (Exception e) when (e is InvalidDataException or IOException)
                {
                    // Damaged compressed data: the entry is not what was packed.
                    damaged[expected.Path] = e.Message;
                }

                progress?.FileDone();
                return archive;
            },
            archive => archive.Dispose());

        foreach (var (entry, message) in damaged.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            diagnostics.Add(DiagnosticCatalog.BundleFileAltered, $"'{entry}' cannot be read from the zip: {message} {DiagnosticCatalog.BundleFileAltered.Help}", entry);
        }

        Compare(manifest, present.Keys.Where(p => !damaged.ContainsKey(p)), digests, present.Where(p => !damaged.ContainsKey(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), diagnostics, damaged.Keys);
        return new Dictionary<string, string>(digests, StringComparer.Ordinal);
    }

    private static Dictionary<string, string> VerifyTarGz(string path, ProgressCounter? progress, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        // A stream: digests first, the manifest (the last entry ModelGoPack writes) read when it comes.
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        List<ManifestEntry>? manifest = null;
        var manifestSeen = false;
        progress?.Start("verifying", new FileInfo(path).Length, 0);
        using (var file = File.OpenRead(path))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        using (var reader = new TarReader(gzip))
        {
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (entry.EntryType is TarEntryType.Directory)
                {
                    continue;
                }

                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                {
                    diagnostics.Add(DiagnosticCatalog.BundleFileUnlisted, $"'{entry.Name}' is a {entry.EntryType} entry; a bundle holds only regular files. {DiagnosticCatalog.BundleFileUnlisted.Help}", entry.Name);
                    continue;
                }

                if (entry.Name == ManifestName)
                {
                    manifestSeen = true;
                    manifest = entry.DataStream is { } data ? ReadManifest(data, diagnostics, path) : null;
                    continue;
                }

                if (!sizes.TryAdd(entry.Name, entry.Length))
                {
                    diagnostics.Add(DiagnosticCatalog.BundleFileUnlisted, $"'{entry.Name}' is in the archive twice. {DiagnosticCatalog.BundleFileUnlisted.Help}", entry.Name);
                    continue;
                }

                digests[entry.Name] = entry.DataStream is { } stream ? HashCapped(stream, entry.Length, progress, cancellationToken) : Convert.ToHexStringLower(SHA256.HashData([]));
                progress?.FileDone();
            }
        }

        if (!manifestSeen)
        {
            diagnostics.Add(DiagnosticCatalog.BundleManifestInvalid, $"The archive holds no {ManifestName}. {DiagnosticCatalog.BundleManifestInvalid.Help}", path);
        }

        if (manifest is null)
        {
            return [];
        }

        Compare(manifest, sizes.Keys, digests, sizes, diagnostics);
        return digests;
    }

    private static void Compare(List<ManifestEntry> manifest, IEnumerable<string> present, IReadOnlyDictionary<string, string> digests, Dictionary<string, long> sizes, DiagnosticBag diagnostics, IEnumerable<string>? reported = null)
    {
        var listed = manifest.Select(m => m.Path).ToHashSet(StringComparer.Ordinal);
        var skip = reported?.ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var expected in manifest.Where(m => !skip.Contains(m.Path)))
        {
            if (!sizes.TryGetValue(expected.Path, out var size))
            {
                diagnostics.Add(DiagnosticCatalog.BundleFileMissing, $"'{expected.Path}' is listed in {ManifestName} ({expected.Size} bytes) but is not in the bundle. {DiagnosticCatalog.BundleFileMissing.Help}", expected.Path);
            }
            else if (size != expected.Size)
            {
                diagnostics.Add(DiagnosticCatalog.BundleFileAltered, $"'{expected.Path}' is {size} bytes; {ManifestName} lists {expected.Size}. {DiagnosticCatalog.BundleFileAltered.Help}", expected.Path);
            }
            else if (digests.TryGetValue(expected.Path, out var digest) && digest != expected.Sha256)
            {
                diagnostics.Add(DiagnosticCatalog.BundleFileAltered, $"'{expected.Path}' has SHA-256 {digest}; {ManifestName} lists {expected.Sha256}. {DiagnosticCatalog.BundleFileAltered.Help}", expected.Path);
            }
        }

        foreach (var extra in present.Where(p => !listed.Contains(p)).Order(StringComparer.Ordinal))
        {
            diagnostics.Add(DiagnosticCatalog.BundleFileUnlisted, $"'{extra}' is in the bundle but not in {ManifestName}. {DiagnosticCatalog.BundleFileUnlisted.Help}", extra);
        }
    }

    // Hashes at most `expected` + 1 bytes: an entry longer than the manifest says is altered, however long it claims to be.
    private static string HashCapped(Stream stream, long expected, ProgressCounter? progress, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(SourceStream.BlockSize);
        try
        {
            long total = 0;
            int read;
            while (total <= expected && (read = stream.Read(buffer, 0, (int)Math.Min(SourceStream.BlockSize, expected + 1 - total))) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                hash.AppendData(buffer, 0, read);
                total += read;
                progress?.AddBytes(read);
                progress?.AddHashed(read);
            }

            return total > expected ? "(longer than listed)" : Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static List<ManifestEntry>? ReadManifest(Stream stream, DiagnosticBag diagnostics, string where)
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

        string? problem = null;
        var entries = new List<ManifestEntry>();
        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
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
                    if (ProjectPath.IsRootedOrEscaping(entryPath) || ProjectPath.HasControlCharacters(entryPath) || entryPath == ManifestName)
                    {
                        problem = $"it lists the path '{ProjectPath.Printable(entryPath)}', which is absolute, leaves the bundle, or is the manifest itself";
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

        return entries;
    }

    private sealed record ManifestEntry(string Path, long Size, string Sha256);
}

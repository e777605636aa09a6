using System.IO.Compression;
using System.Security.Cryptography;
using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Hashing;

namespace ModelGoPack.Emit;

/// <summary>
/// Emit: writes the bundle in one streaming pass. Each file is read once, in large blocks, and hashed
/// (SHA-256) as it is copied; nothing is held whole in memory. The bundle is written under a temporary
/// name beside the output and renamed into place only when complete, so a failed or cancelled run
/// leaves nothing at the output path.
/// </summary>
internal static class BundleWriter
{
    /// <summary>Writes the bundle; returns the manifest's files and bytes, or null with diagnostics.</summary>
    public static (IReadOnlyList<ManifestFile> Files, byte[] Manifest)? Write(
        IReadOnlyList<BundleEntry> entries,
        ModelGoConfig config,
        IReadOnlyList<Evaluation.AppliedWaiver> waivers,
        string outputPath,
        BundleFormat format,
        DateTimeOffset timestamp,
        DigestCache cache,
        ProgressCounter? progress,
        DiagnosticBag diagnostics,
        CancellationToken cancellationToken)
    {
        var output = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputPath));
        if (!CanReplace(output, format, diagnostics))
        {
            return null;
        }

        var directory = Path.GetDirectoryName(output)!;
        var temporary = Path.Combine(directory, $"{Discovery.ProjectScanner.TemporaryPrefix}{Path.GetFileName(output)}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(directory);
            List<ManifestFile> files;
            byte[] manifest;
            using (var sink = OpenSink(format, temporary, timestamp))
            {
                files = CopyAll(sink, entries, cache, progress, diagnostics, cancellationToken);
                if (diagnostics.HasErrors)
                {
                    return null;
                }

                manifest = ManifestWriter.Write(config, waivers, files);
                using (var content = new MemoryStream(manifest, writable: false))
                {
                    sink.Add(BundleEntry.Generated(Evaluation.ProjectLoader.ManifestFileName, manifest), content);
                }

                sink.Complete();
            }

            cancellationToken.ThrowIfCancellationRequested();
            MoveIntoPlace(temporary, output, format);
            return (files, manifest);
        }
        catch (Exception e) when (e is (IOException and not SourceReadException) or UnauthorizedAccessException)
        {
            diagnostics.Add(DiagnosticCatalog.OutputWriteFailed, $"Cannot write the bundle to '{outputPath}': {e.Message} {DiagnosticCatalog.OutputWriteFailed.Help}", outputPath);
            return null;
        }
        finally
        {
            Delete(temporary);
        }
    }

    private static List<ManifestFile> CopyAll(IBundleSink sink, IReadOnlyList<BundleEntry> entries, DigestCache cache, ProgressCounter? progress, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        progress?.Start("packing", entries.Sum(e => e.Length), entries.Count);
        var files = new List<ManifestFile>(entries.Count);
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.Source is not { } file)
            {
                using var content = new MemoryStream(entry.Content.ToArray(), writable: false);
                sink.Add(entry, content);
                files.Add(new ManifestFile(entry.Path, entry.Content.Length, Convert.ToHexStringLower(SHA256.HashData(entry.Content.Span))));
                progress?.AddBytes(entry.Content.Length);
                progress?.AddHashed(entry.Content.Length);
                progress?.FileDone();
                continue;
            }

            // Read once: hashed while copied, unless the cache knows the digest of this very file (same identity).
            if (DigestEngine.Identify(file, out var problem) is not { } before)
            {
                diagnostics.Add(problem!);
                return files;
            }

            var known = cache.TryGet(file.RelativePath, before);
            var started = DateTimeOffset.UtcNow;
            string digest;
            try
            {
                using var source = SourceStream.Open(file.RelativePath, file.FullPath, file.Length, computeDigest: known is null, progress, cancellationToken);
                sink.Add(entry, source);
                problem = DigestEngine.Unchanged(file, before, source.BytesRead);
                digest = known ?? source.Digest()!;
            }
            catch (SourceReadException e)
            {
                problem = DigestEngine.Unreadable(entry.Path, e);
                digest = "";
            }

            if (problem is not null)
            {
                diagnostics.Add(problem);
                return files;
            }

            if (known is null)
            {
                cache.Put(file.RelativePath, before, digest, started);
            }

            files.Add(new ManifestFile(entry.Path, file.Length, digest));
            progress?.FileDone();
        }

        return files;
    }

    /// <summary>Only a bundle ModelGoPack made (or nothing) may be replaced at the output path.</summary>
    private static bool CanReplace(string output, BundleFormat format, DiagnosticBag diagnostics)
    {
        string? problem = null;
        if (Directory.Exists(output))
        {
            if (format != BundleFormat.Directory)
            {
                problem = $"is a folder, and the bundle is a {(format == BundleFormat.Zip ? "zip" : "tar.gz")}";
            }
            else if (Directory.EnumerateFileSystemEntries(output).Any() && !File.Exists(Path.Combine(output, Evaluation.ProjectLoader.ManifestFileName)))
            {
                problem = "is a folder that holds no modelgo-manifest.json";
            }
        }
        else if (File.Exists(output))
        {
            if (format == BundleFormat.Directory)
            {
                problem = "is a file, and the bundle is a folder";
            }
            else if (!(format == BundleFormat.Zip ? IsZipBundle(output) : IsTarGzBundle(output)))
            {
                problem = $"is a file that is not a {(format == BundleFormat.Zip ? "zip" : "tar.gz")} with a modelgo-manifest.json";
            }
        }

        if (problem is null)
        {
            return true;
        }

        diagnostics.Add(DiagnosticCatalog.OutputNotABundle, $"The output path '{output}' {problem}. {DiagnosticCatalog.OutputNotABundle.Help}", output);
        return false;
    }

    private static bool IsZipBundle(string path)
    {
        try
        {
            using var archive = ZipFile.OpenRead(path);
            return archive.GetEntry(Evaluation.ProjectLoader.ManifestFileName) is not null;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool IsTarGzBundle(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new System.Formats.Tar.TarReader(gzip);
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                if (entry.Name == Evaluation.ProjectLoader.ManifestFileName)
                {
                    return true;
                }
            }

            return false;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or FormatException)
        {
            return false;
        }
    }

    private static IBundleSink OpenSink(BundleFormat format, string temporary, DateTimeOffset timestamp) => format switch
    {
        BundleFormat.Zip => new ZipSink(temporary, timestamp),
        BundleFormat.TarGz => new TarGzSink(temporary, timestamp),
        _ => new DirectorySink(CreateDirectory(temporary), timestamp),
    };

    private static void MoveIntoPlace(string temporary, string output, BundleFormat format)
    {
        if (format != BundleFormat.Directory)
        {
            File.Move(temporary, output, overwrite: true);
            return;
        }

        if (!Directory.Exists(output))
        {
            Directory.Move(temporary, output);
            return;
        }

        // Swap the old bundle out, the new one in, then remove the old one.
        var old = temporary + "-old";
        Directory.Move(output, old);
        try
        {
            Directory.Move(temporary, output);
        }
        catch
        {
            Directory.Move(old, output);
            throw;
        }

        Delete(old);
    }

    private static string CreateDirectory(string path)
    {
        Directory.CreateDirectory(path);
        return path;
    }

    private static void Delete(string path)
    {
        try
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
            else if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the temporary name is ignored by discovery and replaced by the next run.
        }
    }
}

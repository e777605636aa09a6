using System.IO.Compression;
using System.Security.Cryptography;
using ModelGoPack.Config;
using ModelGoPack.Diagnostics;

namespace ModelGoPack.Emit;

/// <summary>
/// Emit: writes the bundle in one streaming pass. Each file is read once, in large blocks, and hashed
/// (SHA-256) as it is copied; nothing is held whole in memory. The bundle is written under a temporary
/// name beside the output and renamed into place only when complete, so a failed or cancelled run
/// leaves nothing at the output path.
/// </summary>
internal static class BundleWriter
{
    private const int BlockSize = 1 << 20;

    /// <summary>Writes the bundle; returns the manifest's files and bytes, or null with diagnostics.</summary>
    public static (IReadOnlyList<ManifestFile> Files, byte[] Manifest)? Write(
        IReadOnlyList<BundleEntry> entries,
        ModelGoConfig config,
        IReadOnlyList<Evaluation.AppliedWaiver> waivers,
        string outputPath,
        BundleFormat format,
        DateTimeOffset timestamp,
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
            using (IBundleSink sink = format == BundleFormat.Zip ? new ZipSink(temporary, timestamp) : new DirectorySink(CreateDirectory(temporary), timestamp))
            {
                files = CopyAll(sink, entries, diagnostics, cancellationToken);
                if (diagnostics.HasErrors)
                {
                    return null;
                }

                manifest = ManifestWriter.Write(config, waivers, files);
                using (var stream = sink.Open(BundleEntry.Generated(Evaluation.ProjectLoader.ManifestFileName, manifest)))
                {
                    stream.Write(manifest);
                }

                sink.Complete();
            }

            cancellationToken.ThrowIfCancellationRequested();
            MoveIntoPlace(temporary, output, format);
            return (files, manifest);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(DiagnosticCatalog.OutputWriteFailed, $"Cannot write the bundle to '{outputPath}': {e.Message} {DiagnosticCatalog.OutputWriteFailed.Help}", outputPath);
            return null;
        }
        finally
        {
            Delete(temporary);
        }
    }

    private static List<ManifestFile> CopyAll(IBundleSink sink, IReadOnlyList<BundleEntry> entries, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        var files = new List<ManifestFile>(entries.Count);
        var buffer = new byte[BlockSize];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long size = 0;
            using (var destination = sink.Open(entry))
            {
                if (entry.Source is null)
                {
                    destination.Write(entry.Content.Span);
                    hash.AppendData(entry.Content.Span);
                    size = entry.Content.Length;
                }
                else
                {
                    // Read failures name the source file (MGP8009); write failures propagate as MGP9001.
                    using var source = OpenSource(entry, diagnostics);
                    if (source is null)
                    {
                        return files;
                    }

                    int read;
                    while ((read = ReadBlock(source, buffer, entry, diagnostics)) > 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        hash.AppendData(buffer, 0, read);
                        destination.Write(buffer, 0, read);
                        size += read;
                    }

                    if (read < 0)
                    {
                        return files;
                    }

                    if (size != entry.Source.Length)
                    {
                        diagnostics.Add(DiagnosticCatalog.FileChangedDuringPack,
                            $"'{entry.Path}' was {entry.Source.Length} bytes when discovered and {size} bytes when copied. {DiagnosticCatalog.FileChangedDuringPack.Help}", entry.Path);
                        return files;
                    }
                }
            }

            files.Add(new ManifestFile(entry.Path, size, Convert.ToHexStringLower(hash.GetHashAndReset())));
        }

        return files;
    }

    private static FileStream? OpenSource(BundleEntry entry, DiagnosticBag diagnostics)
    {
        try
        {
            return new FileStream(entry.Source!.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(DiagnosticCatalog.FileUnreadable, $"Cannot read '{entry.Path}': {e.Message}", entry.Path);
            return null;
        }
    }

    /// <summary>Reads the next block; -1 (with a diagnostic) when the source cannot be read.</summary>
    private static int ReadBlock(FileStream source, byte[] buffer, BundleEntry entry, DiagnosticBag diagnostics)
    {
        try
        {
            return source.Read(buffer, 0, buffer.Length);
        }
        catch (IOException e)
        {
            diagnostics.Add(DiagnosticCatalog.FileUnreadable, $"Cannot read '{entry.Path}': {e.Message}", entry.Path);
            return -1;
        }
    }

    /// <summary>Only a bundle ModelGoPack made (or nothing) may be replaced at the output path.</summary>
    private static bool CanReplace(string output, BundleFormat format, DiagnosticBag diagnostics)
    {
        string? problem = null;
        if (Directory.Exists(output))
        {
            if (format != BundleFormat.Directory)
            {
                problem = "is a folder, and the bundle is a zip";
            }
            else if (Directory.EnumerateFileSystemEntries(output).Any() && !File.Exists(Path.Combine(output, Evaluation.ProjectLoader.ManifestFileName)))
            {
                problem = "is a folder that holds no modelgo-manifest.json";
            }
        }
        else if (File.Exists(output))
        {
            if (format != BundleFormat.Zip)
            {
                problem = "is a file, and the bundle is a folder";
            }
            else if (!IsZipBundle(output))
            {
                problem = "is a file that is not a zip with a modelgo-manifest.json";
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

    private static void MoveIntoPlace(string temporary, string output, BundleFormat format)
    {
        if (format == BundleFormat.Zip)
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

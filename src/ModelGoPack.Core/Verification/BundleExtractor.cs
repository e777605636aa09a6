using System.Formats.Tar;
using System.IO.Compression;
using ModelGoPack.Diagnostics;

namespace ModelGoPack.Verification;

/// <summary>
/// <c>verify --extract DIR</c>: writes a verified bundle's files to a new folder. Only entries verify accepted
/// are written (regular files with safe names: no absolute path, no <c>..</c>, no device name, no link);
/// each is hashed again as it is written and must match what verify read. The folder is built under a
/// temporary name beside the target and renamed when complete, so a failure leaves nothing.
/// </summary>
internal static class BundleExtractor
{
    /// <summary>Extracts <paramref name="content"/> to <paramref name="target"/>; false (and nothing written) when it did not.</summary>
    public static bool Extract(BundleContent content, string target, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        // An integrity error means the bundle is not what its publisher made: nothing of it is written.
        if (diagnostics.Items.Any(d => d.IsIntegrityError))
        {
            return false;
        }

        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        var parent = Path.GetDirectoryName(full)!;
        var temp = Path.Combine(parent, $"{Discovery.ProjectScanner.TemporaryPrefix}{Path.GetFileName(full)}-{Guid.NewGuid():N}");

        // Missing parent folders are made, as `unzip -d` does, and removed again when nothing is extracted.
        var created = parent;
        while (Path.GetDirectoryName(created) is { } above && !Directory.Exists(above))
        {
            created = above;
        }

        var madeParents = !Directory.Exists(parent);
        try
        {
            Directory.CreateDirectory(temp);
            if (content.Format == Emit.BundleFormat.Directory)
            {
                foreach (var file in content.Files.Values)
                {
                    using var source = File.OpenRead(file.FullPath);
                    Write(temp, file.RelativePath, source, content, cancellationToken);
                }
            }
            else if (content.Format == Emit.BundleFormat.Zip)
            {
                using var archive = ZipFile.OpenRead(content.Source);
                foreach (var file in content.Files.Values)
                {
                    using var source = archive.GetEntry(file.FullPath)!.Open();
                    Write(temp, file.RelativePath, source, content, cancellationToken);
                }
            }
            else
            {
                using var stream = File.OpenRead(content.Source);
                using var gzip = new GZipStream(stream, CompressionMode.Decompress);
                using var reader = new TarReader(gzip);
                var left = new HashSet<string>(content.Files.Keys, StringComparer.Ordinal);
                while (reader.GetNextEntry(copyData: false) is { } entry)
                {
                    var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                    name = name.StartsWith(content.Prefix, StringComparison.Ordinal) ? name[content.Prefix.Length..] : name;
                    if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && left.Remove(name))
                    {
                        Write(temp, name, entry.DataStream ?? Stream.Null, content, cancellationToken);
                    }
                }

                if (left.Count > 0)
                {
                    throw new InvalidDataException($"'{left.Order(StringComparer.Ordinal).First()}' was not found on the second read of the archive");
                }
            }

            if (content.Manifest is { } manifest)
            {
                File.WriteAllBytes(Path.Combine(temp, BundleVerifier.ManifestName), manifest.Bytes);
            }

            Directory.Move(temp, full);
            madeParents = false;
            return true;
        }
        catch (ChangedException e)
        {
            diagnostics.Add(DiagnosticCatalog.BundleFileAltered, $"'{e.Path}' changed between verifying and extracting it. Nothing was extracted. {DiagnosticCatalog.BundleFileAltered.Help}", e.Path);
        }
        catch (Exception e) when (BundleVerifier.IsDamaged(e) || e is UnauthorizedAccessException)
        {
            diagnostics.Add(DiagnosticCatalog.OutputWriteFailed, $"Cannot extract to '{target}': {e.Message} {DiagnosticCatalog.OutputWriteFailed.Help}", full);
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }

            if (madeParents && Directory.Exists(created))
            {
                Directory.Delete(created, recursive: true);
            }
        }

        return false;
    }

    private static void Write(string folder, string relative, Stream source, BundleContent content, CancellationToken cancellationToken)
    {
        // Names were checked when the bundle was read; this is the last line before the disk.
        if (ProjectPath.UnsafeEntryName(relative) is not null)
        {
            throw new InvalidDataException($"refused the entry name '{ProjectPath.Printable(relative)}'");
        }

        var path = Path.Combine(folder, relative.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var expected = content.Digests.GetValueOrDefault(relative);
        string? digest;
        using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            digest = BundleVerifier.HashCapped(source, content.Files[relative].Length, output.Write, null, cancellationToken);
        }

        if (expected is null || digest != expected)
        {
            throw new ChangedException(relative);
        }
    }

    private sealed class ChangedException(string path) : Exception(path)
    {
        public string Path { get; } = path;
    }
}

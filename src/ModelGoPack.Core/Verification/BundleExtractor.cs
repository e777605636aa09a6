using System.Formats.Tar;
using System.IO.Compression;
using ModelGoPack.Diagnostics;
using ModelGoPack.Emit;
using ModelGoPack.Hashing;

namespace ModelGoPack.Verification;

/// <summary>
/// <c>verify --extract DIR</c>: writes a verified bundle's files to a new folder, or into an empty one. Only
/// entries verify accepted are written (regular files with safe names: no absolute path, no <c>..</c>, no device
/// name, no link); each is hashed again as it is written and must match what verify read. A new folder is built
/// under a temporary name beside the target and renamed when complete; an empty folder (kept as it is, with its
/// permissions) gets the files built in a temporary folder inside it and moved up when complete. A failure leaves
/// nothing either way.
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

        // verify let an existing target through only when it is an empty folder (not a link): it is filled, never replaced.
        var fill = Directory.Exists(full);
        var parent = fill ? full : Path.GetDirectoryName(full)!;
        TemporaryOutput? temporary = null;

        // Missing parent folders are made, as `unzip -d` does, and removed again when nothing is extracted.
        var created = parent;
        while (Path.GetDirectoryName(created) is { } above && !Directory.Exists(above))
        {
            created = above;
        }

        var madeParents = !Directory.Exists(parent);
        try
        {
            // What an interrupted extraction left beside the target goes first, and is reported.
            temporary = Output(() =>
            {
                Directory.CreateDirectory(parent);
                if (fill)
                {
                    return TemporaryOutput.Create(Path.Combine(full, "extract"));
                }

                TemporaryOutput.RemoveStale(parent, diagnostics);
                return TemporaryOutput.Create(full);
            });
            var temp = temporary.Path;
            Output(() => Directory.CreateDirectory(temp));
            if (PreviousBundle.IsFolder(content.Format))
            {
                foreach (var file in content.Files.Values)
                {
                    using var source = File.OpenRead(file.FullPath);
                    Write(temp, file.RelativePath, source, content, cancellationToken);
                }

                if (content.Manifest is not null)
                {
                    // An OCI layout's manifest is the blob of its layer.
                    using var source = File.OpenRead(content.ManifestEntry ?? Path.Combine(content.Root!, BundleVerifier.ManifestName));
                    Write(temp, BundleVerifier.ManifestName, source, content, cancellationToken);
                }
            }
            else if (content.Format == BundleFormat.Zip)
            {
                using var zip = ZipDirectory.Read(content.Source);
                var byName = zip.ByName();
                foreach (var file in content.Files.Values)
                {
                    using var source = zip.Open(byName[file.FullPath]);
                    Write(temp, file.RelativePath, source, content, cancellationToken);
                }

                if (content.Manifest is not null)
                {
                    using var source = zip.Open(byName[content.ManifestEntry ?? content.Prefix + BundleVerifier.ManifestName]);
                    Write(temp, BundleVerifier.ManifestName, source, content, cancellationToken);
                }
            }
            else
            {
                using var stream = File.OpenRead(content.Source);
                using var gzip = new GZipStream(stream, CompressionMode.Decompress);
                using var reader = new TarReader(gzip);
                var left = new HashSet<string>(content.Files.Keys, StringComparer.Ordinal);
                if (content.Manifest is not null)
                {
                    left.Add(BundleVerifier.ManifestName);
                }

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

            Output(() =>
            {
                if (fill)
                {
                    MoveInto(temp, full);
                }
                else
                {
                    Directory.Move(temp, full);
                }

                return true;
            });
            madeParents = false;
            return true;
        }
        catch (ChangedException e)
        {
            diagnostics.Add(Messages.ExtractedFileChanged.With(e.Path), e.Path);
        }
        catch (UnsafeNameException e)
        {
            diagnostics.Add(Messages.ExtractEntryNameRefused.With(ProjectPath.Printable(e.Path), e.Message), ProjectPath.Printable(e.Path));
        }
        catch (OutputException e)
        {
            // The bundle verified; writing it failed (a full disk, a folder not writable): nothing is wrong with the bundle.
            diagnostics.Add(Messages.ExtractWriteFailed.With(ProjectPath.Printable(target), e.InnerException!.Message), full);
        }
        catch (Exception e) when (BundleVerifier.IsDamaged(e) || e is UnauthorizedAccessException)
        {
            diagnostics.Add(Messages.ExtractRereadFailed.With(e.Message), content.Source);

        }
        finally
        {
            temporary?.Release(diagnostics);
            if (madeParents)
            {
                RemoveMadeFolders(parent, created);
            }
        }

        return false;
    }

    /// <summary>
    /// Moves what <paramref name="temp"/> holds up into <paramref name="folder"/>, which holds nothing else than it and its
    /// lock: still empty, or nothing is moved. A name taken meanwhile is never replaced: what was moved goes back into
    /// the temporary folder, which is then removed whole.
    /// </summary>
    private static void MoveInto(string temp, string folder)
    {
        var ours = new HashSet<string>(StringComparer.Ordinal) { temp, temp + ".lock" };
        if (Directory.EnumerateFileSystemEntries(folder).FirstOrDefault(e => !ours.Contains(e)) is { } other)
        {
            throw new IOException($"'{other}' appeared in the folder while the bundle was extracted; the folder is no longer empty.");
        }

        var moved = new List<(string From, string To)>();
        try
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(temp).ToList())
            {
                var to = Path.Combine(folder, Path.GetFileName(entry));
                if (Directory.Exists(entry))
                {
                    Directory.Move(entry, to);
                }
                else
                {
                    File.Move(entry, to, overwrite: false);
                }

                moved.Add((entry, to));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var (from, to) in moved)
            {
                try
                {
                    if (Directory.Exists(to))
                    {
                        Directory.Move(to, from);
                    }
                    else
                    {
                        File.Move(to, from, overwrite: false);
                    }
                }
                catch (Exception back) when (back is IOException or UnauthorizedAccessException)
                {
                    // Left where it was moved: it is what this run extracted, and the report says nothing was.
                }
            }

            throw;
        }
    }

    /// <summary>
    /// Removes the folders this run made above the target (from <paramref name="parent"/> up to <paramref name="created"/>),
    /// each only while it is empty: something another process put there meanwhile is not ours, and stays.
    /// </summary>
    private static void RemoveMadeFolders(string parent, string created)
    {
        for (var folder = parent; ; folder = Path.GetDirectoryName(folder)!)
        {
            try
            {
                Directory.Delete(folder, recursive: false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return;
            }

            if (string.Equals(folder, created, StringComparison.Ordinal))
            {
                return;
            }
        }
    }

    private static void Write(string folder, string relative, Stream source, BundleContent content, CancellationToken cancellationToken)
    {
        // Names were checked when the bundle was read; this is the last line before the disk.
        if (ProjectPath.UnsafeEntryName(relative) is { } why)
        {
            throw new UnsafeNameException(relative, why);
        }

        var path = Path.Combine(folder, relative.Replace('/', Path.DirectorySeparatorChar));

        // The manifest is read again like any file, and must be the one verify read (its digest and length).
        var manifest = relative == BundleVerifier.ManifestName ? content.Manifest : null;
        Sha256Digest? expected = manifest is not null ? manifest.Digest : content.TryGetDigest(relative, out var known) ? known : null;
        var length = manifest?.Length ?? content.Files[relative].Length;
        Sha256Digest? digest;
        using (var output = Output(() =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return new WriteSide(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None));
        }))
        {
            digest = EntryReader.HashCapped(source, length, output.Write, null, cancellationToken);
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

    private sealed class UnsafeNameException(string path, string why) : Exception(why)
    {
        public string Path { get; } = path;
    }

    /// <summary>Writing the extracted files failed: the output's fault, not the bundle's.</summary>
    private sealed class OutputException(Exception inner) : Exception(inner.Message, inner);

    /// <summary>Runs a step that writes, marking what it throws as the output's.</summary>
    private static T Output<T>(Func<T> write)
    {
        try
        {
            return write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputException(e);
        }
    }

    /// <summary>A file being written, whose failures (a full disk, on a write or the last flush) are marked as the output's.</summary>
    private sealed class WriteSide(FileStream file) : WriteOnlyStream
    {
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            try
            {
                file.Write(buffer);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new OutputException(e);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Output(() =>
                {
                    file.Dispose();
                    return true;
                });
            }

            base.Dispose(disposing);
        }
    }
}

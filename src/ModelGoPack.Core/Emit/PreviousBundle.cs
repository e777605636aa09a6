using System.Formats.Tar;
using System.Globalization;
using ModelGoPack.Diagnostics;
using ModelGoPack.Verification;
using ModelGoPack.Discovery;
using ModelGoPack.Oci;

namespace ModelGoPack.Emit;

/// <summary>
/// Whether pack may replace what is at its output path. Only nothing, an empty folder, or what is provably an
/// earlier output of ModelGoPack: a <c>modelgo-manifest.json</c> that verify can read, listing exactly what is
/// there, each file with its listed size, and nothing else: no other file, folder, link or entry. A file of
/// the user's beside a manifest, or a manifest of <c>{}</c>, is never replaced. Digests are not read: that
/// would read a bundle of hundreds of GB again; a folder or archive that holds exactly the files its manifest
/// lists, by name and size, holds nothing a ModelGoPack run did not write. A tar.gz is read once through (its
/// manifest is its last entry); a zip by its central directory; a folder by a walk that stops at the first
/// thing it does not expect.
/// </summary>
internal static class PreviousBundle
{
    /// <summary>Why <paramref name="output"/> may not be replaced by a bundle of <paramref name="format"/>, or null when it may.</summary>
    public static string? WhyNotReplaceable(string output, BundleFormat format)
    {
        var kind = format switch { BundleFormat.Zip => "zip", BundleFormat.Oci => "OCI image layout", _ => "tar.gz" };
        if (new FileInfo(output).LinkTarget is { } target)
        {
            return $"is a symbolic link (to '{target}'), not a bundle ModelGoPack wrote";
        }

        try
        {
            if (Directory.Exists(output))
            {
                return format switch
                {
                    BundleFormat.Directory => FolderProblem(output),
                    BundleFormat.Oci => OciProblem(output),
                    _ => $"is a folder, and the bundle is a {kind}",
                };
            }

            if (!File.Exists(output))
            {
                return null;
            }

            if (IsFolder(format))
            {
                return format == BundleFormat.Oci ? "is a file, and the bundle is an OCI image layout (a folder)" : "is a file, and the bundle is a folder";
            }

            if (!FileType.IsRegular(output))
            {
                return "is not a regular file";
            }

            return (format == BundleFormat.Zip ? ZipProblem(output) : TarGzProblem(output)) is { } problem ? $"is a file {problem}" : null;
        }
        catch (Exception e) when (BundleVerifier.IsDamaged(e) || e is UnauthorizedAccessException)
        {
            return $"cannot be read as a {(format == BundleFormat.Directory ? "bundle folder" : kind)} ModelGoPack wrote ({e.Message})";
        }
        catch (OciFormatException e)
        {
            return $"is an OCI image layout that is not one ModelGoPack wrote ({e.Message})";
        }
    }

    /// <summary>
    /// Puts the finished bundle at <paramref name="temporary"/> in place of what is at <paramref name="output"/>,
    /// judging that again as it is replaced, since the first look was before the hours of hashing: what is there
    /// is moved aside (a rename), judged there (an archive whose identity, <paramref name="before"/>, is unchanged
    /// is not read again), and moved back if it is not a bundle ModelGoPack made (a folder that appeared, a file
    /// added to the old bundle); else the new bundle is moved in, never over anything (what appears in that instant
    /// is kept), and the old one is removed with the temporary. Null when replaced; else what the output now is.
    /// <paramref name="writtenAside"/>, when given, says (from the folder the old bundle was moved to) what was written to
    /// it that the new bundle shares (<see cref="PreviousFiles.WrittenSinceLinked"/>): the old one is then moved back.
    /// </summary>
    public static string? Replace(TemporaryOutput temporary, string output, BundleFormat format, FileStamp? before, Func<string, string?>? writtenAside = null)
    {
        if (FileType.Entry(output) is not null || Path.Exists(output))
        {
            var folder = Directory.Exists(output) && new FileInfo(output).LinkTarget is null;
            Move(output, temporary.OldPath, folder);
            var unchanged = !folder && before is { } stamp && FileType.Stamp(temporary.OldPath) is { } now && now with { ChangedNs = 0 } == stamp with { ChangedNs = 0 };
            if ((writtenAside?.Invoke(temporary.OldPath) ?? (unchanged ? null : WhyNotReplaceable(temporary.OldPath, format))) is { } problem)
            {
                MoveBack(temporary, output, folder);
                return problem;
            }

            try
            {
                Move(temporary.Path, output, IsFolder(format));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                MoveBack(temporary, output, folder);
                throw;
            }

            return null;
        }

        Move(temporary.Path, output, IsFolder(format));
        return null;
    }

    /// <summary>Whether a bundle of <paramref name="format"/> is a folder (a plain one, or an OCI image layout).</summary>
    public static bool IsFolder(BundleFormat format) => format is BundleFormat.Directory or BundleFormat.Oci;

    // A rename that never replaces what is at the destination.
    private static void Move(string from, string to, bool folder)
    {
        if (folder)
        {
            Directory.Move(from, to);
        }
        else
        {
            File.Move(from, to, overwrite: false);
        }
    }

    // What was at the output goes back; if it cannot (something else took its place), it is kept aside, never removed.
    private static void MoveBack(TemporaryOutput temporary, string output, bool folder)
    {
        try
        {
            Move(temporary.OldPath, output, folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            temporary.KeepOld();
            throw new IOException($"what was at the output path could not be put back ({e.Message}); it is kept at '{temporary.OldPath}'", e);
        }
    }

    private static string? FolderProblem(string folder)
    {
        var manifestPath = Path.Combine(folder, BundleVerifier.ManifestName);
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false };
        if (!Directory.EnumerateFileSystemEntries(folder, "*", options).Any())
        {
            return null;
        }

        if (!File.Exists(manifestPath) || new FileInfo(manifestPath).LinkTarget is not null || !FileType.IsRegular(manifestPath))
        {
            return $"is a folder that holds no {BundleVerifier.ManifestName} of its own";
        }

        Dictionary<string, long> listed;
        using (var stream = File.OpenRead(manifestPath))
        {
            if (Listed(stream) is not { } files)
            {
                return $"is a folder whose {BundleVerifier.ManifestName} is not one ModelGoPack writes";
            }

            listed = files;
        }

        // Every folder on the way to a listed file is expected; nothing else is.
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in listed.Keys)
        {
            for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
            {
                folders.Add(path[..slash]);
            }
        }

        var seen = 0;
        foreach (var (entry, relative) in Walk(folder))
        {
            var shown = ProjectPath.Printable(relative);
            if (relative == BundleVerifier.ManifestName)
            {
                continue;
            }

            if (entry.LinkTarget is not null)
            {
                return $"is a folder that holds the symbolic link '{shown}', which ModelGoPack never writes";
            }

            if (entry is DirectoryInfo)
            {
                if (!folders.Contains(relative))
                {
                    return $"is a folder that holds the folder '{shown}', which its {BundleVerifier.ManifestName} does not list";
                }

                continue;
            }

            if (!listed.TryGetValue(relative, out var size))
            {
                return $"is a folder that holds '{shown}', which its {BundleVerifier.ManifestName} does not list";
            }

            if (!FileType.IsRegular(entry.FullName) || ((FileInfo)entry).Length != size)
            {
                return string.Create(CultureInfo.InvariantCulture, $"is a folder whose '{shown}' is not the file of {size:N0} bytes its {BundleVerifier.ManifestName} lists");
            }

            seen++;
        }

        return seen == listed.Count ? null : $"is a folder that lacks {listed.Count - seen:N0} of the files its {BundleVerifier.ManifestName} lists";
    }

    /// <summary>
    /// An OCI layout ModelGoPack wrote: <c>oci-layout</c>, <c>index.json</c> naming one model manifest, and exactly the
    /// blobs that manifest names (config, layers), each of its size; a layer for <c>modelgo-manifest.json</c> whose files
    /// are the other layers, by path and size. The manifest and modelgo-manifest.json are read (small, their digests
    /// checked); no other blob is.
    /// </summary>
    private static string? OciProblem(string folder)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false };
        if (!Directory.EnumerateFileSystemEntries(folder, "*", options).Any())
        {
            return null;
        }

        if (!OciLayout.IsLayout(folder))
        {
            return $"is a folder that is no OCI image layout (it has no {OciMediaTypes.LayoutFile})";
        }

        var index = OciLayout.ReadIndex(folder);
        var descriptor = OciLayout.SelectManifest(index, null);
        var manifest = OciManifest.Parse(OciLayout.ReadBlob(folder, descriptor, OciManifest.MaxBytes));
        if (index.Count != 1 || manifest.ArtifactType != OciMediaTypes.ModelManifest)
        {
            return "is an OCI image layout that holds more than the one model ModelGoPack writes";
        }

        if (manifest.Layers.FirstOrDefault(l => l.Annotation(OciMediaTypes.FilePathAnnotation) == BundleVerifier.ManifestName) is not { } manifestLayer)
        {
            return $"is an OCI image layout with no {BundleVerifier.ManifestName} layer";
        }

        var listed = Listed(new MemoryStream(OciLayout.ReadBlob(folder, manifestLayer, BundleLimits.MaxManifestBytes), writable: false));
        var layers = manifest.Layers.Where(l => l != manifestLayer).Select(l => (l.Annotation(OciMediaTypes.FilePathAnnotation) ?? "", l.Size));
        if (listed is null || Unexpected(layers.Append((BundleVerifier.ManifestName, manifestLayer.Size)), listed) is not null)
        {
            return $"is an OCI image layout whose layers are not the files its {BundleVerifier.ManifestName} lists";
        }

        var blobs = manifest.Layers.Append(manifest.Config).Append(descriptor).GroupBy(d => d.Sha256Hex ?? "").ToDictionary(g => g.Key, g => g.First().Size, StringComparer.Ordinal);
        var expected = new Dictionary<string, long?>(StringComparer.Ordinal) { [OciMediaTypes.LayoutFile] = null, [OciMediaTypes.IndexFile] = null, ["blobs"] = -1, [OciMediaTypes.BlobFolder] = -1 };
        foreach (var (hex, size) in blobs)
        {
            expected[OciMediaTypes.BlobFolder + "/" + hex] = size;
        }

        var seen = 0;
        foreach (var (entry, relative) in Walk(folder))
        {
            var shown = ProjectPath.Printable(relative);
            if (entry.LinkTarget is not null || !expected.TryGetValue(relative, out var size) || (entry is DirectoryInfo) != (size == -1))
            {
                return $"is an OCI image layout that holds '{shown}', which ModelGoPack did not write there";
            }

            if (entry is FileInfo file && (!FileType.IsRegular(entry.FullName) || (size is { } length && file.Length != length)))
            {
                return $"is an OCI image layout whose '{shown}' is not the blob its manifest names";
            }

            seen++;
        }

        return seen == expected.Count ? null : $"is an OCI image layout that lacks {expected.Count - seen:N0} of the blobs its manifest names";
    }

    /// <summary>
    /// Every entry below <paramref name="folder"/> with its path relative to it, a folder's entries after the folder, links
    /// never followed. Lazy: a caller that stops at the first entry it does not expect never enters that folder.
    /// </summary>
    private static IEnumerable<(FileSystemInfo Entry, string Relative)> Walk(string folder)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false };
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(folder)]);
        while (pending.TryPop(out var next))
        {
            foreach (var entry in next.EnumerateFileSystemInfos("*", options))
            {
                yield return (entry, ProjectPath.FromFileSystem(folder, entry.FullName));
                if (entry is DirectoryInfo child && entry.LinkTarget is null)
                {
                    pending.Push(child);
                }
            }
        }
    }

    private static string? ZipProblem(string path)
    {
        using var zip = ZipDirectory.Read(path);
        if (zip.Entries.Where(e => e.Name == BundleVerifier.ManifestName).Select(e => (ZipDirectory.Entry?)e).FirstOrDefault() is not { } manifestEntry)
        {
            return $"that is not a zip with a {BundleVerifier.ManifestName}";
        }

        Dictionary<string, long>? listed;
        using (var stream = zip.Open(manifestEntry))
        {
            listed = Listed(stream);
        }

        return listed is null ? $"whose {BundleVerifier.ManifestName} is not one ModelGoPack writes"
            : Unexpected(zip.Entries.Select(e => (e.Name, e.Size)), listed);
    }

    private static string? TarGzProblem(string path)
    {
        // verify's reader: one rule for a damaged archive, and the same guard against a gzip bomb.
        var entries = new List<(string Name, long Length)>();
        Dictionary<string, long>? listed = null;
        using (var tar = new TarGzReader(path))
        {
            while (tar.Next(CancellationToken.None) is (var name, var entry))
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                {
                    return $"that holds '{ProjectPath.Printable(entry.Name)}', a {entry.EntryType} entry ModelGoPack never writes";
                }

                if (name == BundleVerifier.ManifestName && listed is null)
                {
                    listed = Listed(entry.DataStream ?? Stream.Null);
                    if (listed is null)
                    {
                        return $"whose {BundleVerifier.ManifestName} is not one ModelGoPack writes";
                    }
                }

                entries.Add((name, entry.Length));
            }
        }

        return listed is null ? $"that is not a tar.gz with a {BundleVerifier.ManifestName}" : Unexpected(entries, listed);
    }

    /// <summary>What an archive holds besides exactly the listed files (and its one manifest), or null.</summary>
    private static string? Unexpected(IEnumerable<(string Name, long Length)> entries, Dictionary<string, long> listed)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, length) in entries)
        {
            var shown = ProjectPath.Printable(name);
            if (!seen.Add(name))
            {
                return $"that holds '{shown}' twice";
            }

            if (name == BundleVerifier.ManifestName)
            {
                continue;
            }

            if (!listed.TryGetValue(name, out var size))
            {
                return $"that holds '{shown}', which its {BundleVerifier.ManifestName} does not list";
            }

            if (length != size)
            {
                return string.Create(CultureInfo.InvariantCulture, $"whose '{shown}' is {length:N0} bytes, not the {size:N0} its {BundleVerifier.ManifestName} lists");
            }
        }

        return seen.Count - 1 == listed.Count ? null : $"that lacks {listed.Count - (seen.Count - 1):N0} of the files its {BundleVerifier.ManifestName} lists";
    }

    /// <summary>The files a manifest lists, with their sizes, read as verify reads it; null when verify could not use it.</summary>
    private static Dictionary<string, long>? Listed(Stream stream)
    {
        var manifest = ManifestReader.Read(stream, new DiagnosticBag(), "");
        return manifest?.Files.ToDictionary(f => f.Path, f => f.Size, StringComparer.Ordinal);
    }
}

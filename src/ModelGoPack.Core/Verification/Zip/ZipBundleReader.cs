using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Hashing;
using ModelGoPack.Inspection;
using ModelGoPack.Emit;

namespace ModelGoPack.Verification;

/// <summary>
/// Reads a bundle that is a zip, or a .nupkg (the bundle's files under model/, NuGet's own parts beside them): the
/// directory parsed once (<see cref="ZipDirectory"/>), every entry's name judged, then the entries read, hashed and
/// their headers kept in parallel, each no further than the manifest (or, without one, the archive) says it holds.
/// </summary>
internal static class ZipBundleReader
{
    public static BundleContent? Read(string path, bool package, ProgressCounter? progress, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        var content = new BundleContent { Source = path, Format = BundleFormat.Zip };
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
            content.Prefix = package || zip.Entries.Any(e => ZipName(e.Name) == BundleVerifier.ManifestName) ? "" : BundleVerifier.SingleFolder(zip.Entries.Select(e => ZipName(e.Name)).Where(n => n.Length > 0));
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
                var bundlePath = package ? BundleVerifier.PackageEntryToBundlePath(name) : name[Math.Min(content.Prefix.Length, name.Length)..];
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

                if (content.Files.ContainsKey(bundlePath) || (bundlePath == BundleVerifier.ManifestName && content.ManifestFound))
                {
                    diagnostics.Add(Messages.ZipEntryTwice.With(ProjectPath.Shown(name), package ? "package" : "zip"), ProjectPath.Shown(name));
                    continue;
                }

                if (bundlePath == BundleVerifier.ManifestName)
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
                        EntryReader.Read(content, file, stream, listed?.Size ?? file.Length, progress, cancellationToken, listed?.Sha256);
                    }
                    catch (Exception e) when (BundleVerifier.IsDamaged(e))
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

        ManifestComparison.Compare(content, diagnostics, reported: content.Damaged, allowMissing: package ? FileKinds.IsWeights : null);
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
        catch (Exception e) when (BundleVerifier.IsDamaged(e))
        {
            diagnostics.Add(Messages.ZipPartUnreadable.With(path, ProjectPath.Shown(name), e.Message), path);
            return false;
        }
    }
}

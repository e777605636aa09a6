using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Hashing;
using ModelGoPack.Inspection;
using ModelGoPack.Emit;

namespace ModelGoPack.Verification;

/// <summary>
/// Reads a bundle that is a folder: every regular file, its header read while the big files hash; links, pipes and
/// devices are reported and never followed or read, and names no system may write are refused as in an archive.
/// </summary>
internal static class FolderBundleReader
{
    /// <summary>Reads the folder at <paramref name="root"/>; <paramref name="leaveOut"/>, a regular file's relative path, is not one of its files (see <see cref="BundleVerifier.Read"/>).</summary>
    public static BundleContent Read(string root, ProgressCounter? progress, DiagnosticBag diagnostics, CancellationToken cancellationToken, string? leaveOut = null)
    {
        var content = new BundleContent { Source = root, Root = root, Format = BundleFormat.Directory };
        var manifestPath = Path.Combine(root, BundleVerifier.ManifestName);
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
            if (relative == leaveOut && relative != BundleVerifier.ManifestName && entry is FileInfo && entry.LinkTarget is null && FileType.IsRegular(entry.FullName))
            {
                continue;
            }

            if (entry.LinkTarget is not null)
            {
                diagnostics.Add(Messages.FolderBundleLink.With(relative, entry.LinkTarget), relative);
                content.Refuse(relative);
            }
            else if (entry is FileInfo file && relative != BundleVerifier.ManifestName)
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
        foreach (var (file, digest) in DigestEngine.HashDigests(toHash, DigestCache.InMemory(), progress, diagnostics, cancellationToken, "verifying"))
        {
            content.Record(file, digest);
        }

        foreach (var artifact in inspection.GetAwaiter().GetResult())
        {
            content.Artifacts.Set(artifact);
        }

        ManifestComparison.Compare(content, diagnostics);
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
}

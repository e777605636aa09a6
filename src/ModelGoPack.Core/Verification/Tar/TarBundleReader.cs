using System.Formats.Tar;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Hashing;
using ModelGoPack.Emit;

namespace ModelGoPack.Verification;

/// <summary>
/// Reads a bundle that is a tar.gz, as the stream it is (<see cref="TarGzReader"/>): every entry hashed as it comes,
/// the manifest (the last entry ModelGoPack writes) read when it comes, and one folder that wraps every file made the
/// bundle's root at the end.
/// </summary>
internal static class TarBundleReader
{
    public static BundleContent Read(string path, ProgressCounter? progress, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        // A stream: every entry hashed as it comes, the manifest (the last entry ModelGoPack writes) read when it comes.
        var content = new BundleContent { Source = path, Format = BundleFormat.TarGz };
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

                if (name == BundleVerifier.ManifestName)
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

                if (content.Files.Count == BundleLimits.MaxFiles)
                {
                    throw new InvalidDataException($"it holds more than {Emit.BundleLimits.MaxFiles:N0} files, the most a bundle holds");
                }

                var projectFile = new ProjectFile(name, name, entry.Length);
                content.Files[name] = projectFile;
                EntryReader.Read(content, projectFile, entry.DataStream ?? Stream.Null, entry.Length, progress, cancellationToken);
                progress?.FileDone();
            }

            tar.ReadToEnd();
        }

        if (!content.ManifestFound && BundleVerifier.SingleFolder(content.Files.Keys) is { Length: > 0 } prefix)
        {
            Reroot(content, prefix, diagnostics);
        }

        if (content.Readable)
        {
            ManifestComparison.Compare(content, diagnostics);
        }

        return content;
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

        if (content.Files.Remove(BundleVerifier.ManifestName))
        {
            content.ManifestFound = true;
            content.Digests.Remove(BundleVerifier.ManifestName);
            content.Artifacts.Remove(BundleVerifier.ManifestName);
            if (content.Kept.TryRemove(BundleVerifier.ManifestName, out var manifest))
            {
                content.Manifest = ManifestReader.Read(new MemoryStream(manifest), diagnostics, content.Source);
            }
            else
            {
                diagnostics.Add(Messages.WrappedManifestTooLarge.With(BundleVerifier.MaxManifestBytes / (1024 * 1024)), content.Source);
            }
        }
    }
}

using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Loading;
using ModelGoPack.Verification;

namespace ModelGoPack.Releases;

// The release reader, part 3: an archive (.zip, .tar.gz) or a modelgo-manifest.json, read by verify's readers.
internal static partial class ReleaseReader
{
    private static UpstreamRelease ReadArchive(UpstreamDeclaration upstream, string location, string full, string archive, ReleaseOptions options)
    {
        var scratch = new DiagnosticBag();
        var content = BundleVerifier.Read(archive, null, scratch, options.CancellationToken);
        var unreadable = scratch.Items.FirstOrDefault(d => d.Code == DiagnosticCatalog.BundleUnreadable.Code);
        if (content is null || unreadable is not null)
        {
            throw new ReleaseException(Messages.ReleaseNotReadable.With(unreadable is null ? "it cannot be read" : WithoutHelp(unreadable)), full);
        }

        // A bundle whose manifest cannot be used (too large, not JSON, given twice) is a release that cannot be compared.
        if (!content.Readable)
        {
            throw new ReleaseException(scratch.Items.FirstOrDefault(d => d.Code == DiagnosticCatalog.BundleManifestInvalid.Code) is { } invalid
                ? Messages.ReleaseArchiveManifestUnusable.With(WithoutHelp(invalid))
                : Messages.ReleaseArchiveManifestTwice.With(), full);
        }

        // A damaged entry is a release that cannot be compared: named, not guessed around.
        if (content.Damaged.FirstOrDefault() is { } damaged)
        {
            throw new ReleaseException(Messages.ReleaseEntryDamaged.With(damaged), full);
        }

        // An entry whose name could not be extracted everywhere makes the archive no release to compare with.
        if (scratch.Items.FirstOrDefault(d => d.Code == DiagnosticCatalog.ArchiveEntryUnsafe.Code) is { } unsafeEntry)
        {
            throw new ReleaseException(Messages.ReleaseRefusedByReader.With(WithoutHelp(unsafeEntry)), full);
        }

        // An entry given twice is one whose copy extraction keeps cannot be told (zip and tar tools keep the last).
        if (scratch.Items.FirstOrDefault(d => d.Code == DiagnosticCatalog.BundleFileUnlisted.Code && d.Message.Contains(" twice.", StringComparison.Ordinal)) is { } twice)
        {
            throw new ReleaseException(Messages.ReleaseRefusedByReader.With(WithoutHelp(twice)), full);
        }

        // A link entry is a file of the release too, whose bytes are not there to hash: listed without a digest, so the
        // project's file of that name counts as changed, and its absence as removed.
        var digests = content.Files.Keys.ToDictionary(p => p, p => content.TryGetDigest(p, out var d) ? d.ToString() : "", StringComparer.Ordinal);
        foreach (var refused in content.Refused.Where(r => !digests.ContainsKey(r)))
        {
            digests[content.Prefix.Length > 0 && refused.StartsWith(content.Prefix, StringComparison.Ordinal) ? refused[content.Prefix.Length..] : refused] = "";
        }
        var names = content.Files.Keys.Where(p => !p.Contains('/', StringComparison.Ordinal) && IsNotice(p)).ToList();
        BundleVerifier.Fetch(content, [.. names, .. ReleaseDescription.Names], options.CancellationToken);
        // A notice is kept whole or the release is refused, as from a folder: never dropped.
        var notices = names.Order(StringComparer.Ordinal)
            .Select(n => content.Files[n].Length <= MaxNoticeBytes && content.Text(n) is { } bytes ? (n, TextDecoder.DecodeLines(bytes))
                : throw new ReleaseException(Messages.ReleaseNoticeTooLarge.With(n, content.Files[n].Length, MaxNoticeBytes / (1024 * 1024)), full))
            .ToList();
        var release = new UpstreamRelease(upstream.Name, location, digests, notices) { FullPath = full, BytesHashed = content.Files.Values.Sum(f => f.Length) };
        if (content.Manifest is { } manifest)
        {
            // A ModelGoPack bundle: the manifest says what it is; a listed file whose bytes differ is a damaged release.
            var listed = manifest.Files.ToDictionary(f => f.Path, f => f.Sha256.ToString(), StringComparer.Ordinal);
            if (listed.FirstOrDefault(f => digests.TryGetValue(f.Key, out var read) && read.Length > 0 && read != f.Value) is { Key: not null } altered)
            {
                throw new ReleaseException(Messages.ReleaseEntryNotAsListed.With(altered.Key, digests[altered.Key], altered.Value), full);
            }

            release = Described(release, manifest);
        }

        return ReleaseDescription.Describe(release, content.Text);
    }

    /// <summary>The release a modelgo-manifest.json describes, read by verify's manifest reader (its rules and limits).</summary>
    private static UpstreamRelease FromManifest(UpstreamDeclaration upstream, string location, string full, string path, IReadOnlyList<(string Path, string Text)> notices)
    {
        var scratch = new DiagnosticBag();
        BundleManifest? manifest;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            manifest = ManifestReader.Read(stream, scratch, full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReleaseException(Messages.ReleaseFileUnreadable.With(e.Message), path);
        }

        if (manifest is null)
        {
            throw new ReleaseException(Messages.ReleaseRefusedByReader.With(scratch.Items.Count > 0 ? WithoutHelp(scratch.Items[0], DiagnosticCatalog.BundleManifestInvalid) : "it cannot be read"), full);
        }

        return Described(new UpstreamRelease(upstream.Name, location, manifest.Files.ToDictionary(f => f.Path, f => f.Sha256.ToString(), StringComparer.Ordinal), notices), manifest);
    }

    /// <summary>The release with what its ModelGoPack manifest says of it: its digest, version, release day and copyright lines (kept as a notice).</summary>
    private static UpstreamRelease Described(UpstreamRelease release, BundleManifest manifest)
    {
        var declared = manifest.Declaration?.Config;
        var copyright = declared?.Copyright ?? [];
        return release with
        {
            ManifestSha256 = manifest.Digest.ToString(),
            Version = declared?.Version.ToNormalizedString(),
            Name = declared?.Name,
            Licensor = copyright.Count > 0 ? copyright[0] : null,
            ReleaseDate = declared?.ReleaseDate,
            Notices = copyright.Count == 0 ? release.Notices : [.. release.Notices, ("modelgo-manifest.json#copyright", string.Concat(copyright.Select(l => l + "\n")))],
        };
    }

    /// <summary>
    /// What a finding of verify's readers says, without the help of <paramref name="code"/> (by default its own): said of
    /// a release, it is MGP8027's, with MGP8027's help.
    /// </summary>
    private static string WithoutHelp(Diagnostic finding, DiagnosticDescriptor? code = null) => finding.Message.Split(" " + (code ?? finding.Descriptor).Help)[0];
}

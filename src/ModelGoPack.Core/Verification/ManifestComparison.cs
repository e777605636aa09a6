using ModelGoPack.Diagnostics;

namespace ModelGoPack.Verification;

/// <summary>
/// What a bundle holds against what its manifest lists: every listed file present with its size and SHA-256, and no
/// file it does not list; and, manifest or not, no two paths that are one file where case or normalization does not
/// count.
/// </summary>
internal static class ManifestComparison
{
    public static void Compare(BundleContent content, DiagnosticBag diagnostics, IEnumerable<string>? reported = null, Func<string, bool>? allowMissing = null)
    {
        // Paths that are one file where case or Unicode normalization does not count (LICENSE and license, café in
        // NFC and NFD), or a file and, for another entry, a folder: extracted, one would overwrite the other.
        var names = content.ManifestFound ? content.Files.Keys.Append(BundleVerifier.ManifestName) : content.Files.Keys;
        foreach (var (colliding, why) in ProjectPath.Collisions(names))
        {
            var shown = colliding.Select(ProjectPath.Printable).ToList();
            diagnostics.Add(Messages.BundleEntriesCollide.With(string.Join(" and ", shown.Select(n => $"'{n}'")), why), shown[0]);
        }

        if (content.Manifest is not { } manifest)
        {
            return;
        }

        var skip = reported?.ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var expected in manifest.Files.Where(m => !skip.Contains(m.Path)))
        {
            if (!content.Files.TryGetValue(expected.Path, out var file))
            {
                if (allowMissing?.Invoke(expected.Path) != true && !content.Refused.Contains(expected.Path))
                {
                    diagnostics.Add(Messages.ListedFileMissing.With(expected.Path, expected.Size), expected.Path);
                }
            }
            else if (file.Length != expected.Size)
            {
                diagnostics.Add(Messages.ListedFileSizeDiffers.With(expected.Path, file.Length, expected.Size), expected.Path);
            }
            else if (content.LongerThanListed.ContainsKey(expected.Path))
            {
                diagnostics.Add(Messages.ListedFileLonger.With(expected.Path, expected.Size), expected.Path);
            }
            else if (content.Digests.TryGetValue(expected.Path, out var digest) && digest != expected.Sha256)
            {
                diagnostics.Add(Messages.ListedFileDigestDiffers.With(expected.Path, digest, expected.Sha256), expected.Path);
            }
        }

        // Every file is listed when as many listed files are present as there are files (the manifest lists no path
        // twice): only otherwise is the set of listed paths made, to find those that are not.
        if (manifest.Files.Count(m => content.Files.ContainsKey(m.Path)) == content.Files.Count)
        {
            return;
        }

        var listed = manifest.Files.Select(m => m.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var extra in content.Files.Keys.Where(p => !listed.Contains(p)).Order(StringComparer.Ordinal))
        {
            diagnostics.Add(Messages.FileNotListed.With(extra), extra);
        }
    }
}

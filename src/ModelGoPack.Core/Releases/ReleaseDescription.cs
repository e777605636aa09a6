using ModelGoPack.Inspection;
using ModelGoPack.Licensing;
using ModelGoPack.Loading;

namespace ModelGoPack.Releases;

/// <summary>
/// What a release says about itself, in its root LICENSE and its model card (README.md): the license it is under
/// (the LICENSE by the same matcher the project's is judged by, else the card's <c>license</c>, <c>license_name</c>),
/// the copyright lines of its card (kept, as clause (iv) asks), and the card's <c>version</c>.
/// </summary>
internal static class ReleaseDescription
{
    /// <summary>The release with what its LICENSE and card say; <paramref name="read"/> gives a root file's bytes (at most 4 MiB), or null.</summary>
    public static UpstreamRelease Describe(UpstreamRelease release, Func<string, byte[]?> read)
    {
        var (license, source) = (default(string), default(string));
        foreach (var name in LicenseFiles.CopyNames)
        {
            if (release.Files.ContainsKey(name) && read(name) is { } bytes)
            {
                var identified = LicenseIdentifier.Identify(bytes);
                license = identified.Kind switch
                {
                    LicenseMatchKind.Canonical => LicenseText.Id,
                    LicenseMatchKind.Modified => $"{LicenseText.Id} with words changed",
                    LicenseMatchKind.Superseded => "the superseded MG-BY-SA 2.0 text of May 2025",
                    LicenseMatchKind.Other => identified.Name,
                    _ => null,
                };
                source = name;
                break;
            }
        }

        ModelCard? card = null;
        if (release.Files.ContainsKey(ModelCard.FileName) && read(ModelCard.FileName) is { } cardBytes)
        {
            var text = TextDecoder.Decode(cardBytes);
            try
            {
                card = ModelCard.Parse(text);
            }
            catch (ArtifactFormatException)
            {
                // A card whose front matter is not YAML says nothing of the release; the project's own card is judged elsewhere.
            }

            // Its copyright lines are notices to keep (the bundle's generated card is the release's own, already kept).
            var lines = text.Split('\n').Select(l => l.Trim().TrimStart('#', '>', '*', '-', ' ').Trim()).Where(LicenseIdentifier.IsCopyrightLine).Distinct(StringComparer.Ordinal).ToList();
            if (lines.Count > 0 && !release.Notices.Any(n => lines.All(l => n.Text.Contains(l, StringComparison.Ordinal))))
            {
                release = release with { Notices = [.. release.Notices, ("README.md#copyright", string.Concat(lines.Select(l => l + "\n")))] };
            }
        }

        if (license is null && card is not null)
        {
            var licenses = card.Strings("license");
            var named = card.Values.GetValueOrDefault("license_name");
            license = licenses.FirstOrDefault(l => !string.Equals(l, "other", StringComparison.OrdinalIgnoreCase)) ?? named;
            source = license is null ? null : "README.md's front matter";
        }

        var cardVersion = Provenance.Revision(card?.Values.GetValueOrDefault("version"));
        return release with { License = license, LicenseSource = source, Version = release.Version ?? cardVersion };
    }

    /// <summary>Whether a license a release states is MG-BY-SA-2.0 (by its id, in any case).</summary>
    public static bool IsModelGo(string license) => string.Equals(license, LicenseText.Id, StringComparison.OrdinalIgnoreCase);

    /// <summary>The root files <see cref="Describe"/> reads: the license file names and the card.</summary>
    public static IEnumerable<string> Names => [.. LicenseFiles.CopyNames, ModelCard.FileName];
}

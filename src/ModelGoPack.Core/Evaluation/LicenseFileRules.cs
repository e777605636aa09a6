using System.Text.RegularExpressions;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Inspection;
using ModelGoPack.Licensing;

namespace ModelGoPack.Evaluation;

/// <summary>
/// Every license file of a release, at any depth: a file named LICENSE*, LICENCE*, COPYING* or *.license beyond the
/// root's license copy, and the file the model card's <c>license_link</c> names. A modified or superseded
/// MG-BY-SA-2.0 text anywhere is MGP1001/MGP1002 (Section 6, clause (i)), as at the root. Another license covers its
/// folder: for a derivative or Extracted Model, a folder holding model weights under another license contradicts
/// share-alike (MGP6006, clause (vi)); otherwise it is reported with what it covers (MGP1007), since third-party
/// code under its own license is normal. A text the tool cannot identify is a note (MGP1008).
/// </summary>
internal static partial class LicenseFileRules
{
    // Endings of weights, code, data and media: never a license text, whatever the name starts with.
    private static readonly HashSet<string> NotText = new(StringComparer.OrdinalIgnoreCase)
    {
        ".safetensors", ".gguf", ".bin", ".pt", ".pth", ".ckpt", ".onnx", ".h5", ".npz", ".npy", ".pkl", ".py", ".ipynb", ".json", ".jsonl",
        ".yaml", ".yml", ".csv", ".tsv", ".parquet", ".arrow", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".zip", ".gz", ".tar", ".so", ".dll", ".exe",
    };

    /// <summary>
    /// Whether a file's name makes it a license file (the root's license copy names included): LICENSE, LICENCE or
    /// COPYING alone or followed by a separator (LICENSE.txt, LICENSE-MIT, COPYING.LESSER), or a REUSE *.license file;
    /// not a model, code or data file that only starts with the word (license_plate_detector.safetensors).
    /// </summary>
    public static bool IsLicenseName(string path)
    {
        var name = path[(path.LastIndexOf('/') + 1)..];
        return name.EndsWith(".license", StringComparison.OrdinalIgnoreCase)
            || (LicenseStem().IsMatch(name) && !NotText.Contains(Path.GetExtension(name)));
    }

    /// <summary>
    /// The paths, among <paramref name="paths"/>, of the license files other than the root's license copy (those
    /// <see cref="ProjectLoader.LicenseFileNames"/> names), with the model card's license_link target; ordinal order.
    /// </summary>
    public static List<string> OtherLicenseFiles(IEnumerable<string> paths, ModelCard? card)
    {
        var link = card is null ? null : LinkedPath(card);
        var result = new List<string>();
        foreach (var path in paths)
        {
            if (!ProjectLoader.LicenseFileNames.Contains(path, StringComparer.OrdinalIgnoreCase) && (IsLicenseName(path) || path == link))
            {
                result.Add(path);
            }
        }

        result.Sort(StringComparer.Ordinal);
        return result;
    }

    /// <summary>
    /// The release file a card's license_link names (a relative path, or a Hugging Face URL of a file of the repo), or
    /// null when it names none (absent, or the URL of a license elsewhere).
    /// </summary>
    public static string? LinkedPath(ModelCard card)
    {
        if (card.Values.GetValueOrDefault("license_link") is not { Length: > 0 } link)
        {
            return null;
        }

        if (Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            // https://huggingface.co/org/model/blob/main/LICENSE names the repo's own LICENSE.
            var repoFile = HubFile().Match(uri.AbsolutePath);
            return uri.Host.EndsWith("huggingface.co", StringComparison.OrdinalIgnoreCase) && repoFile.Success ? Uri.UnescapeDataString(repoFile.Groups[1].Value) : null;
        }

        if (link.Contains("://", StringComparison.Ordinal) || link.StartsWith('/') || link.StartsWith('#'))
        {
            return null;
        }

        var path = link.Split('#', '?')[0];
        while (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path[2..];
        }

        return path.Length == 0 || ProjectPath.IsRootedOrEscaping(path) ? null : path;
    }

    /// <summary>The license a card's license_link URL names, when it is the address of a well-known license; else null.</summary>
    public static string? LinkedLicense(string link)
    {
        if (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return null;
        }

        var host = uri.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? uri.Host[4..] : uri.Host;
        var path = uri.AbsolutePath.TrimEnd('/');
        Match match;
        return host.ToLowerInvariant() switch
        {
            "apache.org" when (match = ApachePath().Match(path)).Success => "Apache-" + match.Groups[1].Value,
            "opensource.org" when (match = OsiPath().Match(path)).Success => match.Groups[1].Value,
            "spdx.org" when (match = SpdxPath().Match(path)).Success => match.Groups[1].Value,
            "choosealicense.com" when (match = ChooseALicensePath().Match(path)).Success => match.Groups[1].Value,
            "creativecommons.org" when (match = CreativeCommonsPath().Match(path)).Success => $"CC-{match.Groups[1].Value.ToUpperInvariant()}-{match.Groups[2].Value}",
            _ => null,
        };
    }

    public static void Evaluate(ModelProject project, DiagnosticBag diagnostics)
    {
        var config = project.Config;
        var shareAlike = config.IsDerivative || config.IsExtracted;
        foreach (var (file, identification) in project.OtherLicenseFiles)
        {
            var folder = file.RelativePath.Contains('/', StringComparison.Ordinal) ? file.RelativePath[..(file.RelativePath.LastIndexOf('/') + 1)] : "";
            var covers = folder.Length == 0 ? "the whole release" : folder;
            switch (identification.Kind)
            {
                case LicenseMatchKind.Modified:
                    diagnostics.Add(DiagnosticCatalog.LicenseModified,
                        $"{file.RelativePath} differs from the {LicenseText.Id} text at word {identification.WordIndex}: the license reads \"{identification.Expected}\", the file reads \"{identification.Found}\". {DiagnosticCatalog.LicenseModified.Help}",
                        file.RelativePath, identification.Line, 1);
                    break;
                case LicenseMatchKind.Superseded:
                    diagnostics.Add(DiagnosticCatalog.LicenseSuperseded,
                        $"{file.RelativePath} is the superseded MG-BY-SA \"Version 2.0, May 2025\" text. {DiagnosticCatalog.LicenseSuperseded.Help}", file.RelativePath, 1, 1);
                    break;
                case LicenseMatchKind.Other when identification.Name is { } name:
                    var weights = project.Artifacts.Where(a => a.Role == ArtifactRole.Weights && a.Path.StartsWith(folder, StringComparison.Ordinal)).Select(a => a.Path).ToList();
                    if (shareAlike && weights.Count > 0)
                    {
                        diagnostics.Add(DiagnosticCatalog.WeightsUnderOtherLicense,
                            $"{file.RelativePath} is the {name} license, and it covers {covers}, which holds the model weights {Few(weights)}; this project is {ObligationRules.Kind(config)} of an MG-BY-SA-2.0 model. {DiagnosticCatalog.WeightsUnderOtherLicense.Help}",
                            file.RelativePath, 1, 1);
                    }
                    else
                    {
                        var count = project.Files.Count(f => f.RelativePath.StartsWith(folder, StringComparison.Ordinal) && f.RelativePath != file.RelativePath);
                        diagnostics.Add(DiagnosticCatalog.PartUnderOtherLicense,
                            $"{file.RelativePath} is the {name} license; it covers {covers} ({count} other file{(count == 1 ? "" : "s")}). {DiagnosticCatalog.PartUnderOtherLicense.Help}",
                            file.RelativePath, 1, 1);
                    }

                    break;
                case LicenseMatchKind.Unknown:
                    diagnostics.Add(DiagnosticCatalog.LicenseFileUnidentified,
                        $"{file.RelativePath} is named like a license file, but ModelGoPack does not recognise its text; it would cover {covers}. {DiagnosticCatalog.LicenseFileUnidentified.Help}",
                        file.RelativePath, 1, 1);
                    break;
            }
        }
    }

    /// <summary>
    /// Identifies a license file's text; a text it does not recognise that holds an SPDX-License-Identifier line (as a
    /// REUSE <c>.license</c> file does) is the license that line names.
    /// </summary>
    public static LicenseIdentification Identify(byte[] bytes)
    {
        var identification = LicenseIdentifier.Identify(bytes);
        if (identification.Kind != LicenseMatchKind.Unknown || SpdxLine().Match(TextDecoder.Decode(bytes)) is not { Success: true } spdx)
        {
            return identification;
        }

        var id = spdx.Groups[1].Value;
        return string.Equals(id, LicenseText.Id, StringComparison.OrdinalIgnoreCase) ? new LicenseIdentification(LicenseMatchKind.Canonical) : new LicenseIdentification(LicenseMatchKind.Other, id);
    }

    private static string Few(List<string> paths) =>
        string.Join(", ", paths.Take(3).Select(p => $"'{p}'")) + (paths.Count > 3 ? $" and {paths.Count - 3} more" : "");

    [GeneratedRegex(@"^(?:LICEN[CS]E|COPYING)(?:[-_.].*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex LicenseStem();

    [GeneratedRegex(@"^\s*(?:#|//|--)?\s*SPDX-License-Identifier:\s*([A-Za-z0-9.+-]+)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SpdxLine();

    [GeneratedRegex(@"^/[^/]+/[^/]+/(?:blob|resolve|raw)/[^/]+/(.+)$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex HubFile();

    [GeneratedRegex(@"^/licenses/LICENSE-(\d\.\d)(?:\.(?:txt|html))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ApachePath();

    [GeneratedRegex(@"^/licenses?/([A-Za-z0-9.+-]+?)(?:\.php|\.html)?$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex OsiPath();

    [GeneratedRegex(@"^/licenses/([A-Za-z0-9.+-]+?)(?:\.html|\.json)?$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SpdxPath();

    [GeneratedRegex(@"^/licenses/([a-z0-9.+-]+)$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ChooseALicensePath();

    [GeneratedRegex(@"^/licenses/(by(?:-nc)?(?:-nd|-sa)?)/(\d\.\d)(?:/.*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex CreativeCommonsPath();
}

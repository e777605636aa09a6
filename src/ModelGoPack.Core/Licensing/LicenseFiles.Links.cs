using System.Text.RegularExpressions;
using ModelGoPack.Config;
using ModelGoPack.Inspection;

namespace ModelGoPack.Licensing;

/// <summary>What a model card's license_link names: a file of the release, or the address of a well-known license.</summary>
internal static partial class LicenseFiles
{
    /// <summary>
    /// The release file a card's license_link names, or null when it names none (absent, or the address of a license
    /// elsewhere). <see cref="LinkedFile.Own"/> says whether the link surely names a file of this release, so that a
    /// missing one is a finding: a relative path, or the URL of a file of the project's own Hugging Face repo
    /// (https://huggingface.co/org/{name}/blob/main/LICENSE, on huggingface.co or a subdomain of it, where {name} is
    /// the config's name in any case, with an underscore read as a hyphen). The config knows the model's name, not its
    /// Hub id, and a repo is often named otherwise (acme-tiny-v2 for acme-tiny): a file of a repo of another
    /// name, not an upstream's, is this release's when the release holds that path (its own repo under another name),
    /// and otherwise an address elsewhere (a shared licenses repo). A file of an upstream's repo (by its name or url, as
    /// base_model is matched) is the upstream's, never this release's.
    /// </summary>
    public static LinkedFile? LinkedPath(ModelCard? card, ModelGoConfig config)
    {
        if (card?.Values.GetValueOrDefault("license_link") is not { Length: > 0 } link)
        {
            return null;
        }

        if (Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            var repoFile = HubFile().Match(uri.AbsolutePath);
            if (!IsHub(uri) || !repoFile.Success || InRelease(Uri.UnescapeDataString(repoFile.Groups["path"].Value)) is not { } path)
            {
                return null;
            }

            var repo = Uri.UnescapeDataString(repoFile.Groups["repo"].Value);
            var id = Uri.UnescapeDataString(repoFile.Groups["owner"].Value) + "/" + repo;

            // An upstream's own repo, by its url, is the upstream's even when this project keeps its name (a quantized
            // re-release); then the project's own name; then an upstream's by its name alone.
            return config.Upstream.Any(u => string.Equals(HubRepo(u.Url), id, StringComparison.OrdinalIgnoreCase)) ? null
                : string.Equals(RepoName(repo), RepoName(config.Name), StringComparison.OrdinalIgnoreCase) ? new LinkedFile(path, Own: true)
                : config.Upstream.Any(u => ModelCard.Names(id, u.Name, u.Url)) ? null
                : new LinkedFile(path, Own: false);
        }

        if (link.Contains("://", StringComparison.Ordinal) || link.StartsWith('/') || link.StartsWith('#'))
        {
            return null;
        }

        // A browser reads a backslash in a link's path as a slash.
        return InRelease(Uri.UnescapeDataString(link.Split('#', '?')[0]).Replace('\\', '/')) is { } relative ? new LinkedFile(relative, Own: true) : null;
    }

    // A link's path as a path of the release, as a browser resolves it: empty and "." segments dropped, ".." taking the
    // one before it; null when nothing is left, or it climbs out of the release.
    internal static string? InRelease(string link)
    {
        var segments = new List<string>();
        foreach (var segment in link.Split('/'))
        {
            if (segment == "..")
            {
                if (segments.Count == 0)
                {
                    return null;
                }

                segments.RemoveAt(segments.Count - 1);
            }
            else if (segment is not ("" or "."))
            {
                segments.Add(segment);
            }
        }

        var path = string.Join('/', segments);
        return path.Length == 0 || ProjectPath.IsRootedOrEscaping(path) ? null : path;
    }

    // Whether an address is on the Hugging Face Hub: huggingface.co, hf.co, or a subdomain of either.
    internal static bool IsHub(Uri uri)
    {
        var host = uri.Host.ToLowerInvariant();
        return host is "huggingface.co" or "hf.co" || host.EndsWith(".huggingface.co", StringComparison.Ordinal) || host.EndsWith(".hf.co", StringComparison.Ordinal);
    }

    // The owner/repo of a Hub repo's url (https://huggingface.co/org/model, or a page of it), or null for another address.
    internal static string? HubRepo(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !IsHub(uri))
        {
            return null;
        }

        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length >= 2 ? Uri.UnescapeDataString(segments[0]) + "/" + Uri.UnescapeDataString(segments[1]) : null;
    }

    // A repo or package name with an underscore read as a hyphen (tiny_model is the repo Tiny-Model): compared in any case.
    internal static string RepoName(string name) => name.Replace('_', '-');

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

    [GeneratedRegex(@"^/(?<owner>[^/]+)/(?<repo>[^/]+)/(?:blob|resolve|raw)/[^/]+/(?<path>.+)$", RegexOptions.CultureInvariant, 1000)]
    internal static partial Regex HubFile();

    [GeneratedRegex(@"^/licenses/LICENSE-(\d\.\d)(?:\.(?:txt|html))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    internal static partial Regex ApachePath();

    [GeneratedRegex(@"^/licenses?/([A-Za-z0-9.+-]+?)(?:\.php|\.html)?$", RegexOptions.CultureInvariant, 1000)]
    internal static partial Regex OsiPath();

    [GeneratedRegex(@"^/licenses/([A-Za-z0-9.+-]+?)(?:\.html|\.json)?$", RegexOptions.CultureInvariant, 1000)]
    internal static partial Regex SpdxPath();

    [GeneratedRegex(@"^/licenses/([a-z0-9.+-]+)$", RegexOptions.CultureInvariant, 1000)]
    internal static partial Regex ChooseALicensePath();

    [GeneratedRegex(@"^/licenses/(by(?:-nc)?(?:-nd|-sa)?)/(\d\.\d)(?:/.*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    internal static partial Regex CreativeCommonsPath();
}

/// <summary>The release file a card's license_link names, and whether it is surely this release's own (see <see cref="LicenseFiles.LinkedPath"/>).</summary>
internal sealed record LinkedFile(string Path, bool Own);

using System.Text.RegularExpressions;
using ModelGoPack.Oci;

namespace ModelGoPack.Distribution;

/// <summary>
/// Where push sends a manifest: <c>REGISTRY/REPOSITORY[:TAG][@sha256:DIGEST]</c>, as the OCI distribution spec names
/// repositories and tags. The registry is always written out (a host with a dot or a port, or localhost): Docker Hub's
/// short names are not expanded.
/// </summary>
public sealed partial record RegistryReference(string Registry, string Repository, string? Tag, string? Digest)
{
    /// <summary>Docker Hub's API, where <c>docker.io/…</c> and <c>index.docker.io/…</c> go.</summary>
    public const string DockerHub = "registry-1.docker.io";

    /// <summary>The reference as it was parsed, written back.</summary>
    public override string ToString() => $"{this.Registry}/{this.Repository}{(this.Tag is null ? "" : ":" + this.Tag)}{(this.Digest is null ? "" : "@" + this.Digest)}";

    /// <summary>The reference with <paramref name="tag"/> as its tag.</summary>
    public RegistryReference WithTag(string tag) => this with { Tag = tag };

    /// <summary>Whether <paramref name="tag"/> is a tag the distribution spec allows (<c>[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}</c>).</summary>
    public static bool IsTag(string? tag) => tag is not null && TagPattern().IsMatch(tag);

    /// <summary>Parses <paramref name="text"/>; null with <paramref name="problem"/> saying what is wrong.</summary>
    public static RegistryReference? Parse(string text, out string? problem)
    {
        problem = null;
        var rest = text;
        string? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!OciDescriptor.IsSha256(digest))
            {
                problem = $"the digest '{digest}' is not sha256: and 64 lowercase hex digits";
                return null;
            }
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var registry = slash < 0 ? "" : rest[..slash];
        if (slash < 0 || !(registry.Contains('.', StringComparison.Ordinal) || registry.Contains(':', StringComparison.Ordinal) || registry == "localhost"))
        {
            problem = "it names no registry (REGISTRY/REPOSITORY:TAG, the registry a host with a dot or a port); Docker Hub's short names are not expanded";
            return null;
        }

        // Docker Hub's names for people lead to its API, as docker push takes them (the repository in full: library/NAME).
        if (registry is "docker.io" or "index.docker.io")
        {
            registry = DockerHub;
        }

        if (!HostPattern().IsMatch(registry))
        {
            problem = $"'{registry}' is not a host with an optional port";
            return null;
        }

        // The pattern takes any five digits and any bracketed hex: the port must be one, and the host one a URI can name.
        var port = registry.LastIndexOf(':') is var c && c > registry.LastIndexOf(']') ? registry[(c + 1)..] : null;
        if ((port is not null && int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) > 65535)
            || !Uri.TryCreate($"https://{registry}/", UriKind.Absolute, out _))
        {
            problem = $"'{registry}' is not a host with an optional port (1 to 65535)";
            return null;
        }

        var path = rest[(slash + 1)..];
        string? tag = null;
        var colon = path.LastIndexOf(':');
        if (colon >= 0)
        {
            tag = path[(colon + 1)..];
            path = path[..colon];
            if (!IsTag(tag))
            {
                problem = $"the tag '{tag}' is not letters, digits, '_', '.' and '-' (at most 128, not starting with '.' or '-')";
                return null;
            }
        }

        if (path.Length == 0 || path.Length > 255 || !path.Split('/').All(c => ComponentPattern().IsMatch(c)))
        {
            problem = $"the repository '{path}' is not lowercase letters and digits in '/'-separated parts, joined by '.', '_', '__' or '-'";
            return null;
        }

        return new RegistryReference(registry, path, tag, digest);
    }

    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex ComponentPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();
}

namespace ModelGoPack.Releases;

/// <summary>
/// What a release says of its revision and address, taken only when it is what a recipient can use and what a
/// bundle may record: a revision as <c>revision</c> in modelgo.json may be (at most 256 characters, no control
/// characters), an https URL without credentials, query or fragment. Anything else is dropped, so pack never writes
/// a manifest that verify refuses, nor a token of the packer's.
/// </summary>
internal static class Provenance
{
    /// <summary><paramref name="revision"/> (or a version) when a bundle may record it, else null: what NOTICE states must read as it renders.</summary>
    public static string? Revision(string? revision) =>
        revision is { Length: > 0 and <= 256 } && !ProjectPath.HasControlCharacters(revision) && ProjectPath.IndexOfBidiControl(revision) < 0 && revision.Trim() == revision
            ? revision
            : null;

    /// <summary><paramref name="url"/> (without a trailing ".git") when it is an https URL a bundle may record, else null.</summary>
    public static string? Url(string? url)
    {
        if (url is null || url.Length > 2048 || ProjectPath.HasControlCharacters(url) || ProjectPath.IndexOfBidiControl(url) >= 0 || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps || uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0 || url.Contains('#', StringComparison.Ordinal))
        {
            return null;
        }

        var address = uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return address.EndsWith(".git", StringComparison.Ordinal) ? address[..^4] : address;
    }
}

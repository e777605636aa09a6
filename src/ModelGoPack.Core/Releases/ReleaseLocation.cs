using ModelGoPack.Config;

namespace ModelGoPack.Releases;

/// <summary>Where an upstream's release is: a path relative to the project root (inside it or not), absolute, or under the home folder.</summary>
internal static class ReleaseLocation
{
    /// <summary>The full path <paramref name="value"/> names: <c>~</c> and <c>~/…</c> under $HOME (the user profile elsewhere).</summary>
    public static string Resolve(string projectRoot, string value)
    {
        if (value == "~" || value.StartsWith("~/", StringComparison.Ordinal) || (OperatingSystem.IsWindows() && value.StartsWith("~\\", StringComparison.Ordinal)))
        {
            var home = Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } set ? set : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return Path.GetFullPath(Path.Join(home, value.Length > 2 ? value[2..] : ""));
        }

        return Path.GetFullPath(Path.Combine(projectRoot, value));
    }

    /// <summary>
    /// What of <paramref name="upstream"/>'s release is left out of the project's files: its Hub cache repository
    /// folder (blobs and refs with the snapshot), its other clone, or the folder, archive or manifest it names. Null when
    /// it names none.
    /// </summary>
    public static string? LeftOut(string projectRoot, UpstreamDeclaration upstream)
    {
        if (upstream.Repository is { } repository)
        {
            return Resolve(projectRoot, repository);
        }

        if ((upstream.Bundle ?? upstream.Manifest) is not { } location)
        {
            return null;
        }

        var full = Resolve(projectRoot, location);
        try
        {
            return Directory.Exists(full) && HubCache.Locate(full, full) is { } hub ? hub.Repository : full;
        }
        catch (ReleaseException)
        {
            // Reported when the release is read.
            return full;
        }
    }

    /// <summary>
    /// Whether <paramref name="value"/> (a "bundle", "manifest" or "repository" as written) says where something is on the
    /// packer's machine: an absolute path, one under <c>~</c>, one that goes up through <c>..</c> (even when it comes back
    /// into the project, it names the folders above it), or a path that, links followed, leads out of the project.
    /// </summary>
    public static bool NamesMachinePath(string projectRoot, string value) =>
        Path.IsPathRooted(value) || value.StartsWith('/') || value.StartsWith('\\') || value == "~" || value.StartsWith("~/", StringComparison.Ordinal) || value.StartsWith("~\\", StringComparison.Ordinal)
        || value.Split('/', '\\').Contains("..")
        || InsideProject(projectRoot, Resolve(projectRoot, value)) is null;

    /// <summary>
    /// The project-relative path of <paramref name="fullPath"/> when it lies inside <paramref name="projectRoot"/> (not the
    /// root itself), else null. Both are compared as the file system resolves them (every link followed), so a release
    /// named through a link to the project is found inside it.
    /// </summary>
    public static string? InsideProject(string projectRoot, string fullPath)
    {
        var root = ProjectPath.Real(projectRoot) + Path.DirectorySeparatorChar;
        var full = ProjectPath.Real(fullPath);
        return full.StartsWith(root, StringComparison.Ordinal) && full.Length > root.Length
            ? full[root.Length..].Replace(Path.DirectorySeparatorChar, '/')
            : null;
    }
}

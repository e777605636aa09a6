namespace ModelGoPack;

/// <summary>Project-relative paths: always '/'-separated, never rooted, never escaping the root.</summary>
internal static class ProjectPath
{
    public static string Normalize(string path)
    {
        var normalized = path.Replace('\\', '/');
        while (normalized.StartsWith("./", StringComparison.Ordinal))
        {
            normalized = normalized[2..];
        }

        return normalized;
    }

    public static bool IsRootedOrEscaping(string path)
    {
        var normalized = Normalize(path);
        if (normalized.StartsWith('/') || (normalized.Length >= 2 && normalized[1] == ':'))
        {
            return true;
        }

        return normalized.Split('/').Any(segment => segment == "..");
    }

    /// <summary>Converts an OS path under <paramref name="root"/> to a project path.</summary>
    public static string FromFileSystem(string root, string fullPath) =>
        Path.GetRelativePath(root, fullPath).Replace(Path.DirectorySeparatorChar, '/');
}

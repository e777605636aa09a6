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

    public static bool HasControlCharacters(string path) => path.Any(char.IsControl);

    /// <summary>The path with control characters shown as \uXXXX, for messages.</summary>
    public static string Printable(string path) =>
        string.Concat(path.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));

    /// <summary>Whether any component of <paramref name="relativePath"/> under <paramref name="root"/> is a symbolic link.</summary>
    public static bool PassesThroughLink(string root, string relativePath)
    {
        var current = root;
        foreach (var segment in Normalize(relativePath).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, segment);
            var info = new FileInfo(current);
            if (info.LinkTarget is not null || (Directory.Exists(current) && new DirectoryInfo(current).LinkTarget is not null))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Converts an OS path under <paramref name="root"/> to a project path.</summary>
    public static string FromFileSystem(string root, string fullPath) =>
        Path.GetRelativePath(root, fullPath).Replace(Path.DirectorySeparatorChar, '/');
}
